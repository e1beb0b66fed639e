# tfrewrite: --unsafe-fixes
import tensorflow as tf


# Class counts of each micro-batch summed with `tf.add_n`: on the array that is a
# `tf.reduce_sum` over the stack, which adds floats in another order (unsafe).
@tf.function
def class_counts(micro_batches):
    counts = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    for features, labels in micro_batches:
        present = tf.reduce_max(features, axis=1) > 0.0
        one_hot = tf.one_hot(labels, 3)
        counts = counts.write(counts.size(), tf.reduce_sum(one_hot * tf.cast(present, tf.float32)[:, None], axis=0))
    return tf.reduce_sum(counts.stack(), axis=0)


def run():
    features = tf.constant([[1.0, 0.0], [0.0, 0.0], [2.0, 1.0], [0.5, 0.5], [-1.0, 3.0]])
    labels = tf.constant([0, 2, 1, 1, 2])
    batches = tf.data.Dataset.from_tensor_slices((features, labels)).batch(2)
    return [class_counts(batches), class_counts(batches.take(1))]
