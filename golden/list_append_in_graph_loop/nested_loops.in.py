import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([], tf.int32), tf.TensorSpec([], tf.int32)])
def table_sums(n, m):
    total = tf.constant(0.0)
    for i in tf.range(n):
        row = []  # a fresh row per outer iteration
        for j in tf.range(m):
            for k in range(2):  # unrolled: still inside the graph loop
                row.append(tf.cast(i * j + k, tf.float32))
        total += tf.reduce_sum(tf.stack(row))
    return total


def run():
    return [table_sums(tf.constant(3), tf.constant(4)), table_sums(tf.constant(0), tf.constant(2))]
