# tfrewrite: --unsafe-fixes
import numpy as np
import tensorflow as tf


@tf.function
def cumulative(x):
    out = tf.TensorArray(x.dtype, size=0, dynamic_size=True)
    for i in tf.range(tf.size(x)):
        out = out.write(out.size(), tf.reduce_sum(x[: i + 1]) * 2)
    return out.stack()


def run():
    return [cumulative(tf.constant([1.0, 2.0, 3.0])), cumulative(tf.constant([1, 2])),
            cumulative(np.array([0.5, 0.25]))]
