import functools
import sys

import tensorflow as tf

tff = tf.function
compiled = functools.partial(tf.function, reduce_retracing=True)


def graph_step(fn):
    """The project's own decorator: every step is a tf.function."""
    return tf.function(fn, reduce_retracing=True)


@tff
def scale(x):
    tf.print("scale", output_stream=sys.stdout)
    return x * 2.0


@compiled
def shift(x):
    tf.print("shift", output_stream=sys.stdout)
    return x + 1.0


@graph_step
def step(x):
    tf.print("step", output_stream=sys.stdout)
    return shift(scale(x))


def run():
    return [step(tf.constant(float(i))) for i in range(3)]
