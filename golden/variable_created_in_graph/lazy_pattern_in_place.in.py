import tensorflow as tf

_state = {}
_counter = None


class Count(tf.Module):
    def __init__(self):
        super().__init__()
        self.count = None

    @tf.function
    def __call__(self):
        if self.count is None:
            self.count = tf.Variable(0)
        self.count.assign_add(1)
        return self.count.read_value()


@tf.function
def tick():
    global _counter
    if _counter is None:
        _counter = tf.Variable(0)
    return _counter.assign_add(1)


@tf.function
def tock(x):
    if "v" not in _state:
        _state["v"] = tf.Variable(tf.zeros_like(x))
    return _state["v"].assign_add(x)


@tf.function
def tack(x):
    if not hasattr(tack, "v"):
        tack.v = tf.Variable(0.0)
    return tack.v.assign_add(x)
