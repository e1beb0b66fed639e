import tensorflow as tf


def first_above(x, threshold):
    done = False
    i = tf.constant(0)
    while not done:
        i += 1
        done = tf.gather(x, i) > threshold
    return i
