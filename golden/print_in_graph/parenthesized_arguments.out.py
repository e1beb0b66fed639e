import sys

import tensorflow as tf


@tf.function
def step(x):
    tf.print(("label"), output_stream=sys.stdout)
    tf.print(((x)), summarize=-1, output_stream=sys.stdout ,)
    tf.print((x), ("after"), summarize=-1, output_stream=sys.stdout)
    tf.print(("before"), output_stream=sys.stdout)
    tf.print(output_stream=sys.stdout, end=("\n"))
    tf.print(("kept"), output_stream=sys.stdout  # a comment after the parenthesis
          )
    return x


def run():
    return [step(tf.constant(i)) for i in range(2)]
