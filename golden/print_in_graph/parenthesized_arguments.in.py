import sys

import tensorflow as tf


@tf.function
def step(x):
    print(("label"))
    print(((x.numpy())) ,)
    print((x).numpy(), ("after"))
    print(("before"), flush=True, file=sys.stdout)
    print(flush=True, file=sys.stdout, end=("\n"))
    print(("kept")  # a comment after the parenthesis
          )
    return x


def run():
    return [step(tf.constant(i)) for i in range(2)]
