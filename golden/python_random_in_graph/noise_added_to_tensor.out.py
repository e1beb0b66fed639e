import random

import tensorflow as tf

PARITY = "random"


@tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
def jitter(x):
    noise = tf.random.normal((1, 3), mean=0.0, stddev=0.01)
    scaled = x * (1.0 + 0.1 * tf.random.normal([3]))
    shifted = scaled + tf.random.normal([], mean=0.0, stddev=1.0)
    return shifted + noise + tf.random.uniform([3], minval=-1.0, maxval=1.0)


@tf.function(input_signature=[tf.TensorSpec([4], tf.int32)])
def dice(counts):
    counts += tf.random.uniform([4], minval=1, maxval=7, dtype=tf.int32)
    return counts + tf.random.uniform([], minval=1, maxval=7, dtype=tf.int32)


def run():
    x = tf.constant([1.0, 2.0, 3.0])
    return [(jitter(x), dice(tf.zeros([4], tf.int32))) for _ in range(4)]
