import random

import tensorflow as tf

PARITY = "random"


@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
def random_dropout_rate(x):
    """Pick one of a few rates per call, as an augmentation schedule does."""
    rate = random.choice([0.1, 0.25, 0.5])
    keep = tf.cast(x > rate, tf.float32)
    return x * keep, rate


@tf.function(input_signature=[tf.TensorSpec([None], tf.int32)])
def shift(ids):
    offset = random.choice((1, 2, 3, 5))
    return ids + offset


@tf.function
def pick_name():
    """Strings and mixed lists have no faithful mapping here."""
    return random.choice(["a", "b"]), random.choice([1, 2.5])


def run():
    x = tf.constant([0.05, 0.3, 0.7])
    ids = tf.constant([1, 2, 3])
    # Eagerly the original returns the rate as a Python float: compare it as a tensor.
    return [[[tf.convert_to_tensor(v) for v in random_dropout_rate(x)], shift(ids)] for _ in range(6)]
