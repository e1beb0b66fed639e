import tensorflow as tf

PARITY = "same"


# The flag and the counter never meet a tensor: a Python loop, unrolled while tracing,
# which is fine. Nothing changes.
@tf.function
def doubled_until(x):
    done = False
    n = 0
    while not done and n < 10:
        x = x * 2.0
        n += 1
        done = n >= 4
    return x


# The counter is a tensor, so `i < limit and not done` is a tensor from the first test
# and AutoGraph makes a TensorFlow loop: the flag may become a tensor. Nothing changes.
@tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
def halve_below(x):
    i = tf.constant(0)
    done = False
    while i < 100 and not done:
        x = x / 2.0
        i += 1
        done = x < 1.0
    return x, i


def run():
    return [doubled_until(tf.constant(1.5)), halve_below(tf.constant(37.0)), halve_below(tf.constant(0.5))]
