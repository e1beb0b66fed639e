import sys

import tensorflow as tf


def huber(y_true, y_pred, delta=1.0):
    tf.print("computing the huber loss", output_stream=sys.stdout)
    error = y_true - y_pred
    small = tf.abs(error) <= delta
    return tf.reduce_mean(tf.where(small, 0.5 * tf.square(error), delta * (tf.abs(error) - 0.5 * delta)))


loss_fn = huber


@tf.function
def evaluate(y_true, y_pred):
    return loss_fn(y_true, y_pred)


def run():
    y = tf.constant([0.0, 1.0, 2.0])
    return [evaluate(y, y * float(k)) for k in range(3)]
