import sys

from tensorflow import constant, function
import tensorflow as tf


@function
def step(x):
    tf.print("x=", x, sep="", summarize=-1, output_stream=sys.stdout)
    return x


def run():
    return [step(constant(i)) for i in range(2)]
