import tensorflow as tf

_triangle_step = None


@tf.function
def triangle(n):
    global _triangle_step
    if _triangle_step is None:
        _triangle_step = tf.Variable(1.0)
    total = tf.constant(0.0)
    for i in tf.range(n):
        step = _triangle_step
        step.assign(1.0)
        step.assign_add(tf.cast(i, tf.float32))
        total += step
    return total


def run():
    return [triangle(tf.constant(3)), triangle(tf.constant(4))]
