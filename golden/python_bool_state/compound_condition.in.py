import tensorflow as tf


# Newton's method with an iteration cap: `converged` starts as a Python bool and becomes
# a tensor, while `i < 50` is a Python comparison, so the test is a Python bool when the
# loop starts and the graph raises. `i` only counts: as an int32 tensor it counts the same.
@tf.function(input_signature=[tf.TensorSpec([], tf.float32), tf.TensorSpec([], tf.float32)])
def newton_sqrt(a, tol):
    x = tf.identity(a)
    converged = False
    i = 0
    while not converged and i < 50:
        x_next = 0.5 * (x + a / x)
        converged = tf.abs(x_next - x) < tol
        x = x_next
        i += 1
    return x


# A fixed-point iteration with the counter first: `step < 200 and not done`.
@tf.function(input_signature=[tf.TensorSpec([], tf.float32), tf.TensorSpec([], tf.float32)])
def cosine_fixed_point(start, tol):
    x = tf.identity(start)
    done = False
    step = 0
    while step < 200 and not done:
        x_next = tf.cos(x)
        done = tf.abs(x_next - x) < tol
        x = x_next
        step += 1
    return x


def run():
    return [
        newton_sqrt(tf.constant(2.0), tf.constant(1e-6)),
        newton_sqrt(tf.constant(1e6), tf.constant(1e-3)),
        newton_sqrt(tf.constant(9.0), tf.constant(0.5)),
        newton_sqrt(tf.constant(1e30), tf.constant(1e-6)),  # stopped by the cap
        cosine_fixed_point(tf.constant(1.0), tf.constant(1e-6)),
        cosine_fixed_point(tf.constant(0.0), tf.constant(0.1)),
    ]
