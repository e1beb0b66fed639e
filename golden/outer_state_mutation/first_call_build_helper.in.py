import keras
from keras import ops


class RunningMeanSquare(keras.metrics.Metric):
    """Variables made on the first update, once the width of the data is known.

    `update_state` calls `_build` only under `if not self._built:`, so eagerly and traced
    alike the helper runs on the first call only: what it sets is initialisation.
    """

    def __init__(self, name="running_mean_square", **kwargs):
        super().__init__(name=name, **kwargs)
        self._built = False

    def _build(self, width):
        self.width = width
        self.total = self.add_variable(shape=(width,), initializer="zeros", name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")
        self._built = True

    def update_state(self, values, sample_weight=None):
        if not self._built:
            self._build(values.shape[-1])
        self.total.assign_add(ops.sum(ops.square(values), axis=0))
        self.count.assign_add(ops.cast(ops.shape(values)[0], "float32"))

    def result(self):
        return self.total / self.count
