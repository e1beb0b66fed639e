import numpy as np
import tensorflow as tf


@tf.py_function(Tout=tf.float32)
def noisy_scale(x):
    # Runs in Python on every call: print and NumPy are fine here.
    print("scaling", x)
    return x * np.float32(np.random.uniform(0.5, 1.5))


@tf.numpy_function(Tout=tf.float32)
def clip(x):
    print("clipping")
    return np.clip(x, 0.0, 1.0)


@tf.function
def preprocess(x):
    return clip(noisy_scale(x))
