import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
def doubling(x):
    seen = []
    seen.append(x)
    while tf.reduce_sum(x) < 100.0:
        x = x * 2.0
        seen.append(seen[-1] + x)
    return tf.stack(seen), tf.cast(len(seen), tf.float32)


def run():
    return [doubling(tf.constant(3.0)), doubling(tf.constant(30.0))]
