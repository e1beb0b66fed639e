import sys

import numpy as np
import tensorflow as tf

FEATURES = np.arange(12, dtype=np.float32).reshape(6, 2)


def normalize(features):
    tf.print("normalizing a batch", output_stream=sys.stdout)
    mean = tf.reduce_mean(features, axis=-1, keepdims=True)
    return features - mean


def keep_positive(features):
    tf.print("filtering", output_stream=sys.stdout)
    return tf.reduce_sum(features) >= 0.0


def make_pipeline(batch_size):
    dataset = tf.data.Dataset.from_tensor_slices(FEATURES)
    dataset = dataset.batch(batch_size).map(normalize)
    return dataset.filter(keep_positive).prefetch(1)


def setup():
    return make_pipeline(2)


def run(pipeline):
    return [list(pipeline.as_numpy_iterator()) for _ in range(2)]
