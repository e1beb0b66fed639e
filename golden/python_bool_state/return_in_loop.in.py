import tensorflow as tf


@tf.function
def first_above(x, threshold):
    i = tf.constant(0)
    while True:
        i += 1
        if tf.gather(x, i) > threshold:
            return i
        if i > 100:
            break
    return i
