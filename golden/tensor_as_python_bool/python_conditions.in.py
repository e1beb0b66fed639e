"""Conditions AutoGraph converts, or that are Python values: no change."""

import tensorflow as tf


class Block(tf.Module):
    def __init__(self, rate=0.1):
        super().__init__()
        self.rate = rate
        self.scale = tf.Variable(2.0)

    @tf.function
    def __call__(self, x, training=None, mask=None):
        if training:  # a Python flag: its truth value is the point
            x = tf.nn.dropout(x, self.rate)
        if mask is not None:
            x = x * mask
        if tf.reduce_sum(x) > 0.0:  # AutoGraph makes this a tf.cond
            x = x * self.scale
        sizes = [d for d in (1, 2, 3) if d > 1]
        flag = x[0] > 0.0 and x[1] > 0.0
        return (x if flag else -x), len(sizes), not self.rate
