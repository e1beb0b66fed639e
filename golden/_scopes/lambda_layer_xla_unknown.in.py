import keras
import tensorflow as tf


def log_and_scale(x):
    print("scaling")
    return x * 2.0


def build(width):
    inputs = keras.Input((width,))
    hidden = keras.layers.Dense(width)(inputs)
    scaled = keras.layers.Lambda(log_and_scale)(hidden)
    clipped = keras.layers.Lambda(lambda t: tf.clip_by_value(t, -1.0, 1.0))(scaled)
    return keras.Model(inputs, clipped)
