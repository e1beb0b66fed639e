import tensorflow as tf


@tf.function
def repeat(x):
    done = False
    n = 0
    while not done:
        n += 1
        x = x * 2.0
        done = n >= 3
    return x


@tf.function
def spin(x):
    n = 0
    while True:
        n += 1
        if n > 3:
            break
    return x + n
