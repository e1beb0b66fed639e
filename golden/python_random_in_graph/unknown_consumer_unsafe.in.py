# tfrewrite: --unsafe-fixes
import numpy as np
import tensorflow as tf

PARITY = "random"


@tf.function
def noisy(x):
    return x + np.random.normal(0.0, 0.5, size=(3,))


def clip_weights(weights, low, high):
    return tf.clip_by_value(weights, low, high)


@tf.function
def initial_weights():
    """The draw goes through a helper: it keeps NumPy's float64 and returns it."""
    weights = clip_weights(np.random.uniform(-1.0, 1.0, size=(2, 2)), -0.5, 0.5)
    return weights


def run():
    return [(noisy(tf.constant([1.0, 2.0, 3.0])), initial_weights()) for _ in range(3)]
