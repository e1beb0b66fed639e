import tensorflow as tf


class Pair:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._step_low = None
        self._step_high = None

    def describe(self):
        return "pair"

    @tf.function
    def step(self, x):
        if self._step_low is None:
            self._step_low = tf.Variable(0.0)
        low = self._step_low
        low.assign(0.0)
        if self._step_high is None:
            self._step_high = tf.Variable(10.0)
        high = self._step_high
        high.assign(10.0)
        low.assign_add(x)
        high.assign_sub(x)
        return low + high, low * high


def run():
    pair = Pair()
    return [pair.step(tf.constant(1.0)), pair.step(tf.constant(2.0)), pair.describe()]
