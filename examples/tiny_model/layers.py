"""A dense layer and a model as tf.Modules, with graph-mode methods."""

import numpy as np
import tensorflow as tf


class Dense(tf.Module):
    def __init__(self, units, inputs, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(tf.random.normal([inputs, units]), name="w")
        self.b = tf.Variable(tf.zeros([units]), name="b")

    @tf.function
    def __call__(self, x):
        print(f"dense input shape: {tf.shape(x)}")
        return tf.matmul(x, self.w) + self.b


class Model(tf.Module):
    def __init__(self):
        super().__init__()
        self.hidden = Dense(4, 3)
        self.out = Dense(1, 4)

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def __call__(self, x):
        noise = np.random.normal(0.0, 0.01, size=(1, 3))
        h = tf.nn.relu(self.hidden(x + noise))
        return self.out(h)
