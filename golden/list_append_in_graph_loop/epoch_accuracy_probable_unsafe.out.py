# tfrewrite: --unsafe-fixes
import tensorflow as tf


# Nothing says what `batches` is (the call passes a value the analysis cannot see): a
# loop over a probable tensor is reported, and the fix names the assumption.
@tf.function
def epoch_accuracy(model, batches):
    accs = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    for images, labels in batches:
        hits = tf.cast(tf.argmax(model(images), -1) == labels, tf.float32)
        accs = accs.write(accs.size(), tf.reduce_mean(hits))
    return tf.reduce_mean(accs.stack())


def model(images):
    return images * tf.constant([1.0, -1.0, 0.5])


def _batches():
    images = tf.constant([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0], [0.0, 0.0, 4.0], [5.0, 1.0, 1.0]])
    labels = tf.constant([2, 0, 2, 1], tf.int64)
    return tf.data.Dataset.from_tensor_slices((images, labels)).batch(2)


def run():
    return epoch_accuracy(model, _batches())
