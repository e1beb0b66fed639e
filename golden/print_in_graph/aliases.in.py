import tensorflow as tf2
from tensorflow import function
from tensorflow import function as tf_function


@function
def a(x):
    print(f"a {x}")
    return x


@tf_function(reduce_retracing=True)
def b(x):
    print(f"b {x}")
    return x


@tf2.compat.v2.function
def c(x):
    print(f"c {x}")
    return x


def run():
    return [f(tf2.constant(i)) for i in range(2) for f in (a, b, c)]
