# The same `or` chain on functions the API table knows: `tf.size` and `tf.add_n` give
# tensors, and without AutoGraph an `or` operand needs their truth value.
import tensorflow as tf


def leading_size(sparse):
    """The number of stored values, or the total of the dense shape."""
    return sparse.indices.shape[0] or tf.size(sparse.values) or tf.shape(sparse.indices)[0]


def total(counts, extra):
    return tf.add_n(counts) or extra


@tf.function(autograph=False)
def prepend_axis(sparse):
    count = leading_size(sparse)
    indices = tf.concat([tf.zeros([count, 1], dtype=tf.int64), sparse.indices], axis=1)
    shape = tf.concat([[1], tf.cast(sparse.dense_shape, tf.int64)], axis=0)
    return tf.SparseTensor(indices=indices, values=sparse.values, dense_shape=shape)


@tf.function(autograph=False)
def summed(counts):
    return total(counts, tf.constant(0))
