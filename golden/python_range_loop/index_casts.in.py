import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
def weighted(x):
    acc = tf.zeros([3])
    for i in range(50):
        acc += x * i
        acc -= i * 0.5
    return acc


@tf.function(input_signature=[tf.TensorSpec([None], tf.int64)])
def shifted(x):
    out = tf.zeros_like(x)
    for j in range(40):
        out = out + (j + 1)
        out += tf.maximum(x, j)
    return out

