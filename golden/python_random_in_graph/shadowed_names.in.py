import random

import numpy as np
import tensorflow as tf


@tf.function
def with_local_random(x, np):
    random = tf.random
    return x + np.random.randn(3) + random.normal([3])


@tf.function
def callback_runs_in_python(x):
    def draw(v):
        return v + np.random.randn(3).astype("float32")

    return tf.numpy_function(draw, [x], tf.float32)
