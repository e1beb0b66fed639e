import tensorflow as tf


# Nothing says what `values` is on entry, but from the cast on it is a float32 tensor:
# the loop over it is a graph loop, and the element dtype is known.
@tf.function
def halves(values):
    values = tf.cast(values, tf.float32)
    out = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    for v in values:
        out = out.write(out.size(), v / 2.0)
    return out.stack()


def _values():
    return tf.constant([1, 2, 3])


def run():
    return halves(_values())
