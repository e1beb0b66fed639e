import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
def rank_of(x):
    buffer = tf.Variable(tf.zeros_like(x))
    buffer.assign_add(x)
    return buffer.shape.rank
