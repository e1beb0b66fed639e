import tensorflow as tf


# Total variation of a series whose length is known only at run time.
# `range(1, x.shape[0])` raises in the graph (the dimension is None there), and
# `tf.range(1, n)` would raise on a series of length 0; `range` over a tensor bound is
# what AutoGraph turns into a graph loop, empty when the bound is below the start.
@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
def total_variation(series):
    variation = tf.constant(0.0)
    for i in range(1, series.shape[0]):
        step = series[i] - series[i - 1]
        variation += tf.abs(step)
    return variation


# Largest gain over a lag of two steps.
@tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
def largest_gain(prices):
    best = tf.constant(0.0)
    for day in range(2, prices.shape[0]):
        gain = prices[day, 0] - prices[day - 2, 1]
        best = tf.maximum(best, gain)
    return best


def run():
    prices = tf.constant([[1.0, 1.5], [2.0, 1.0], [4.0, 3.0], [2.5, 2.0]])
    return [
        total_variation(tf.constant([1.0, 3.0, 2.0, 5.0])),
        total_variation(tf.constant([7.0])),
        total_variation(tf.zeros([0])),
        largest_gain(prices),
        largest_gain(prices[:1]),
    ]
