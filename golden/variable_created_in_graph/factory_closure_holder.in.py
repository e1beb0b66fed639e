import tensorflow as tf


def make_scratch(dim, decay=0.5):
    """A step function with its own scratch buffer of width `dim`."""

    @tf.function
    def accumulate(batch):
        scratch = tf.Variable(tf.zeros([dim]))
        for row in batch:
            scratch.assign(scratch * decay + row)
        return tf.reduce_sum(scratch)

    return accumulate


def make_counter(start):
    class Counter:
        @staticmethod
        @tf.function
        def count(steps):
            c = tf.Variable(start)
            c.assign_add(steps)
            return c + 0

    return Counter


def run():
    narrow = make_scratch(2)
    wide = make_scratch(3, decay=0.25)
    rows2 = tf.ones([4, 2])
    rows3 = tf.ones([2, 3])
    tens, hundreds = make_counter(10), make_counter(100)
    return [
        narrow(rows2), wide(rows3), narrow(rows2), wide(rows3),
        tens.count(tf.constant(1)), hundreds.count(tf.constant(2)), tens.count(tf.constant(3)),
    ]
