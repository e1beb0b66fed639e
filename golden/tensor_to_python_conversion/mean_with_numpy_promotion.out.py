# tfrewrite: --unsafe-fixes
"""np.mean of an int tensor is float64 in NumPy; the rewrite casts to keep it (unsafe: float rounding may differ)."""

import numpy as np
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None], tf.int32), tf.TensorSpec([None], tf.float32)])
def summarize(steps, losses):
    mean_step = tf.reduce_mean(tf.cast(steps, tf.float64))  # float64, as NumPy computes it
    spread = tf.square(losses) - 1.0
    scale = tf.where(losses > 1.0, losses, 1.0)
    return mean_step, tf.reduce_sum(spread / scale)


def run():
    out = []
    for steps, losses in (([1, 2, 4], [0.5, 1.5, 2.5]), ([7, 8], [3.0, 0.25])):
        mean_step, total = summarize(tf.constant(steps), tf.constant(losses))
        out.append((np.asarray(mean_step), np.asarray(total)))
    return out
