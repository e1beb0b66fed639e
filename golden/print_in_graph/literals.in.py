import tensorflow as tf


@tf.function
def count(n):
    print("counting")
    total = tf.constant(0)
    for i in tf.range(n):
        total += i
    print("done", 3, 2.5, None)
    return total


def run():
    return [count(tf.constant(k)) for k in range(3)]
