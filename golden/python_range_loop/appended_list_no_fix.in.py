import tensorflow as tf


# The per-step losses are returned as a Python list: a TensorArray would return one
# stacked tensor, so neither the loop nor the list changes.
@tf.function(input_signature=[tf.TensorSpec([4], tf.float32)])
def loss_history(weights):
    losses = []
    for step in range(200):
        weights = weights - 0.01 * weights
        losses.append(tf.reduce_sum(weights * weights))
    return losses


# The appended values are Python ints; eagerly `steps[0]` is an int, from an array a
# tensor.
@tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
def checkpoints(x):
    steps = []
    for step in range(500):
        x = x * 0.99
        steps.append(step * 10)
    return x, tf.constant(steps[0])


# A fresh list per iteration, filled and read inside it: the loop is left as it is.
@tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
def windows(x):
    total = tf.constant(0.0)
    for step in range(100):
        parts = []
        parts.append(x * 2.0)
        total += tf.reduce_sum(tf.stack(parts))
    return total
