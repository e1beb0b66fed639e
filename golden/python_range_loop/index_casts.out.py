import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
def weighted(x):
    acc = tf.zeros([3])
    for i in tf.range(50):
        acc += x * tf.cast(i, tf.float32)
        acc -= tf.cast(i, tf.float32) * 0.5
    return acc


@tf.function(input_signature=[tf.TensorSpec([None], tf.int64)])
def shifted(x):
    out = tf.zeros_like(x)
    for j in tf.range(40):
        out = out + (tf.cast(j + 1, tf.int64))
        out += tf.maximum(x, tf.cast(j, tf.int64))
    return out

