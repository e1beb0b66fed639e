import tensorflow as tf2


@tf2.function(input_signature=[tf2.TensorSpec([None, 4], tf2.float32)])
def prefix_sums(x):
    total = tf2.constant(0.0)
    for i in range(
        x.shape[0],  # rows
    ):
        row = x[i]
        total += tf2.reduce_sum(row[: i + 1])
        total += tf2.reduce_sum(tf2.gather(row, tf2.minimum(i, 3)))
    return total


def run():
    return [prefix_sums(tf2.ones([3, 4])), prefix_sums(tf2.ones([6, 4]))]
