# tfrewrite: --unsafe-fixes
import numpy as np
import tensorflow as tf


@tf.function
def cumulative(x):
    out = []
    for i in tf.range(tf.size(x)):
        out.append(tf.reduce_sum(x[: i + 1]) * 2)
    return tf.stack(out)


def run():
    return [cumulative(tf.constant([1.0, 2.0, 3.0])), cumulative(tf.constant([1, 2])),
            cumulative(np.array([0.5, 0.25]))]
