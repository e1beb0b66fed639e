import sys

import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32), tf.TensorSpec([None], tf.float32)])
def train_batch(features, labels):
    tf.print("batch ", tf.shape(features), sep="", output_stream=sys.stdout)
    tf.print("rows: ", tf.shape(features)[0], sep="", output_stream=sys.stdout)
    tf.print(features.shape[1], " features, ", tf.shape(labels)[0], " labels", sep="", output_stream=sys.stdout)
    weights = tf.ones([3, 1])
    tf.print("weights ", tf.shape(weights), sep="", output_stream=sys.stdout)
    logits = tf.squeeze(tf.matmul(features, weights), axis=1)
    loss = tf.reduce_mean(tf.square(logits - labels))
    return loss


def run():
    small = train_batch(tf.ones([2, 3]), tf.zeros([2]))
    large = train_batch(tf.ones([5, 3]), tf.ones([5]))
    return [small, large]
