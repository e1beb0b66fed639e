"""The eager switch driven by a flag, or turned off: deliberate, not reported."""

import os

import tensorflow as tf

DEBUG = os.environ.get("MODEL_DEBUG") == "1"


def configure(debug=DEBUG):
    # A deliberate, configurable choice.
    tf.config.run_functions_eagerly(debug)
    if not debug:
        tf.config.run_functions_eagerly(False)
    if debug:  # a debugging switch behind a flag
        tf.config.run_functions_eagerly(True)


class Config:
    def run_functions_eagerly(self, flag):
        return flag


def local_method_of_the_same_name():
    config = Config()
    return config.run_functions_eagerly(True)


@tf.function
def step(x):
    return x * 2.0
