# tfrewrite: --unsafe-fixes
import tensorflow as tf

x = tf.Variable(1.0, dtype=tf.float32)


@tf.function
def outer_var():
    x.assign_add(1.0)
    tf.print(x)
    return (x)


_inner_var_x = None


@tf.function
def inner_var():
    global _inner_var_x
    if _inner_var_x is None:
        _inner_var_x = tf.Variable(1.0, dtype=tf.float32)
    x = _inner_var_x
    x.assign(1.0)
    x.assign_add(1.0)
    tf.print(x)
    return (x.read_value())


def run():
    # outer_var returns the shared variable itself when run eagerly: read each value now.
    return [outer_var().numpy(), outer_var().numpy(), inner_var(), inner_var(), inner_var()]
