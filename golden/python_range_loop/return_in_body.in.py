import tensorflow as tf


@tf.function
def first_index(x):
    for i in range(100):
        if x[i] > 0:
            return i
    return -1
