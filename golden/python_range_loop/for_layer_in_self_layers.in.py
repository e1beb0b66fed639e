import tensorflow as tf


class Model(tf.keras.Model):
    @tf.function
    def call(self, x):
        for layer in self.layers:
            x = layer(x)
        return x
