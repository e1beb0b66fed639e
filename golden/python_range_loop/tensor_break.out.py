import tensorflow as tf


@tf.function
def steps_until(limit):
    total = tf.constant(0)
    for i in tf.range(100):
        total += i
        if total > limit:
            break
    return total


def run():
    return [steps_until(tf.constant(10)), steps_until(tf.constant(100)), steps_until(tf.constant(10**6))]
