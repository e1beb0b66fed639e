import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([32], tf.float32)])
def cumulative(x):
    total = tf.constant(0.0)
    for i in range(32):
        total += x[i]
        print("running total", total)
    return total
