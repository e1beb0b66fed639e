import tensorflow as tf

scales = [1.0, 2.0, 3.0]
options = {"factor": 2.0}
total = tf.Variable(0.0)
mymodule = tf.Module()
mymodule.x = tf.Variable(0.0)
_holder = None
received = []


def record(value):
    received.append(value)
    return value


@tf.function
def step(x):
    global _holder
    if _holder is None:
        _holder = tf.Variable(0.0)
    total.assign_add(tf.reduce_sum(x))
    mymodule.x.assign_add(1.0)
    out = []
    for s in scales:
        out.append(x * s * options["factor"])
    local = {}
    local["n"] = len(scales)
    tf.py_function(record, [x], tf.float32)
    return tf.stack(out), scales[0], local["n"]


@tf.function
def shadowing(x):
    scales = []
    scales.append(x)
    return scales[0]


def eager_only(x):
    received.append(x)
    return x
