import tensorflow as tf

HORIZON = 200
KEEP = 0.9


# Scan a trajectory back to front and stop once the discounted tail outgrows a budget:
# the `break` depends on a tensor, which a Python `range` loop cannot hold in a graph.
@tf.function(input_signature=[tf.TensorSpec([HORIZON], tf.float32), tf.TensorSpec([], tf.float32)])
def tail_within_budget(rewards, budget):
    tail = tf.constant(0.0)
    for t in tf.range(HORIZON - 1, -1, -1):
        tail = tail * KEEP + rewards[t]
        if tail > budget:
            break
    return tail


# Every third step of a window, latest first, with the same early stop.
@tf.function(input_signature=[tf.TensorSpec([HORIZON], tf.float32), tf.TensorSpec([], tf.float32)])
def strided_tail(rewards, budget):
    tail = tf.constant(0.0)
    for t in tf.range(197, 17, -3):
        tail += rewards[t]
        if tail > budget:
            break
    return tail


# The discounted return of an episode whose length is known only at run time, folded
# back to front: `range(rewards.shape[0])` fails in the graph when that dimension is None.
@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
def discounted_return(rewards):
    running = tf.constant(0.0)
    for t in tf.range(tf.shape(rewards)[0] - 1, -1, -1):
        running = rewards[t] + KEEP * running
    return running


def run():
    rewards = tf.range(HORIZON, dtype=tf.float32) / 100.0
    return [
        tail_within_budget(rewards, tf.constant(5.0)),
        tail_within_budget(rewards, tf.constant(1000.0)),
        strided_tail(rewards, tf.constant(3.0)),
        strided_tail(rewards, tf.constant(1000.0)),
        discounted_return(tf.constant([1.0, 0.0, 2.0, 1.0])),
        discounted_return(tf.constant([3.0])),
        discounted_return(tf.zeros([0])),
    ]
