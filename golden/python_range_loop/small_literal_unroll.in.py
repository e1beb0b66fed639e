import tensorflow as tf


@tf.function
def three_steps(x):
    for i in range(3):
        x = x * 2.0 + i
    return x


@tf.function
def window(x):
    for i in range(16):
        x = x + i
    return x
