# tfrewrite: --unsafe-fixes
import tensorflow as tf


@tf.function
def accumulate(x):
    total = tf.Variable(0.0)  # a fresh accumulator on every call
    total.assign_add(x)
    total.assign_add(x * 2.0)
    return total


def run():
    return [accumulate(tf.constant(1.0)) for _ in range(3)]
