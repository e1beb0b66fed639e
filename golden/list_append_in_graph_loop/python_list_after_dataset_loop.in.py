import tensorflow as tf


# After the loop the losses are sliced and counted as a Python list: a TensorArray has
# no slices and its size is a tensor, so the append is reported without a fix.
@tf.function
def recent_losses(model, batches):
    losses = []
    for features, labels in batches:
        errors = model(features) - tf.cast(labels, tf.float32)
        losses.append(tf.reduce_mean(tf.square(errors)))
    recent = losses[-2:]
    return tf.stack(recent), len(losses)


def model(features):
    return tf.reduce_sum(features, axis=-1)


def run():
    features = tf.reshape(tf.range(12.0), [6, 2])
    batches = tf.data.Dataset.from_tensor_slices((features, tf.range(6))).batch(2)
    return recent_losses(model, batches)
