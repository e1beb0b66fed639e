# tfrewrite: --unsafe-fixes
import tensorflow as tf


class Counter:
    @tf.function
    def __call__(self, x):
        c = tf.Variable(0.0)
        c.assign_add(x)
        return c


def run():
    counter = Counter()
    return [counter(tf.constant(2.0)), counter(tf.constant(2.0))]