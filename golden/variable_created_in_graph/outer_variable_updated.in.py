import tensorflow as tf

x = tf.Variable(1.0, dtype=tf.float32)


@tf.function
def outer_var():
    x.assign_add(1.0)
    tf.print(x)
    return x


def eager_only():
    return tf.Variable(2.0)
