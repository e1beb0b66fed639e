# tfrewrite: --unsafe-fixes --select AG009
"""No signature: the batch dimension may be None (a dataset batch), so the fix is unsafe."""

import tensorflow as tf


@tf.function
def add_bias_column(features):
    ones = tf.ones([tf.shape(features)[0], 1], features.dtype)
    return tf.concat([features, ones], axis=1)


def batches(dataset):
    # Dataset elements batched without drop_remainder have a None batch dimension.
    return dataset.batch(4).map(lambda x: tf.reshape(x, [tf.shape(x)[0], -1]))
