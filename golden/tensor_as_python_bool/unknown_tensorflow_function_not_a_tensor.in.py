# `tf.get_static_shape` is not a TensorFlow 2 function (it raises AttributeError before
# any truth test), and a `tf.*` name the API table does not know tells nothing about
# its result: the `or` on it is not reported as a tensor tested as a Python bool.
import tensorflow as tf


def leading_size(sparse):
    """The number of stored values: static when known, else from the graph."""
    return (
        sparse.indices.shape[0]
        or tf.get_static_shape(sparse.dense_shape)[0]
        or tf.shape(sparse.indices)[0]
    )


@tf.function(autograph=False)
def prepend_axis(sparse):
    count = leading_size(sparse)
    indices = tf.concat([tf.zeros([count, 1], dtype=tf.int64), sparse.indices], axis=1)
    shape = tf.concat([[1], tf.cast(sparse.dense_shape, tf.int64)], axis=0)
    return tf.SparseTensor(indices=indices, values=sparse.values, dense_shape=shape)
