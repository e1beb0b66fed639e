"""An evaluation loop that makes new objects and new functions per call (reported only)."""

import tensorflow as tf


class StepConfig:
    def __init__(self, learning_rate, clip):
        self.learning_rate = learning_rate
        self.clip = clip


@tf.function
def train_step(weights, batch, config):
    update = tf.clip_by_value(tf.reduce_mean(batch), -config.clip, config.clip)
    return weights - config.learning_rate * update


@tf.function
def regularise(weights, options):
    return weights * (1.0 - options["decay"])


def normalise(batch):
    return batch / tf.reduce_max(tf.abs(batch))


def score(weights, batch):
    # A new function on every call of score.
    fast_normalise = tf.function(normalise)
    return tf.reduce_sum(weights * fast_normalise(batch))


def evaluate(weights, batches):
    return [score(weights, batch) for batch in batches]


def fit(weights, batches, epochs=2, learning_rate=0.1):
    history = []
    for epoch in range(epochs):
        for batch in batches:
            weights = train_step(weights, batch, StepConfig(learning_rate, 1.0))
            options = {"decay": 0.01 * epoch}
            weights = regularise(weights, options)
        history.append(evaluate(weights, batches))
        smooth = tf.function(lambda w: w * 0.5)
        weights = smooth(weights)
    return weights, history
