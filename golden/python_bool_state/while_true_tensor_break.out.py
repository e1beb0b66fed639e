import tensorflow as tf2


@tf2.function(input_signature=[tf2.TensorSpec([], tf2.float32)])
def halvings(x):
    steps = tf2.constant(0)
    while tf2.constant(True):
        x = x / 2.0
        steps += 1
        if x < 1.0:
            break
    return steps


def run():
    return [halvings(tf2.constant(10.0)), halvings(tf2.constant(1000.0))]
