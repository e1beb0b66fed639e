# tfrewrite: --unsafe-fixes
import tensorflow as tf


@tf.function
def step(i, n):
    print("step %d of %d" % (i, n))
    print("{} left, {total} total".format(n - i, total=n))
    print("100%% done: %s" % "yes")
    return i


def run():
    return [step(tf.constant(i), tf.constant(5)) for i in range(3)]
