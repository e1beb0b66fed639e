import keras
import tensorflow as tf


class ThresholdHits(keras.metrics.Metric):
    """Keras 3 calls `update_state` without AutoGraph, but this one is its own
    `tf.function`: that Function converts the body on every trace, so the tensor `if` in
    the `tf.range` loop becomes a `tf.cond` and nothing here is a pitfall."""

    def __init__(self, name="threshold_hits", **kwargs):
        super().__init__(name=name, **kwargs)
        self.hits = self.add_weight(name="hits", shape=(), initializer="zeros")
        self.misses = self.add_weight(name="misses", shape=(), initializer="zeros")

    @tf.function
    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = tf.cast(tf.reshape(y_true, (-1,)), tf.bool)
        y_pred = tf.reshape(y_pred, (-1,))
        for i in tf.range(tf.shape(y_true)[0]):
            if y_true[i]:
                self.hits.assign_add(y_pred[i])
            else:
                self.misses.assign_add(y_pred[i])

    def result(self):
        return self.hits / (self.hits + self.misses)
