import tensorflow as tf


# Nothing says what `values` is on entry, but from the cast on it is a float32 tensor:
# the loop over it is a graph loop, and the element dtype is known.
@tf.function
def halves(values):
    values = tf.cast(values, tf.float32)
    out = []
    for v in values:
        out.append(v / 2.0)
    return tf.stack(out)


def _values():
    return tf.constant([1, 2, 3])


def run():
    return halves(_values())
