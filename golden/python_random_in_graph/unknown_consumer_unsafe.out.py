# tfrewrite: --unsafe-fixes
import tensorflow as tf

PARITY = "random"


@tf.function
def noisy(x):
    return x + tf.random.normal((3,), mean=0.0, stddev=0.5)


def clip_weights(weights, low, high):
    return tf.clip_by_value(weights, low, high)


@tf.function
def initial_weights():
    """The draw goes through a helper: it keeps NumPy's float64 and returns it."""
    weights = clip_weights(tf.random.uniform((2, 2), minval=-1.0, maxval=1.0, dtype=tf.float64), -0.5, 0.5)
    return weights


def run():
    return [(noisy(tf.constant([1.0, 2.0, 3.0])), initial_weights()) for _ in range(3)]
