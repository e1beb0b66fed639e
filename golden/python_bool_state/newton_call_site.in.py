import tensorflow as tf


# No input_signature: the call in `run` passes a tensor for `a` and a Python float for
# `tol`, so `stable` becomes a bool tensor in the loop.
@tf.function
def newton_sqrt(a, tol):
    x = a
    stable = False
    while not stable:
        nxt = 0.5 * (x + a / x)
        stable = abs(nxt - x) < tol
        x = nxt
    return x


def run():
    return [newton_sqrt(tf.constant(2.0), 1e-6), newton_sqrt(tf.constant(9.0), 1e-6)]
