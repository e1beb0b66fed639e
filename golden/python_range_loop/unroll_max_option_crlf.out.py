# tfrewrite: --range-unroll-max 2
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([], tf.int32)])
def triple(x):
    for i in tf.range(3):  # above the configured maximum of 2
        x += i
    return x
