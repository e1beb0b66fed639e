import sys

import tensorflow as tf


class Counter(tf.Module):
    def __init__(self):
        super().__init__()
        self.total = tf.Variable(0)

    @tf.function(input_signature=[tf.TensorSpec([], tf.int32)])
    def add(self, x):
        self.total.assign_add(x)
        tf.print("total=", self.total.read_value(), sep="", summarize=-1, output_stream=sys.stdout)
        return self.total.read_value()

    @staticmethod
    @tf.function
    def double(x):
        tf.print("double ", x, sep="", summarize=-1, output_stream=sys.stdout)
        return 2 * x

    @classmethod
    @tf.function
    def triple(cls, x):
        tf.print("triple ", x, sep="", summarize=-1, output_stream=sys.stdout)
        return 3 * x


def run():
    counter = Counter()
    return [(counter.add(tf.constant(i)), Counter.double(tf.constant(i)), Counter.triple(tf.constant(i)))
            for i in range(3)]
