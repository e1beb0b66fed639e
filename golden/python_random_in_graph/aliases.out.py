import tensorflow as tf2

PARITY = "random"


@tf2.function(input_signature=[tf2.TensorSpec([2, 3], tf2.float32)])
def perturb(x):
    x = x + tf2.random.normal([2, 3])
    x = x - tf2.random.uniform([2, 3])
    x = x * tf2.random.normal((2, 3))
    return x + tf2.random.uniform([], minval=0.5, maxval=1.5)


def run():
    return [perturb(tf2.ones([2, 3])) for _ in range(3)]
