"""A training loop that retraces its step on every call (reported; call sites stay as they are)."""

import tensorflow as tf

DECAY = 0.9


@tf.function
def train_step(weights, batch, step, learning_rate):
    scale = tf.cast(step, tf.float32) + 1.0
    return weights - learning_rate * tf.reduce_mean(batch) / scale


@tf.function
def warmup(weights, rounds):
    for _ in range(rounds):  # a Python bound: every value needs its own trace
        weights = weights * 0.5
    return weights


def fit(weights, batches, epochs=3, learning_rate=0.01):
    for epoch in range(epochs):
        weights = warmup(weights, epoch)
        for step, batch in enumerate(batches):
            weights = train_step(weights, batch, step, learning_rate * DECAY**epoch)
    return weights


def evaluate(weights, batch):
    @tf.function
    def loss(w):
        return tf.reduce_sum(w * batch)

    return loss(weights)


def report(weights, batches):
    scores = []
    for batch in batches:
        scores.append(evaluate(weights, batch))
        scale = tf.function(lambda w: w * 2.0)
        scores.append(scale(weights))
    return scores
