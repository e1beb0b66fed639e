# tfrewrite: --unsafe-fixes
import tensorflow as tf


@tf.function
def first_above(x, threshold):
    done = False
    tries = 0
    while not done:
        tries += 1
        done = tf.gather(x, tries) > threshold
    return tries
