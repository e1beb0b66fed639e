"""Padding a ragged batch to a fixed width: the batch dimension is None under the signature."""

import tensorflow as tf

WIDTH = 4


@tf.function(input_signature=[tf.TensorSpec([None, None], tf.float32), tf.TensorSpec([None], tf.int32)])
def pad_batch(tokens, lengths):
    # The batch size is only known at run time: tokens.shape[0] is None while tracing.
    padding = tf.zeros([tokens.shape[0], WIDTH], tf.float32)
    padded = tf.concat([tokens, padding], axis=1)[:, :WIDTH]
    mask = tf.sequence_mask(lengths, WIDTH)
    flat = tf.reshape(padded, [tokens.shape[0] * WIDTH])
    positions = tf.range(lengths.shape[0])
    return padded * tf.cast(mask, tf.float32), flat, positions


def run():
    results = []
    for rows in (2, 3):
        tokens = tf.reshape(tf.range(rows * 3, dtype=tf.float32), [rows, 3])
        lengths = tf.constant([1, 3, 2][:rows])
        results.append([t.numpy() for t in pad_batch(tokens, lengths)])
    return results
