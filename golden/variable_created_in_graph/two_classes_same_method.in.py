import tensorflow as tf


class Up:
    @tf.function
    def call(self, x):
        v = tf.Variable(1.0)
        v.assign_add(x)
        return v.read_value()


class Down:
    @tf.function
    def call(self, x):
        v = tf.Variable(1.0)
        v.assign_sub(x)
        return v.read_value()


def run():
    up, down = Up(), Down()
    return [up.call(tf.constant(2.0)), down.call(tf.constant(2.0)), up.call(tf.constant(2.0))]
