# tfrewrite: --unsafe-fixes
import tensorflow as tf


# The counter is returned: once the loop is a TensorFlow loop it comes back as an int32
# tensor where the original returns a Python int. Unsafe, and the fix says why.
@tf.function(input_signature=[tf.TensorSpec([], tf.float32), tf.TensorSpec([], tf.float32)])
def newton_sqrt_steps(a, tol):
    x = tf.identity(a)
    converged = tf.constant(False)
    steps = 0
    while not converged and steps < 50:
        x_next = 0.5 * (x + a / x)
        converged = tf.abs(x_next - x) < tol
        x = x_next
        steps += 1
    return x, steps
