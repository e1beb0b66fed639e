# tfrewrite: --unsafe-fixes
import tensorflow as tf


# Nothing says what `rows` is (the call passes a value the analysis cannot see): the loop
# over it is a graph loop only if it is a tensor, and the fix names that assumption.
@tf.function
def normalised_norms(rows):
    norms = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    for row in rows:
        norms = norms.write(norms.size(), tf.norm(tf.cast(row, tf.float32)))
    peak = tf.reduce_max(norms.stack())
    return norms.stack() / peak, tf.reduce_mean(norms.stack())


def _rows():
    return tf.constant([[3.0, 4.0], [1.0, 0.0], [6.0, 8.0]])


def run():
    return [normalised_norms(_rows()), normalised_norms(_rows()[:1])]
