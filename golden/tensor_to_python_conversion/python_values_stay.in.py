"""NumPy on Python values, NumPy under an eager guard, and AutoGraph's own casts: no change."""

import numpy as np
import tensorflow as tf

WEIGHTS = [0.2, 0.3, 0.5]


def normalise(values):
    # Not graph code: NumPy on a concrete array is fine here.
    return np.mean(values.numpy())


@tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
def weighted(x):
    scale = np.sqrt(len(WEIGHTS))  # a Python list: a trace-time constant
    weights = tf.constant(np.array(WEIGHTS, np.float32))
    if tf.executing_eagerly():
        tf.print("mean", np.mean(x.numpy()))
    rows = int(tf.shape(x)[0])  # AutoGraph casts an int32 tensor to int32: same value
    return tf.reduce_sum(x * weights, axis=1) / scale + tf.cast(rows, tf.float32)


@tf.function
def uses_static_shape(x):
    width = x.shape[-1]
    return tf.reshape(x, [-1, np.prod([width, 1])])
