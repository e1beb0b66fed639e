import tensorflow as tf


class Slotted:
    __slots__ = ("scale",)

    @tf.function
    def __call__(self, x):
        v = tf.Variable(1.0)
        return v * x


class Base:
    @tf.function
    def step(self, x):
        v = tf.Variable(1.0)
        return v * x


class Child(Base):
    def __init__(self, scale):
        self.scale = scale
