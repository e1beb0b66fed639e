import random

import keras
import numpy as np


class RandomDrop(keras.layers.Layer):
    """Drops the whole input now and then (a home-made dropout)."""

    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs, training=False):
        if not training:
            return inputs
        keep = random.uniform(0, 1) > self.rate
        return inputs if keep else inputs * 0.0


class Jitter(keras.layers.Layer):
    def call(self, inputs):
        noise = np.random.normal(0.0, 0.1)
        return inputs + noise
