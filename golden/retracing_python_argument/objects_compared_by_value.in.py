"""Objects tf.function compares by value, objects made once, factories: nothing reported."""

from typing import NamedTuple

import tensorflow as tf


class Hyper(NamedTuple):
    learning_rate: float
    clip: float


class Schedule:
    def __init__(self, rate):
        self.rate = rate


@tf.function
def train_step(weights, batch, config):
    return weights - config.learning_rate * tf.clip_by_value(batch, -config.clip, config.clip)


def make_scaler(factor):
    return tf.function(lambda w: w * factor)  # the caller keeps the function


def fit(weights, batches, epochs=2):
    schedule = Schedule(0.1)  # one object, made before the loop
    scale = make_scaler(0.5)
    for epoch in range(epochs):
        for batch in batches:
            weights = train_step(weights, batch, Hyper(schedule.rate, 1.0))  # a tuple: by value
            weights = train_step(weights, batch, {"learning_rate": 0.1, "clip": 1.0})
            weights = train_step(weights, batch, schedule)
        weights = scale(weights)
    return weights
