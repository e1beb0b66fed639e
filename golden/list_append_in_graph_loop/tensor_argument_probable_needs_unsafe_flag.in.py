import tensorflow as tf


# Nothing says what `rows` is (the call passes a value the analysis cannot see): the loop
# over it is a graph loop only if it is a tensor, and the fix, which names that
# assumption, is unsafe: not applied without --unsafe-fixes.
@tf.function
def normalised_norms(rows):
    norms = []
    for row in rows:
        norms.append(tf.norm(tf.cast(row, tf.float32)))
    peak = tf.reduce_max(norms)
    return tf.stack(norms) / peak, tf.reduce_mean(norms)


def _rows():
    return tf.constant([[3.0, 4.0], [1.0, 0.0], [6.0, 8.0]])


def run():
    return [normalised_norms(_rows()), normalised_norms(_rows()[:1])]
