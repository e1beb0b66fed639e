# tfrewrite: --unsafe-fixes
import tensorflow as tf


class DemoModule(tf.Module):
    """The seed's DemoModule, with the variable created inside the traced method."""

    def __init__(self, init_value=tf.constant(0.0), name=None):
        super(DemoModule, self).__init__(name=name)
        self.init_value = init_value

    @tf.function(input_signature=[tf.TensorSpec(shape=[], dtype=tf.float32)])
    def addprint(self, a):
        with self.name_scope:
            x = tf.Variable(self.init_value, dtype=tf.float32, trainable=True)
            x.assign_add(a)
            tf.print(x)
            return (x)


def run():
    demo = DemoModule(init_value=tf.constant(1.0))
    return [demo.addprint(tf.constant(5.0)), demo.addprint(tf.constant(5.0)), demo.addprint(tf.constant(2.0))]
