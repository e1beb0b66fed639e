import sys

import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([32], tf.float32)])
def cumulative(x):
    total = tf.constant(0.0)
    for i in tf.range(32):
        total += x[i]
        tf.print("running total", total, output_stream=sys.stdout)
    return total
