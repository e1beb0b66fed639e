import random

import tensorflow as tf

# tf.function traces a lambda like a def: the print runs once, the draw is frozen.
show = tf.function(lambda v: (print(v), v)[1])
jitter = tf.function(lambda v: v + random.gauss(0.0, 1.0))
scale = tf.function(lambda v, k=2.0: v * k)
