import tensorflow as tf


@tf.function
def step(x):
    print(item for item in "ab")
    return x


def run():
    return [step(tf.constant(i)) for i in range(2)]
