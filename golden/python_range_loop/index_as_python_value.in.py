import numpy as np
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([2], tf.float32)])
def dict_key(x):
    table = {}
    for i in range(100):
        table[i] = x
    return table[99]


@tf.function(input_signature=[tf.TensorSpec([2], tf.float32)])
def numpy_call(x):
    total = tf.constant(0.0)
    for i in range(100):
        total += np.sqrt(i)
    return total + x


@tf.function(input_signature=[tf.TensorSpec([2], tf.float32)])
def python_builtin(x):
    total = tf.constant(0.0)
    for i in range(100):
        total += tf.reduce_sum(x) * float(i)
    return total


@tf.function(input_signature=[tf.TensorSpec([2], tf.float32)])
def formatted(x):
    for i in range(100):
        tf.print(f"step {i}")
    return x


@tf.function(input_signature=[tf.TensorSpec([2], tf.float32)])
def read_after_the_loop(x):
    for i in range(100):
        x = x + 1.0
    return x + i
