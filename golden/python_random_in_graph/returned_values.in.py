import random

import numpy as np
import tensorflow as tf

PARITY = "random"


@tf.function
def sample_matrix():
    return np.random.randn(2, 2)


@tf.function
def sample_ints():
    ints = np.random.randint(10, size=(3,))
    return ints


@tf.function
def sample_pair():
    return np.random.random(), random.random()


def run():
    # Eagerly the originals return NumPy arrays and Python floats; compare them as arrays.
    return [
        (np.asarray(sample_matrix()), np.asarray(sample_ints()),
         [float(v) for v in sample_pair()])
        for _ in range(3)
    ]
