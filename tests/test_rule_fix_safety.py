"""Fix safety of AG005, AG002 and AG004 decided by what the program computes.

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


# AG004: a Python counter in a `while` test stays exact as an int32 tensor only when
# nothing else sees it and its values stay within int32.
COUNTED = """import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
def halve(x):
    done = False
    i = START
    while not done and i < BOUND:
        x = x / 2.0
        done = x < 1.0
        i += STEP
    return x
"""


def _counted(start: str = "0", bound: str = "50", step: str = "1") -> rewriter.Diagnostic:
    return _one(COUNTED.replace("START", start).replace("BOUND", bound).replace("STEP", step), "AG004")


def test_a_counter_only_the_test_reads_keeps_the_fix_safe() -> None:
    found = _counted()
    assert found.fix is not None and found.fix.applicability == "safe"


def test_a_counter_that_may_leave_int32_makes_the_fix_unsafe() -> None:
    for found in (_counted(bound=str(2**40)), _counted(start=str(-(2**40))), _counted(step="x.shape.rank or 1")):
        assert found.fix is not None and found.fix.applicability == "unsafe"
        assert "`i` is carried across iterations" in found.fix.message


def test_a_tensor_operand_in_the_test_is_not_reported() -> None:
    source = COUNTED.replace("START", "tf.constant(0)").replace("BOUND", "50").replace("STEP", "1")
    assert [d for d in rewriter.check_source(source, select=["AG004"])] == []


def test_a_draw_read_by_two_consumers_gives_the_same_reason_on_every_run() -> None:
    """The reason an AG002 fix is unsafe names the first consumer in source order, not
    whichever a set of strings yields first under this run's hash seed."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    source = (
        "import numpy as np\n"
        "import tensorflow as tf\n\n\n"
        "@tf.function\n"
        "def step(model, helper):\n"
        "    noise = np.random.normal(size=(4, 3))\n"
        "    helper.record(noise)\n"
        "    return model.predict(noise)\n"
    )
    root = Path(__file__).resolve().parent.parent
    script = (
        "import sys\n"
        "from rewriter.api import check_source\n"
        "for finding in check_source(sys.stdin.read(), unsafe_fixes=True):\n"
        "    print(finding.fix.message if finding.fix else None)\n"
    )
    shown = set()
    for seed in ("0", "1", "2", "3"):
        result = subprocess.run(
            [sys.executable, "-c", script],
            input=source,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)},
        )
        shown.add(result.stdout)
    assert len(shown) == 1, shown
    assert "helper.record" in shown.pop()
