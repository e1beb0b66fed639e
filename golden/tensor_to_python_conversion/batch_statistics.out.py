"""Batch statistics computed with NumPy inside a graph: exact integer and max/argmax math."""

import numpy as np
import tensorflow as tf

@tf.function(input_signature=[tf.TensorSpec([None, 3], tf.int32), tf.TensorSpec([None, 3], tf.float32)])
def batch_statistics(labels, logits):
    # Label counts per class: NumPy sums int32 into int64.
    counts = tf.reduce_sum(tf.cast(labels, tf.int64), axis=0)
    best = tf.argmax(logits, axis=1)
    top = tf.reduce_max(logits, axis=-1, keepdims=True)
    margin = tf.reduce_sum(logits - top, axis=1)
    clipped = tf.clip_by_value(labels, 0, 1)
    both = tf.concat([labels, clipped], axis=1)
    return counts, best, margin, both


def run():
    labels = tf.constant([[1, 0, 2], [0, 3, 1]])
    logits = tf.constant([[0.5, 2.0, -1.0], [1.5, 0.25, 3.0]])
    results = [batch_statistics(labels, logits), batch_statistics(labels[:1], logits[:1] * 2.0)]
    return [[np.asarray(value) for value in result] for result in results]
