import sys

import tensorflow as tf


@tf.function
def step(x):
    print("start", flush=True)
    print(f"warning: x={x}", file=sys.stderr)
    print("end", flush=False, sep="")
    return x + 1


def run():
    return [step(tf.constant(i)) for i in range(3)]
