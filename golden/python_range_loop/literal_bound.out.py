import tensorflow as tf

STEPS = 1000


@tf.function
def power_sum(x):
    total = tf.zeros_like(x)
    for k in tf.range(1000):
        total += tf.pow(x, tf.cast(k % 3, tf.float32))
    return total


@tf.function
def count_up(x):
    s = tf.constant(0)
    for i in tf.range(STEPS):  # a module constant
        s += i
    return s + x
