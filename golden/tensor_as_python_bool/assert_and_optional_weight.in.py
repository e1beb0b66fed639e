# tfrewrite: --unsafe-fixes
"""A tensor `assert` and `if weight:` on an optional tensor argument (both unsafe fixes)."""

import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None], tf.float32), tf.TensorSpec([], tf.float32)])
def weighted_loss(errors, weight=None):
    assert tf.reduce_all(errors >= 0.0), "errors must be non-negative"
    loss = tf.reduce_mean(errors)
    if weight:
        loss = loss * weight
    return loss


@tf.function
def scaled(x, scale=None):
    assert tf.reduce_all(tf.math.is_finite(x))
    if not scale:
        return x
    return tf.multiply(x, scale)


def run():
    errors = tf.constant([0.5, 1.5, 2.0])
    return [
        weighted_loss(errors, tf.constant(0.5)),
        weighted_loss(errors * 2.0, tf.constant(3.0)),
        scaled(errors, tf.constant(2.0)),
        scaled(errors + 1.0, tf.constant(0.25)),
    ]
