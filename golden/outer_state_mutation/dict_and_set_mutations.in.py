import collections

import tensorflow as tf

cache = {}
seen = set()
counts = collections.defaultdict(int)


@tf.function
def step(x):
    cache["last"] = x
    cache.update(first=x)
    seen.add("step")
    counts["calls"] += 1
    del cache["first"]
    cache.clear()
    return x
