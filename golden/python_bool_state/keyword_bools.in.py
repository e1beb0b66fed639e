import tensorflow as tf


@tf.function
def normalise(x, layer):
    total = tf.reduce_sum(x, axis=0, keepdims=True)
    y = layer(x, training=False)
    i = tf.constant(0)
    while i < 3:
        i += 1
    return total + y + tf.cast(i, tf.float32)
