import tensorflow as tf


@tf.function
def step(x):
    print(f"traced with {x}")  # tfrewrite: ignore[AG001]
    print("also traced")  # tfrewrite: ignore
    return x
