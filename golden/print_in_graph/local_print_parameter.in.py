import tensorflow as tf


@tf.function
def step(x, print=tf.print):
    print("x:", x)
    return x
