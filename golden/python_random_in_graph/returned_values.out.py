import random

import numpy as np
import tensorflow as tf

PARITY = "random"


@tf.function
def sample_matrix():
    return tf.random.normal([2, 2], dtype=tf.float64)


@tf.function
def sample_ints():
    ints = tf.random.uniform((3,), minval=0, maxval=10, dtype=tf.int64)
    return ints


@tf.function
def sample_pair():
    return tf.random.uniform([]), tf.random.uniform([])


def run():
    # Eagerly the originals return NumPy arrays and Python floats; compare them as arrays.
    return [
        (np.asarray(sample_matrix()), np.asarray(sample_ints()),
         [float(v) for v in sample_pair()])
        for _ in range(3)
    ]
