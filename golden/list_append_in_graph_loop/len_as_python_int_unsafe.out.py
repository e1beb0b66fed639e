# tfrewrite: --unsafe-fixes
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([], tf.int32)])
def collect(n):
    out = tf.TensorArray(tf.int32, size=0, dynamic_size=True)
    for i in tf.range(n):
        out = out.write(out.size(), i)
    size = out.size()
    return out.stack(), size
