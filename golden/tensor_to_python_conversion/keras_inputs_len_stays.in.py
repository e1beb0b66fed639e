"""Keras passes `call` a nested list as readily as a tensor: `len` of what is unpacked
from `inputs` is a list's length, and works without AutoGraph. No change."""

import keras
import tensorflow as tf


class RoiPool(keras.layers.Layer):
    def call(self, inputs):
        rois_list, feature_maps = inputs
        indices = tf.constant([i for i in range(len(rois_list)) for _ in range(rois_list[i].shape[0])])
        return tf.gather(feature_maps, indices)


class GraphConv(keras.layers.Layer):
    def call(self, inputs, training=None):
        x, supports = inputs
        outputs = [tf.matmul(supports[i], x) for i in range(len(supports))]
        return tf.add_n(outputs)
