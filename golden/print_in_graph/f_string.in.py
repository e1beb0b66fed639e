import sys

import tensorflow as tf


@tf.function
def step(x, y):
    print(f"x={x}, y={y}!")
    print(f"sum: {x + y}")
    return x * y


def run():
    return [step(tf.constant(i), tf.constant(10 * i)) for i in range(3)]
