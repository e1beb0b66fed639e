import numpy as np
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
def coin(x):
    if np.random.rand() < 0.5:
        x = -x
    scales = [1.0, 2.0, 3.0]
    return x * scales[np.random.randint(0, 3)]


@tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
def wrapped(x):
    return x + tf.constant(np.random.randn(3), dtype=tf.float32)


@tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
def int_meets_float(x):
    return x + np.random.randint(0, 3, size=3)
