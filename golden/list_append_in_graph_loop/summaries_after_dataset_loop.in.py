import tensorflow as tf


# One pass over a dataset argument, summarised after the loop: each reader of the lists
# (a reduction, `tf.add_n` of int32 counts, `len` cast to a float) reads the array's stack.
@tf.function
def evaluate(model, batches):
    losses = []
    hits = []
    for features, labels in batches:
        errors = model(features) - tf.cast(labels, tf.float32)
        losses.append(tf.reduce_mean(tf.square(errors)))
        hits.append(tf.reduce_sum(tf.cast(tf.abs(errors) < 0.5, tf.int32)))
    mean_loss = tf.reduce_mean(losses)
    worst = tf.reduce_max(losses, axis=0)
    correct = tf.add_n(hits)
    per_batch = tf.cast(correct, tf.float32) / tf.cast(len(hits), tf.float32)
    return mean_loss, worst, correct, per_batch


def model(features):
    return tf.reduce_sum(features * tf.constant([0.5, -0.25]), axis=-1)


def run():
    features = tf.reshape(tf.range(12.0), [6, 2])
    labels = tf.constant([0, 1, -1, 1, 0, 2])
    batches = tf.data.Dataset.from_tensor_slices((features, labels)).batch(2)
    return [evaluate(model, batches), evaluate(model, batches.take(2))]
