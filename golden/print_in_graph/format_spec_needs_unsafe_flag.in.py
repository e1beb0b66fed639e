import tensorflow as tf


@tf.function
def step(x):
    print(f"x={x:.2f}")
    print(f"{x!r}")
    return x
