import tensorflow as tf


@tf.function
def first_above(x, threshold):
    done = tf.constant(False)
    i = tf.constant(0)
    while not done:
        i += 1
        done = tf.gather(x, i) > threshold
    return i


@tf.function(input_signature=[tf.TensorSpec([], tf.int32)])
def count_to(n):
    running = tf.constant(True)  # stays on until the count reaches n
    i = tf.constant(0)
    while running:
        i += 1
        if i >= n:
            running = False
    return i


def run():
    x = tf.constant([0.0, 1.0, 2.0, 3.0, 4.0])
    return [first_above(x, tf.constant(1.5)), first_above(x, tf.constant(2.5)), count_to(tf.constant(4))]
