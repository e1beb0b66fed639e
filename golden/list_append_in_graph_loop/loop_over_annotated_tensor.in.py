import tensorflow as tf


# The annotation says `rows` is a tensor: iterating over it is a graph loop.
@tf.function
def row_totals(rows: tf.Tensor):
    totals = []
    for row in rows:
        totals.append(tf.reduce_sum(tf.cast(row, tf.float32)))
    return tf.stack(totals)


def _rows():
    return tf.reshape(tf.range(6.0), [3, 2])


def run():
    return row_totals(_rows())
