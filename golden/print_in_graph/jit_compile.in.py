import tensorflow as tf


@tf.function(jit_compile=True)
def step(x):
    print(f"x={x}")
    return x * 2
