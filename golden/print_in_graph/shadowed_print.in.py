import logging

import tensorflow as tf

print = logging.getLogger(__name__).info


@tf.function
def step(x):
    print("x: %s", x)
    return x
