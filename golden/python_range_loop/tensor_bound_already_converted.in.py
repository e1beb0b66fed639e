import tensorflow as tf


@tf.function
def total(x, n):
    s = tf.constant(0)
    for i in range(tf.size(x)):
        s += i
    for i in range(n):
        s += 1
    return s


@tf.function(autograph=False)
def plain(x):
    for i in range(100):
        x = x + 1
    return x
