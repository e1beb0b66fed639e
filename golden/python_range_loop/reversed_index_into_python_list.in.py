import tensorflow as tf


# The index picks a Python callable out of a list: it must stay a Python int, so the
# reversed loop is reported without a fix.
@tf.function
def unwind(x, decoders):
    for i in reversed(range(64)):
        x = decoders[i](x)
    return x


# A short reversed range is a deliberate unroll: left alone.
@tf.function
def last_three(x):
    total = tf.constant(0.0)
    for k in reversed(range(3)):
        total = total * 2.0 + x[k]
    return total


# `reversed(range(1, n))` over a dynamic bound: `tf.range(n - 1, 0, -1)` raises when n is
# 0, where the Python range is empty. Reported without a fix.
@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
def backward_differences(x):
    total = tf.constant(0.0)
    for i in reversed(range(1, x.shape[0])):
        total += x[i] - x[i - 1]
    return total
