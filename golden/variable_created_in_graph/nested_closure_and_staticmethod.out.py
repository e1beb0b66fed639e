# tfrewrite: --unsafe-fixes
import tensorflow as tf
from tensorflow import Variable


def make_step(scale):
    _step_v = None

    @tf.function
    def step(x):
        nonlocal _step_v
        if _step_v is None:
            _step_v = Variable(1.0)
        v = _step_v
        v.assign(1.0)  # shadowed name below must not matter
        v.assign_add(x * scale)
        return v.read_value()

    return step


_twice_w = None


class Tools:
    @staticmethod
    @tf.function(jit_compile=True)
    def twice(x):
        global _twice_w
        if _twice_w is None:
            _twice_w = tf.Variable(2.0)
        w = _twice_w
        w.assign(2.0)
        w.assign_add(x)
        return w * x

    @tf.function
    def inline(self, x): w = tf.Variable(1.0); return w * x


def run():
    step = make_step(2.0)
    return [step(tf.constant(1.0)), step(tf.constant(1.0)), make_step(3.0)(tf.constant(1.0)),
            Tools.twice(tf.constant(3.0)), Tools.twice(tf.constant(3.0))]
