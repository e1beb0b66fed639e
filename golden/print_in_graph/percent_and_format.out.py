# tfrewrite: --unsafe-fixes
import sys

import tensorflow as tf


@tf.function
def step(i, n):
    tf.print(tf.strings.join(["step ", tf.strings.as_string(i), " of ", tf.strings.as_string(n)]), output_stream=sys.stdout)
    tf.print(n - i, " left, ", n, " total", sep="", summarize=-1, output_stream=sys.stdout)
    tf.print("100% done: yes", sep="", output_stream=sys.stdout)
    return i


def run():
    return [step(tf.constant(i), tf.constant(5)) for i in range(3)]
