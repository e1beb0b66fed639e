import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
def squares(x):
    out = []
    for i in range(100):
        out.append(x * i)
    return tf.stack(out)
