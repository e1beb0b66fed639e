import sys

import tensorflow as tf


@tf.function
def step(x):
    tf.print("x:", x, summarize=-1, output_stream=sys.stdout)
    return x
