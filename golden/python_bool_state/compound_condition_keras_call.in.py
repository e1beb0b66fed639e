import keras
import tensorflow as tf


# Keras 3 traces `call` without AutoGraph: a `while` never becomes a TensorFlow loop
# there, and a tensor flag raises whatever its first value. Reported without a fix.
class Refine(keras.layers.Layer):
    def call(self, inputs):
        x = inputs
        settled = False
        rounds = 0
        while not settled and rounds < 20:
            x_next = 0.5 * (x + inputs / x)
            settled = tf.reduce_max(tf.abs(x_next - x)) < 1e-4
            x = x_next
            rounds += 1
        return x
