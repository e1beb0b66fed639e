import tensorflow as tf


class Up:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._call_v = None

    @tf.function
    def call(self, x):
        if self._call_v is None:
            self._call_v = tf.Variable(1.0)
        v = self._call_v
        v.assign(1.0)
        v.assign_add(x)
        return v.read_value()


class Down:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._call_v = None

    @tf.function
    def call(self, x):
        if self._call_v is None:
            self._call_v = tf.Variable(1.0)
        v = self._call_v
        v.assign(1.0)
        v.assign_sub(x)
        return v.read_value()


def run():
    up, down = Up(), Down()
    return [up.call(tf.constant(2.0)), down.call(tf.constant(2.0)), up.call(tf.constant(2.0))]
