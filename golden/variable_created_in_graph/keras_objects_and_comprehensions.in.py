import keras
import tensorflow as tf
from tensorflow.keras import backend as K


@tf.function
def apply_gradients(model, grads):
    """A new optimizer per call: its slots are variables made on every trace."""
    optimizer = keras.optimizers.Adam(learning_rate=1e-3)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return optimizer.iterations


@tf.function
def project(x):
    dense = keras.layers.Dense(4)
    flat = keras.layers.Flatten()
    return dense(flat(x))


@tf.function
def running_mean(x):
    mean = tf.keras.metrics.Mean()
    mean.update_state(x)
    return mean.result()


@tf.function
def accumulate(model, grads):
    """One accumulator per trainable variable, made in a comprehension."""
    accumulators = [tf.Variable(tf.zeros_like(v)) for v in model.trainable_variables]
    for acc, g in zip(accumulators, grads):
        acc.assign_add(g)
    return [a.read_value() for a in accumulators]


@tf.function
def scaled(x):
    scale = K.variable(2.0)
    return x * scale


class Head(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(2)
        self.metric = keras.metrics.Mean()

    @tf.function
    def call(self, x):
        out = self.dense(x)
        self.metric.update_state(out)
        return out
