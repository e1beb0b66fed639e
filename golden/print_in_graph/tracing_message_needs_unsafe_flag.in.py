import tensorflow as tf


@tf.function
def step(x):
    print("Tracing step")
    print(f"retraced for x={x}")
    return x + 1
