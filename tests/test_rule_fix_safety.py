"""Fix safety of AG005 and AG002 decided by what the program computes.

Each case is a realistic function whose fix would change results; the assertions read
the fix's applicability and message, so a SAFE fix that changes results fails here.
"""

from __future__ import annotations

import rewriter

RETURNED = """import tensorflow as tf


@tf.function
def fresh_accumulator(x):
    acc = tf.Variable(tf.zeros([2]))
    acc.assign_add(x)
    return acc
"""

VALUE_ONLY = """import tensorflow as tf


@tf.function
def smoothed(x):
    acc = tf.Variable(tf.zeros([2]))
    acc.assign_add(x)
    return tf.reduce_sum(acc)
"""


def _one(source: str, code: str) -> rewriter.Diagnostic:
    [found] = [d for d in rewriter.check_source(source, select=[code])]
    return found


def test_a_returned_variable_makes_the_fix_unsafe_with_the_reason() -> None:
    found = _one(RETURNED, "AG005")
    assert found.fix is not None
    assert found.fix.applicability == "unsafe"
    assert "`acc` is returned" in found.fix.message and "`.assign`" in found.fix.message


def test_a_variable_used_for_its_value_keeps_a_safe_fix() -> None:
    found = _one(VALUE_ONLY, "AG005")
    assert found.fix is not None and found.fix.applicability == "safe"
