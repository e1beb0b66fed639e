import sys

import tensorflow as tf2
from tensorflow import function
from tensorflow import function as tf_function


@function
def a(x):
    tf2.print("a ", x, sep="", summarize=-1, output_stream=sys.stdout)
    return x


@tf_function(reduce_retracing=True)
def b(x):
    tf2.print("b ", x, sep="", summarize=-1, output_stream=sys.stdout)
    return x


@tf2.compat.v2.function
def c(x):
    tf2.print("c ", x, sep="", summarize=-1, output_stream=sys.stdout)
    return x


def run():
    return [f(tf2.constant(i)) for i in range(2) for f in (a, b, c)]
