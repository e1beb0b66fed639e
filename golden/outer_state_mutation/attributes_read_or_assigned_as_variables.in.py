import tensorflow as tf


class Scaler(tf.Module):
    """Attributes set only in `__init__` and a tf.Variable updated with `assign*`."""

    def __init__(self, factor):
        super().__init__()
        self.factor = factor
        self.calls = tf.Variable(0)
        self.total = tf.Variable(0.0)

    @tf.function
    def __call__(self, x):
        scaled = x * self.factor
        self.calls.assign_add(1)
        self.total.assign(self.total + tf.reduce_sum(scaled))
        return scaled


class Schedule(tf.Module):
    """Setters that assign variables run on every call: not reported."""

    def __init__(self):
        super().__init__()
        self._scale = tf.Variable(1.0)

    @property
    def scale(self):
        return self._scale

    @scale.setter
    def scale(self, value):
        self._scale.assign(value)

    @tf.function
    def __call__(self, x):
        self.scale = x
        return self._scale * 2.0


@tf.function
def count_layers(x, widths=(2, 3)):
    """A Python counter that never meets a tensor, on a local object."""
    n = 0
    for _ in widths:
        n += 1
    return x * n


PARITY = "same"


def run():
    s = Scaler(2.0)
    out = [s(tf.constant([1.0, 2.0])), s(tf.constant([3.0]))]
    sched = Schedule()
    scaled = [sched(tf.constant(3.0)), sched(tf.constant(4.0))]
    return out + scaled + [s.calls.read_value(), s.total.read_value(), count_layers(tf.constant(1.0))]
