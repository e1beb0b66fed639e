import random

import numpy as np
import tensorflow as tf

PARITY = "random"


@tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
def jitter(x):
    noise = np.random.normal(0.0, 0.01, size=(1, 3))
    scaled = x * (1.0 + 0.1 * np.random.randn(3))
    shifted = scaled + random.gauss(0.0, 1.0)
    return shifted + noise + np.random.uniform(-1.0, 1.0, 3)


@tf.function(input_signature=[tf.TensorSpec([4], tf.int32)])
def dice(counts):
    counts += np.random.randint(1, 7, size=4)
    return counts + random.randint(1, 6)


def run():
    x = tf.constant([1.0, 2.0, 3.0])
    return [(jitter(x), dice(tf.zeros([4], tf.int32))) for _ in range(4)]
