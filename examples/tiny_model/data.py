"""Plain-Python data helpers: nothing here is traced, so nothing here changes."""

import random

import numpy as np


def make_dataset(n, seed=0):
    rng = np.random.default_rng(seed)
    xs = rng.normal(size=(n, 3)).astype("float32")
    ys = xs @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.1
    print(f"made {n} examples")
    return xs, ys


def shuffled(indices):
    indices = list(indices)
    random.shuffle(indices)
    return indices
