import tensorflow as tf

_slope_w = None


@tf.function
def slope(x):
    global _slope_w
    if _slope_w is None:
        _slope_w = tf.Variable(2.0)
    w = _slope_w
    w.assign(2.0)
    with tf.GradientTape() as tape:
        y = w * w * x
    w.assign_add(1.0)
    return tape.gradient(y, [w])[0], w.read_value()


def run():
    return [slope(tf.constant(3.0)), slope(tf.constant(3.0))]
