# tfrewrite: --unsafe-fixes
"""Aliases, a split call with a trailing comma, a method: CRLF line ends, no final newline."""

import numpy as onp
import tensorflow as tf2


class Scorer(tf2.Module):
    def __init__(self):
        super().__init__()
        self.bias = tf2.Variable([1, 2, 3], dtype=tf2.int64)

    @tf2.function(input_signature=[tf2.TensorSpec([None, 3], tf2.int32)])
    def score(self, counts):
        totals = tf2.reduce_sum(tf2.cast(counts, tf2.int64), axis=0)
        floor = tf2.maximum(counts, 0)
        return totals + tf2.reduce_sum(self.bias), tf2.transpose(floor)


def run():
    scorer = Scorer()
    counts = tf2.constant([[1, -2, 3], [4, 5, -6]])
    results = [scorer.score(counts), scorer.score(counts[:1] * 3)]
    return [[onp.asarray(value) for value in result] for result in results]