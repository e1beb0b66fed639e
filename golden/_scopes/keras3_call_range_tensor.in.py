import keras
import tensorflow as tf


class CumulativeSum(keras.layers.Layer):
    """Sums the time steps one by one (Keras 3 traces `call` without AutoGraph)."""

    def call(self, inputs):
        total = tf.zeros_like(inputs[:, 0])
        steps = []
        for t in range(tf.shape(inputs)[1]):
            total = total + inputs[:, t]
            steps.append(total)
        return tf.stack(steps, axis=1)
