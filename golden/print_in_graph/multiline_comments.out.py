import sys

import tensorflow as tf


@tf.function
def step(x):
    tf.print(
        "first",  # the label
        "second", output_stream=sys.stdout,
    )
    tf.print("flushed",
          output_stream=sys.stdout)  # keep this comment
    return x


def run():
    return [step(tf.constant(i)) for i in range(2)]
