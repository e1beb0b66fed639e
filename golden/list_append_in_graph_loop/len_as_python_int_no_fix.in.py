import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([], tf.int32)])
def collect(n):
    out = []
    for i in tf.range(n):
        out.append(i)
    size = len(out)
    return tf.stack(out), size
