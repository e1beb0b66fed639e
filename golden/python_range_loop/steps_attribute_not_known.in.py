import tensorflow as tf


# `self.steps` comes from a constructor argument that is not a literal where the class
# is made: its value is not known, so the loop is left alone.
class Smoother:
    def __init__(self, steps):
        self.steps = steps

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def smooth(self, series):
        level = tf.constant(0.0)
        for i in range(self.steps):
            level += 0.5 * (series[i] - level)
        return level


# Made with a literal, but the class is also handed to a factory, which may make
# instances with any value: left alone.
class Accumulator:
    def __init__(self, steps=500):
        self.steps = steps

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def total(self, series):
        acc = tf.constant(0.0)
        for i in range(self.steps):
            acc += series[i]
        return acc


def build(kind, **options):
    return kind(**options)


def main(length):
    smoother = Smoother(length)
    accumulator = build(Accumulator, steps=length)
    return smoother, accumulator, Accumulator(500)
