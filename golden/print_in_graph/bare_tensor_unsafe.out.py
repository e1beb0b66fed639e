# tfrewrite: --unsafe-fixes
import tensorflow as tf
import sys


@tf.function
def step(x):
    tf.print("x:", x, output_stream=sys.stdout)
    return x
