# tfrewrite: --unsafe-fixes
import numpy as np
import tensorflow as tf

PARITY = "random"


@tf.function
def noisy(x):
    return x + np.random.normal(0.0, 0.5, size=(3,))


def run():
    return [noisy(tf.constant([1.0, 2.0, 3.0])) for _ in range(3)]
