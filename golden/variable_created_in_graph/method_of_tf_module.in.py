# tfrewrite: --unsafe-fixes
import tensorflow as tf


class Counter(tf.Module):
    def __init__(self, start, name=None):
        super().__init__(name=name)
        self.start = start

    @tf.function(input_signature=[tf.TensorSpec(shape=[], dtype=tf.float32)])
    def add(self, a):
        """Adds `a` to a counter that starts over on every call."""
        count = tf.Variable(self.start, dtype=tf.float32)
        count.assign_add(a)
        return count


def run():
    first, second = Counter(1.0), Counter(10.0)
    return [first.add(tf.constant(5.0)), first.add(tf.constant(5.0)), second.add(tf.constant(1.0))]
