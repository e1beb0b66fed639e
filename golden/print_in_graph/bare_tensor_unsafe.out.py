# tfrewrite: --unsafe-fixes
import sys

import tensorflow as tf


@tf.function
def step(x):
    tf.print("x:", x, output_stream=sys.stdout)
    return x
