import tensorflow as tf

DTYPES = (tf.float32, tf.float64)


@tf.function
def column_sums(x):
    """One scratch column per dtype: the variable depends on the loop variable."""
    totals = []
    for dtype in DTYPES:
        v = tf.Variable([[1.0], [2.0]], dtype=dtype)
        v.assign_add(tf.cast(x, dtype))
        totals.append(tf.reduce_sum(v))
    return totals


@tf.function
def scaled_running_sum(xs, scale):
    """The initial value reads a name assigned earlier in the body."""
    offset = scale * 2.0
    total = tf.constant(0.0)
    for i in tf.range(tf.size(xs)):
        acc = tf.Variable(offset)
        acc.assign_add(xs[i])
        total += acc
    return total


@tf.function
def per_layer(widths):
    """A Python loop: each iteration makes a fresh variable of another shape."""
    out = []
    for width in [2, 3]:
        w = tf.Variable(tf.ones([width]))
        out.append(tf.reduce_sum(w))
    return out
