# tfrewrite: --unsafe-fixes
import tensorflow as tf


# Nothing says what `a` and `tol` are (the caller passes values the analysis cannot
# see): they are probably tensors, so the fix is unsafe and names the assumption.
@tf.function
def newton_sqrt(a, tol):
    x = a
    stable = False
    while not stable:
        nxt = 0.5 * (x + a / x)
        stable = abs(nxt - x) < tol
        x = nxt
    return x


def _inputs():
    return tf.constant(2.0), tf.constant(1e-6)


def run():
    a, tol = _inputs()
    return newton_sqrt(a, tol)
