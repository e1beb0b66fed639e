# tfrewrite: --unsafe-fixes
import tensorflow as tf
from tensorflow import Variable


def make_step(scale):
    @tf.function
    def step(x):
        v = Variable(1.0)  # shadowed name below must not matter
        v.assign_add(x * scale)
        return v

    return step


class Tools:
    @staticmethod
    @tf.function(jit_compile=True)
    def twice(x):
        w = tf.Variable(2.0)
        w.assign_add(x)
        return w * x

    @tf.function
    def inline(self, x): w = tf.Variable(1.0); return w * x


def run():
    step = make_step(2.0)
    return [step(tf.constant(1.0)), step(tf.constant(1.0)), make_step(3.0)(tf.constant(1.0)),
            Tools.twice(tf.constant(3.0)), Tools.twice(tf.constant(3.0))]
