import sys

import tensorflow as tf


@tf.function
def step(x, y):
    tf.print("x=", x, ", y=", y, "!", sep="", summarize=-1, output_stream=sys.stdout)
    tf.print("sum: ", x + y, sep="", summarize=-1, output_stream=sys.stdout)
    return x * y


def run():
    return [step(tf.constant(i), tf.constant(10 * i)) for i in range(3)]
