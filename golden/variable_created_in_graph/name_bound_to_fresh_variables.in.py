import tensorflow as tf


@tf.function
def two_phase(x):
    """Each phase starts from a fresh scratch variable of its own."""
    scratch = tf.Variable(tf.zeros([3]))
    scratch.assign_add(x)
    first = tf.reduce_sum(scratch)

    scratch = tf.Variable(tf.ones([3]))
    scratch.assign_add(x * 2.0)
    second = tf.reduce_sum(scratch)
    return first + second


@tf.function
def chained(x):
    """The second creation reads the first variable: no fix."""
    v = tf.Variable(1.0)
    v = tf.Variable(v + 1.0)
    return v + x


def run():
    x = tf.constant([1.0, 2.0, 3.0])
    return [two_phase(x), two_phase(x), two_phase(x * 2.0)]
