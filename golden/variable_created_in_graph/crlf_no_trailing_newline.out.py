# tfrewrite: --unsafe-fixes
import tensorflow as tf


class Counter:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._call_c = None

    @tf.function
    def __call__(self, x):
        if self._call_c is None:
            self._call_c = tf.Variable(0.0)
        c = self._call_c
        c.assign(0.0)
        c.assign_add(x)
        return c.read_value()


def run():
    counter = Counter()
    return [counter(tf.constant(2.0)), counter(tf.constant(2.0))]