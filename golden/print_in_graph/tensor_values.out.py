import sys

import tensorflow as tf


@tf.function
def train_step(features, labels, weights):
    logits = tf.linalg.matvec(features, weights)
    loss = tf.reduce_mean(tf.square(logits - labels))
    tf.print("loss", loss, output_stream=sys.stdout)
    converged = loss < 0.5
    tf.print("converged:", converged, output_stream=sys.stdout)
    steps = tf.size(labels)
    tf.print("examples", steps, "logits", logits, summarize=-1, output_stream=sys.stdout)
    tf.print("weights now ", weights, sep="", summarize=-1, output_stream=sys.stdout)
    tf.print("grid", tf.reshape(tf.range(16), [2, 8]), summarize=-1, output_stream=sys.stdout)
    return loss


def run():
    features = tf.constant([[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]])
    weights = tf.constant([0.1, -0.2])
    first = train_step(features, tf.constant([0.0, 1.0, 0.5]), weights)
    second = train_step(features, tf.constant([1.0, 1.0, 1.0]), weights * 2.0)
    return [first, second]
