import functools

import tensorflow as tf

tff = tf.function
compiled = functools.partial(tf.function, reduce_retracing=True)


def graph_step(fn):
    """The project's own decorator: every step is a tf.function."""
    return tf.function(fn, reduce_retracing=True)


@tff
def scale(x):
    print("scale")
    return x * 2.0


@compiled
def shift(x):
    print("shift")
    return x + 1.0


@graph_step
def step(x):
    print("step")
    return shift(scale(x))


def run():
    return [step(tf.constant(float(i))) for i in range(3)]
