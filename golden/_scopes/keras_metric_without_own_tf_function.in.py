import keras
import tensorflow as tf


class ThresholdHits(keras.metrics.Metric):
    """The same metric without its own `tf.function`: Keras 3 traces `update_state`
    as written, so the tensor `if` raises OperatorNotAllowedInGraphError under fit."""

    def __init__(self, name="threshold_hits", **kwargs):
        super().__init__(name=name, **kwargs)
        self.hits = self.add_weight(name="hits", shape=(), initializer="zeros")
        self.misses = self.add_weight(name="misses", shape=(), initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        total = tf.reduce_sum(y_pred)
        if total > 0:
            self.hits.assign_add(total)
        else:
            self.misses.assign_add(1.0)

    def result(self):
        return self.hits / (self.hits + self.misses)
