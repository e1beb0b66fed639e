# tfrewrite: --unsafe-fixes
import tensorflow as tf


# No signature, annotation or call site says what `inputs` is: probably a tensor, so the
# fix is unsafe and names that assumption.
@tf.function
def corner_sums(inputs):
    total = tf.constant(0.0)
    for i in range(16):
        for j in range(128):
            t = inputs[i, j, :]
            total += tf.reduce_sum(t)
    return total
