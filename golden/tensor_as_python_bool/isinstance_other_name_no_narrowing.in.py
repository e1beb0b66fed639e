import keras
import tensorflow as tf


class ScaleBoxes(keras.layers.Layer):
    """The `isinstance` test is about `scale`, not `boxes`: `boxes` is still a tensor
    in that branch, and Keras 3 runs `call` without AutoGraph, so `if boxes:` raises."""

    def call(self, inputs, scale=None):
        boxes = inputs["boxes"]
        if isinstance(scale, list):
            if boxes:
                boxes = boxes * tf.constant(scale, tf.float32)
        return boxes
