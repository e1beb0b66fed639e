import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
def doubling(x):
    seen = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    seen = seen.write(seen.size(), x)
    while tf.reduce_sum(x) < 100.0:
        x = x * 2.0
        seen = seen.write(seen.size(), seen.read(seen.size() - 1) + x)
    return seen.stack(), tf.cast(seen.size(), tf.float32)


def run():
    return [doubling(tf.constant(3.0)), doubling(tf.constant(30.0))]
