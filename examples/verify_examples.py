"""Example calls for `tfrewrite verify --examples examples/verify_examples.py examples/`.

Each key names a graph function as "module:function" or "module:Class.method"; each value
takes the module under test (the original in the eager run, the rewritten one in the
graph run) and returns the calls to make: tuples of positional arguments, or
`Call(*args, **kwargs)`. A method's first argument is the instance. `Model.__call__` is
not listed: it has an `input_signature` and `Model()` needs no arguments, so verify
builds its inputs itself.
"""

import tensorflow as tf

from rewriter.verify import Call


def _train_step_calls(train):
    x = tf.reshape(tf.range(12, dtype=tf.float32) / 6.0 - 1.0, [4, 3])
    y = tf.reduce_sum(x, axis=1, keepdims=True)
    return [(train.Model(), tf.keras.optimizers.SGD(0.05), x, y)]


EXAMPLES = {
    "tiny_model.layers:Dense.__call__": lambda layers: [
        (layers.Dense(2, 3), tf.ones([4, 3])),
    ],
    "tiny_model.train:train_step": _train_step_calls,
    "tiny_model.train:power_sum": lambda train: [
        (tf.constant([0.5, 1.0, 2.0]), 3),
    ],
    "tiny_model.train:first_above": lambda train: [
        (tf.constant([0.5, 1.0, 3.0, 4.0]), tf.constant(2.0)),
        Call(tf.constant([5.0, 1.0, 0.0, 9.0]), threshold=tf.constant(4.0)),
    ],
    "tiny_model.train:running_mean": lambda train: [
        (tf.constant([1.0, 2.0, 3.0, 6.0]),),
    ],
    "tiny_model.train:cumulative": lambda train: [
        (tf.constant([1.0, 2.0, 3.0]),),
    ],
}
