import tensorflow as tf


# The annotation says `rows` is a tensor: iterating over it is a graph loop.
@tf.function
def row_totals(rows: tf.Tensor):
    totals = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    for row in rows:
        totals = totals.write(totals.size(), tf.reduce_sum(tf.cast(row, tf.float32)))
    return totals.stack()


def _rows():
    return tf.reshape(tf.range(6.0), [3, 2])


def run():
    return row_totals(_rows())
