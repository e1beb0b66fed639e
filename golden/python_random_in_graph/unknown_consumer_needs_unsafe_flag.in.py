import numpy as np
import tensorflow as tf


@tf.function
def noisy(x):
    return x + np.random.normal(0.0, 0.5, size=(3,))
