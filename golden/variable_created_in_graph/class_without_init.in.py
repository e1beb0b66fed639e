# tfrewrite: --unsafe-fixes
import tensorflow as tf


class Smoother:
    """A plain class: the fix adds an `__init__` that forwards to `super().__init__`."""

    scale = 2.0

    @tf.function
    def __call__(self, x):
        acc = tf.Variable(tf.zeros_like(x))
        for _ in tf.range(3):
            acc.assign_add(x * self.scale)
        return acc


def run():
    smoother = Smoother()
    # A retrace with another shape works because the variable has no fixed shape.
    return [smoother(tf.constant([1.0, 2.0])), smoother(tf.constant([1.0, 2.0])),
            smoother(tf.constant([1.0, 2.0, 3.0]))]
