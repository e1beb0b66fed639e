import tensorflow as tf


# The annotation says `inputs` is a tensor: the fix is safe.
@tf.function
def corner_sums(inputs: tf.Tensor):
    total = tf.constant(0.0)
    for i in range(16):
        for j in tf.range(128):
            t = inputs[i, j, :]
            total += tf.reduce_sum(t)
    return total
