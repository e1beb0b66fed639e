import tensorflow as tf


@tf.function
def step(x):
    print(x.numpy())
    print(f"x is {x.numpy()}")
    return x


def run():
    return [step(tf.constant(i)) for i in range(3)]
