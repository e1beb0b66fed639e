import sys

import tensorflow as tf


@tf.function
def step(x):
    tf.print("start", output_stream=sys.stdout)
    tf.print("warning: x=", x, sep="", summarize=-1, output_stream=sys.stderr)
    tf.print("end", output_stream=sys.stdout, sep="")
    return x + 1


def run():
    return [step(tf.constant(i)) for i in range(3)]
