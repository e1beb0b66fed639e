# tfrewrite: --unsafe-fixes
import tensorflow as tf


class Counter(tf.Module):
    def __init__(self, start, name=None):
        super().__init__(name=name)
        self._add_count = None
        self.start = start

    @tf.function(input_signature=[tf.TensorSpec(shape=[], dtype=tf.float32)])
    def add(self, a):
        """Adds `a` to a counter that starts over on every call."""
        if self._add_count is None:
            self._add_count = tf.Variable(self.start, dtype=tf.float32)
        count = self._add_count
        count.assign(self.start)
        count.assign_add(a)
        return count.read_value()


def run():
    first, second = Counter(1.0), Counter(10.0)
    return [first.add(tf.constant(5.0)), first.add(tf.constant(5.0)), second.add(tf.constant(1.0))]
