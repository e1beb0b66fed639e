import tensorflow as tf


@tf.function
def triangle(n):
    total = tf.constant(0.0)
    for i in tf.range(n):
        step = tf.Variable(1.0)
        step.assign_add(tf.cast(i, tf.float32))
        total += step
    return total


def run():
    return [triangle(tf.constant(3)), triangle(tf.constant(4))]
