import tensorflow as tf


class Pair:
    def describe(self):
        return "pair"

    @tf.function
    def step(self, x):
        low = tf.Variable(0.0)
        high = tf.Variable(10.0)
        low.assign_add(x)
        high.assign_sub(x)
        return low + high, low * high


def run():
    pair = Pair()
    return [pair.step(tf.constant(1.0)), pair.step(tf.constant(2.0)), pair.describe()]
