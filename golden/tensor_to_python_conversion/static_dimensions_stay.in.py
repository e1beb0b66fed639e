"""Dimensions the signature or the analysis fixes, shapes of NumPy arrays, guarded uses: no change."""

import numpy as np
import tensorflow as tf

TABLE = np.arange(12).reshape(3, 4)


@tf.function(input_signature=[tf.TensorSpec([None, 8], tf.float32)])
def project(features):
    # Dimension 1 is 8 in the signature: a Python int while tracing.
    width = features.shape[1]
    weights = tf.ones([width, 2]) / width
    grid = np.zeros([features.shape[-1], 2])
    rows = tf.zeros([TABLE.shape[0], TABLE.shape[1]])  # a NumPy array: its shape is static
    return tf.matmul(features, weights) + tf.reduce_sum(grid) + tf.reduce_sum(rows)


@tf.function(input_signature=[tf.TensorSpec([None, 8], tf.float32)])
def guarded(features):
    if features.shape[0] is not None:
        return tf.zeros([features.shape[0], 8])
    batch = features.shape[0] or tf.shape(features)[0]
    return tf.zeros([batch, 8])


def describe(rows):
    return f"{rows} rows"


@tf.function
def sized_elsewhere(features):
    # A size handed to other code, or only compared: not followed.
    label = describe(features.shape[0])
    units = features.shape[0]
    if units is None:
        units = 1
    tf.print(label, units)
    return features
