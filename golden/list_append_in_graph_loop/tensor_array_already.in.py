import tensorflow as tf


@tf.function
def squares(n):
    out = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    for i in tf.range(n):
        out = out.write(i, tf.cast(i * i, tf.float32))
    return out.stack()
