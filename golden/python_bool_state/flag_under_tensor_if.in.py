import tensorflow as tf


# Gradient descent on (x - 3) ** 2 until the error is small: `done` starts as a Python
# bool and is set to True under an `if` on a tensor, which AutoGraph makes a `tf.cond`
# whose result is a bool tensor; the Python loop then raises in the graph.
@tf.function(input_signature=[tf.TensorSpec([], tf.float32), tf.TensorSpec([], tf.float32)])
def minimise(start, tol):
    point = tf.identity(start)
    steps = tf.constant(0)
    done = False
    while not done:
        gradient = 2.0 * (point - 3.0)
        point -= 0.25 * gradient
        steps += 1
        error = tf.abs(gradient)
        if error < tol:
            done = True
    return point, steps


# `while running:` with the flag set from a tensor comparison in the body.
@tf.function(input_signature=[tf.TensorSpec([None], tf.float32), tf.TensorSpec([], tf.float32)])
def first_crossing(series, level):
    index = tf.constant(-1)
    running = True
    while running:
        index += 1
        running = tf.logical_and(index + 1 < tf.size(series), series[index] <= level)
    return index


def run():
    series = tf.constant([0.5, 1.0, 3.0, 2.0])
    return [
        minimise(tf.constant(0.0), tf.constant(1e-3)),
        minimise(tf.constant(10.0), tf.constant(1.0)),
        first_crossing(series, tf.constant(2.5)),
        first_crossing(series, tf.constant(10.0)),
    ]
