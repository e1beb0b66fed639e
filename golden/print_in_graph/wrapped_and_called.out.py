import sys

import tensorflow as tf


def log_value(name, value):
    tf.print(name, ": ", value, sep="", summarize=-1, output_stream=sys.stdout)


def compute(x):
    log_value("x", x)
    return x * 2


fast_compute = tf.function(compute)


def run():
    return [fast_compute(tf.constant(i)) for i in range(3)]
