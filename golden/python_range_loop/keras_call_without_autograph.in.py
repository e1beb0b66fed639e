import keras
import tensorflow as tf


# Keras 3 traces `call` without AutoGraph: `tf.range` would not become a graph loop
# there, so these loops are reported without a fix.
class Backward(keras.layers.Layer):
    def call(self, inputs):
        total = tf.zeros_like(inputs[:, 0])
        for t in reversed(range(100)):
            total = total * 0.9 + inputs[:, t]
        return total


class Differences(keras.layers.Layer):
    def call(self, inputs):
        total = tf.zeros_like(inputs[:, 0])
        for t in range(1, inputs.shape[1]):
            total += inputs[:, t] - inputs[:, t - 1]
        return total
