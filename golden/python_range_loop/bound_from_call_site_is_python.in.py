import tensorflow as tf


# The only call passes a Python int for `n`: the loop bound is a Python value, and the
# index subscripts a Python list, so nothing changes (reported, no fix).
@tf.function
def scale_all(x, factors, n):
    for i in range(n):
        x = x * factors[i]
    return x


def main():
    factors = [1.0 + k / 100 for k in range(300)]
    return scale_all(tf.constant(1.0), factors, 300)
