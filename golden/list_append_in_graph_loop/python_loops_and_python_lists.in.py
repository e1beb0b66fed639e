import tensorflow as tf


class Stack(tf.Module):
    def __init__(self):
        super().__init__()
        self.layers = [tf.keras.layers.Dense(2), tf.keras.layers.Dense(2)]

    @tf.function
    def __call__(self, x):
        outputs = []
        for layer in self.layers:
            outputs.append(layer(x))
        for k in range(3):
            outputs.append(x * k)
        return tf.concat(outputs, 0)


@tf.function
def unrolled(x):
    parts = []
    for name in ["a", "b"]:
        parts.append(tf.identity(x, name=name))
    return tf.stack(parts)
