"""Tensor conditions AutoGraph leaves to Python: reported, no faithful rewrite."""

import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([4], tf.float32)])
def positive_parts(x):
    # A comprehension filter asks every element for a Python bool.
    kept = [v for v in tf.unstack(x) if v > 0.0]
    if any(v < -10.0 for v in tf.unstack(x)):
        x = tf.zeros_like(x)
    return tf.stack(kept), x


@tf.function(autograph=False, input_signature=[tf.TensorSpec([], tf.float32)])
def clamp(value):
    # Without AutoGraph nothing turns these into TensorFlow control flow.
    if value > 1.0:
        value = tf.constant(1.0)
    small = value < 0.0 or value > 100.0
    return value if not small else -value
