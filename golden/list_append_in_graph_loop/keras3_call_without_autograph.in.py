import keras
import tensorflow as tf


class MultiScalePool(keras.layers.Layer):
    """Keras 3 traces `call` without AutoGraph: its Python loops stay Python loops."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.scales = [0.5, 1.0, 2.0, 4.0]

    def call(self, inputs):
        pooled = []
        for scale in self.scales:  # unrolled: one tensor per scale
            pooled.append(tf.reduce_mean(inputs * scale, axis=1))
        echoes = []
        for step in range(64):  # above the unroll limit, but `tf.range` would not loop here
            echoes.append(inputs[:, step % 3] * 0.9**step)
        return tf.stack(pooled, axis=-1) + tf.reduce_mean(tf.stack(echoes), axis=0)[:, None]
