import sys

import tensorflow as tf


@tf.function
def count(n):
    tf.print("counting", output_stream=sys.stdout)
    total = tf.constant(0)
    for i in tf.range(n):
        total += i
    tf.print("done", 3, 2.5, None, output_stream=sys.stdout)
    return total


def run():
    return [count(tf.constant(k)) for k in range(3)]
