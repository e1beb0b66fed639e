import tensorflow as tf

PARITY = "random"


@tf.function(input_signature=[tf.TensorSpec([2], tf.float32)])
def grow(x):
    done = tf.constant(False)
    while not done:
        x = x * 2.0 + tf.random.uniform([2])
        done = tf.reduce_all(x > 10.0)
    return x


def run():
    return [grow(tf.constant([0.5, 1.0])) for _ in range(3)]