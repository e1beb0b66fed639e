# tfrewrite: --unsafe-fixes
import tensorflow as tf

PARITY = "random"


@tf.function
def noisy(x):
    return x + tf.random.normal((3,), mean=0.0, stddev=0.5)


def run():
    return [noisy(tf.constant([1.0, 2.0, 3.0])) for _ in range(3)]
