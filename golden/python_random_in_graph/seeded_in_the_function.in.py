import random

import numpy as np
import tensorflow as tf


@tf.function
def jitter(x):
    """Reproducible jitter: the same noise on every call, eagerly and as a graph."""
    np.random.seed(0)
    scale = 0.1
    noise = np.random.rand() * scale
    return x + noise


@tf.function
def pick_offsets(x):
    random.seed(42)
    first = random.uniform(0.0, 1.0)
    second = random.gauss(0.0, 1.0)
    return x * first + second


@tf.function
def seeded_after_the_draw(x):
    """The draw comes before the seed: a pitfall."""
    noise = np.random.rand()
    np.random.seed(0)
    return x + noise


@tf.function
def seeded_numpy_draws_python_random(x):
    """Seeding NumPy does not seed the standard library."""
    np.random.seed(0)
    return x + random.random()


@tf.function
def seed_under_a_tensor_branch(x):
    np.random.seed(1)
    if tf.reduce_sum(x) > 0:
        x = x + np.random.rand()
    return x


PARITY = "same"


def run():
    x = tf.constant([1.0, 2.0])
    return [jitter(x), jitter(x), pick_offsets(x), pick_offsets(x)]
