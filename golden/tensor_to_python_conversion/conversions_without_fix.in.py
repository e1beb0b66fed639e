"""Conversions that raise in a graph but have no faithful rewrite: reported only."""

import numpy as np
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None], tf.float32), tf.TensorSpec([], tf.float64)])
def report_only(scores, threshold):
    history = scores.numpy().tolist()
    if bool(tf.reduce_any(scores > 0.0)):
        scores = scores * 2.0
    limit = float(threshold)
    ranked = np.argsort(scores)
    best = np.argmax(tf.reshape(scores, [-1, 1]))  # NumPy flattens: no axis, 2-D
    average = np.mean(scores).item()
    return history, limit, ranked, best, average
