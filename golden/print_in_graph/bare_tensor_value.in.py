import tensorflow as tf


@tf.function
def step(x):
    print("x:", x)
    return x
