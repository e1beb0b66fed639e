import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
def tenths(x):
    for i in range(100):
        x += i * 0.1
    return x
