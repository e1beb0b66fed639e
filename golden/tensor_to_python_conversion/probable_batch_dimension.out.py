# tfrewrite: --unsafe-fixes --select AG009
"""Relaxed shapes and dataset batches: the batch dimension may be None, so the fix is unsafe."""

import tensorflow as tf


@tf.function(reduce_retracing=True)
def add_bias_column(features):
    # After a second batch size, reduce_retracing traces with a batch dimension of None.
    ones = tf.ones([tf.shape(features)[0], 1], features.dtype)
    return tf.concat([features, ones], axis=1)


def batches(dataset):
    # Dataset elements batched without drop_remainder have a None batch dimension.
    return dataset.batch(4).map(lambda x: tf.reshape(x, [tf.shape(x)[0], -1]))


@tf.function
def eager_batches(features):
    # Called with eager tensors, a plain tf.function traces each static shape: left alone.
    return tf.zeros([features.shape[0], 1])


def run():
    # The second batch size makes reduce_retracing trace with a batch dimension of None.
    sizes = (2, 3, 4)
    return [add_bias_column(tf.ones([n, 2])).numpy() for n in sizes]
