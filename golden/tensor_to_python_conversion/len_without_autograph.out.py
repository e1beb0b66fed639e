"""`len` of a tensor in a function traced without AutoGraph: TypeError while tracing.

`len` of a Python list stays: it is a constant of the trace."""

import tensorflow as tf

OFFSETS = [1, 2]


@tf.function(autograph=False, input_signature=[tf.TensorSpec([None], tf.int32)])
def count_and_shift(ids):
    return tf.add(tf.shape(ids)[0], len(OFFSETS))


def run():
    return [count_and_shift(tf.constant([4, 5, 6])).numpy(), count_and_shift(tf.constant([7])).numpy()]
