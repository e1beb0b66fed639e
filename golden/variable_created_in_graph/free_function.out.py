# tfrewrite: --unsafe-fixes
import tensorflow as tf

_accumulate_total = None


@tf.function
def accumulate(x):
    global _accumulate_total
    if _accumulate_total is None:
        _accumulate_total = tf.Variable(0.0)
    total = _accumulate_total
    total.assign(0.0)  # a fresh accumulator on every call
    total.assign_add(x)
    total.assign_add(x * 2.0)
    return total.read_value()


def run():
    return [accumulate(tf.constant(1.0)) for _ in range(3)]
