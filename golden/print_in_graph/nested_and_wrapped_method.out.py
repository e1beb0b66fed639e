import sys

import tensorflow as tf


@tf.function
def outer(x):
    def inner(y):
        tf.print("inner ", y, sep="", summarize=-1, output_stream=sys.stdout)
        return y * 2

    def python_side(y):
        print("python side", y)
        return y

    z = tf.py_function(python_side, [x], tf.int32)
    return inner(x) + z


class Trainer:
    def __init__(self):
        self._step = tf.function(self.step)

    def step(self, x):
        tf.print("step ", x, sep="", summarize=-1, output_stream=sys.stdout)
        return x + 1


def run():
    trainer = Trainer()
    return [(outer(tf.constant(i)), trainer._step(tf.constant(i))) for i in range(2)]
