import tensorflow as tf


@tf.function
def in_expression(x):
    return tf.Variable(x) + 1.0


@tf.function
def bound_twice(x):
    v = tf.Variable(1.0)
    v = tf.Variable(v + x)
    return v.read_value()


@tf.function
def callable_initial_value(x):
    v = tf.Variable(lambda: tf.zeros([2]))
    return v + x


@tf.function
def needs_a_local_inside_a_block(n):
    total = tf.constant(0.0)
    for i in tf.range(n):
        v = tf.Variable(tf.cast(i, tf.float32))
        total += v
    return total
