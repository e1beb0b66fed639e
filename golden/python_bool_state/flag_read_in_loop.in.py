import tensorflow as tf


@tf.function
def first_above(x, threshold):
    done = False
    i = tf.constant(0)
    while not done:
        i += 1
        if not done:
            done = tf.gather(x, i) > threshold
    return i


@tf.function
def with_break(x, threshold):
    done = False
    i = tf.constant(0)
    while not done:
        i += 1
        if i > 10:
            break
        done = tf.gather(x, i) > threshold
    return done
