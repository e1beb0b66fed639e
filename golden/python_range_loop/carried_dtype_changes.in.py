import tensorflow as tf


@tf.function
def halves(x):
    s = 0
    for i in range(100):
        s = s + 0.5
    return x + s


@tf.function
def grows(x):
    acc = tf.constant([0.0])
    for i in range(100):
        acc = tf.concat([acc, [1.0]], 0)
    return acc
