# -*- coding: latin-1 -*-
import sys

import tensorflow as tf


@tf.function
def step(x):
    tf.print("café ", x, sep="", summarize=-1, output_stream=sys.stdout)
    return x


def run():
    return [step(tf.constant(i)) for i in range(2)]
