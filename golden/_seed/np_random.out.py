# tfrewrite: --unsafe-fixes
import tensorflow as tf


@tf.function
def np_random():
    a = tf.random.normal([3, 3], dtype=tf.float64)
    tf.print(a)


@tf.function
def tf_random():
    a = tf.random.normal((3, 3))
    tf.print(a)
