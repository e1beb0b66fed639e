import tensorflow as tf


@tf.function
def cumulative(x):
    out = []
    for i in tf.range(tf.size(x)):
        out.append(tf.reduce_sum(x[: i + 1]))
    return tf.stack(out)
