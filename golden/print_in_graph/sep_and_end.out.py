import sys

import tensorflow as tf


@tf.function
def step(x):
    tf.print("a", "b", sep="-", end="!\n", output_stream=sys.stdout)
    tf.print("value ", x, " | and | ", x * 2, sep="", summarize=-1, output_stream=sys.stdout)
    tf.print("no newline", end="", output_stream=sys.stdout)
    tf.print(output_stream=sys.stdout)
    return x


def run():
    return [step(tf.constant(i)) for i in range(2)]
