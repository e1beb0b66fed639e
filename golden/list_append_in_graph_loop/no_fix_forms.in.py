import tensorflow as tf


@tf.function
def returned(n):
    out = []
    for i in tf.range(tf.size(n)):
        out.append(tf.cast(i, tf.float32))
    return out


def helper(i):
    return i


@tf.function
def unknown_dtype(x):
    out = []
    for i in tf.range(tf.size(x)):
        out.append(helper(x[i]) / 2)
    return tf.stack(out)


@tf.function
def iterated_after_the_loop(n):
    out = []
    for i in tf.range(tf.size(n)):
        out.append(i * 2)
    return [v + 1 for v in out]


@tf.function
def mixed_dtypes(n):
    out = []
    for i in tf.range(tf.size(n)):
        out.append(i)
        out.append(tf.cast(i, tf.float32))
    return tf.stack(out)


@tf.function(jit_compile=True)
def jit_dynamic_bound(n):
    out = []
    for i in tf.range(tf.size(n)):
        out.append(i)
    return tf.stack(out)


@tf.function
def popped(n):
    out = []
    for i in tf.range(tf.size(n)):
        out.append(i)
    out.pop()
    return tf.stack(out)
