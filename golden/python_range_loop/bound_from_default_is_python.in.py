import tensorflow as tf

WEIGHTS = [0.5] * 200


# `steps` defaults to 200 and no call passes anything else: a Python int. The index
# subscripts a Python list, so the loop stays a Python loop (reported, no fix).
@tf.function
def decay(x, steps=200):
    for i in range(steps):
        x = x * WEIGHTS[i]
    return x
