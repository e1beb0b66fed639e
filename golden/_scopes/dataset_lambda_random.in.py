import random

import numpy as np
import tensorflow as tf

noises = [0.0, 0.1, 0.2]


def load_audio(paths):
    clips = tf.data.Dataset.from_tensor_slices(paths)
    clips = clips.map(lambda path: tf.io.read_file(path))
    clips = clips.map(lambda audio: tf.strings.length(audio))
    # One noise level for the whole dataset: drawn once, while tf.data traces the lambda.
    clips = clips.map(lambda audio: tf.cast(audio, tf.float32) + random.choice(noises))
    return clips


def augment(clip):
    gain = np.random.uniform(0.5, 1.5)
    return clip * gain


def training_clips(paths):
    return load_audio(paths).map(augment).shuffle(16).batch(4)
