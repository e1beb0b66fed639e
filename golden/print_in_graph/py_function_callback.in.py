import numpy as np
import tensorflow as tf


def log_in_python(x):
    print("python sees", x)
    return x


@tf.function
def step(x):
    y = tf.py_function(log_in_python, [x], tf.float32)
    z = tf.numpy_function(lambda v: print(v) or v, [x], tf.float32)
    return y + z
