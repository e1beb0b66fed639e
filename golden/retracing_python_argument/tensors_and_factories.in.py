"""Tensor arguments, input signatures and function factories: no retracing, nothing reported."""

import tensorflow as tf


@tf.function
def train_step(weights, batch, step):
    return weights - tf.cast(step, tf.float32) * tf.reduce_mean(batch)


@tf.function(input_signature=[tf.TensorSpec([], tf.int32)])
def schedule(step):
    return tf.cast(step, tf.float32) * 0.1


def make_step(scale):
    @tf.function
    def step(w):
        return w * scale

    return step  # created once by the caller, then reused


def fit(weights, dataset, epochs=2):
    step_fn = make_step(2.0)
    for epoch in range(epochs):
        for step, batch in enumerate(dataset):
            weights = train_step(weights, batch, tf.constant(step))
            weights = step_fn(weights) + schedule(epoch)
        for batch in dataset:
            weights = train_step(weights, batch, 3)  # the same Python value every time
    return weights
