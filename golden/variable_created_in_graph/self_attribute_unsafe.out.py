# tfrewrite: --unsafe-fixes
import tensorflow as tf


class Scratch(tf.Module):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.buffer = None

    @tf.function
    def __call__(self, x):
        if self.buffer is None:
            self.buffer = tf.Variable(tf.zeros([2]))
        self.buffer.assign(tf.zeros([2]))
        self.buffer.assign_add(x)
        return self.buffer.read_value()


def run():
    scratch = Scratch()
    x = tf.constant([1.0, 2.0])
    return [scratch(x), scratch(x), scratch(x)]
