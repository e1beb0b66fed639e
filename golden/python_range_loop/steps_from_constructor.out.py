import tensorflow as tf


class EarlyStoppingSmoother:
    """Exponential smoothing over the first `steps` values, stopped once it settles."""

    def __init__(self, steps, rate=0.5):
        self.steps = steps
        self.rate = rate

    # `self.steps` is 120 for every instance made here: a long unrolled loop, whose
    # tensor-dependent `break` a Python `range` loop cannot hold in a graph.
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def settle(self, series):
        level = tf.constant(0.0)
        for i in tf.range(self.steps):
            change = self.rate * (series[i] - level)
            level += change
            if tf.abs(change) < 1e-3:
                break
        return level


def run():
    series = tf.concat([tf.fill([60], 4.0), tf.fill([60], -1.0)], axis=0)
    slow = EarlyStoppingSmoother(120)
    fast = EarlyStoppingSmoother(steps=120, rate=0.25)
    return [slow.settle(series), fast.settle(series), slow.settle(series[::-1])]
