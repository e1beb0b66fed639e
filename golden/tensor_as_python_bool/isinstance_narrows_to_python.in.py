import keras
import tensorflow as tf


class PadBoxes(keras.layers.Layer):
    """Boxes come as a tensor or, from a Python pipeline, as nested lists. Inside
    `if isinstance(boxes, list):` they are a Python list, and testing them is Python."""

    def __init__(self, max_boxes, **kwargs):
        super().__init__(**kwargs)
        self.max_boxes = max_boxes

    def call(self, inputs):
        boxes = inputs["boxes"]
        if isinstance(boxes, list):
            if boxes and isinstance(boxes[0], list):
                boxes = [row + [[0.0] * 4] * (self.max_boxes - len(row)) for row in boxes]
            boxes = tf.constant(boxes, tf.float32)
        return boxes[..., : self.max_boxes, :]
