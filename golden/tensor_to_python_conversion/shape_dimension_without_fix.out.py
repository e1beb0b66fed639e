"""Dimensions that are None while tracing, used where only a Python int will do: reported."""

import numpy as np
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
def summarise(batch):
    # A Python list as long as the batch, a NumPy buffer, Python ints: all need the size.
    names = ["row"] * batch.shape[0]
    buffer = np.zeros(batch.shape[0])
    count = int(batch.shape[0])
    indices = [row * 2 for row in range(batch.shape[0])]
    size = batch.shape[0]
    scratch = np.ones((size, 3))
    total = tf.constant(0.0)
    # The loop is AG003's: it rewrites `range(batch.shape[0])` with the loop.
    for i in tf.range(tf.shape(batch)[0]):
        total += tf.reduce_sum(batch[i])
    return names, buffer, count, indices, scratch, total
