"""Bugs found by the property tests, the real-codebase sweeps and hostile input.

Bugs in the engine and in AG001 are fixed with a test here or a golden case. A bug in
another rule is recorded as a strict xfail: it passes once that rule is fixed, and the
marker must then go.
"""

from __future__ import annotations

import time

import pytest

from rewriter.edits import Edit
from rewriter.fix import choose_compatible
from rewriter.pipeline import process_source
from rewriter.settings import Settings


def test_thousands_of_fixes_are_chosen_in_n_log_n() -> None:
    # 20,000 one-line fixes plus one shared import: the pairwise check took minutes.
    fixes = [(Edit(10 * i + 100, 10 * i + 105, "x"), Edit(0, 0, "import sys\n")) for i in range(20_000)]
    started = time.perf_counter()
    assert choose_compatible(fixes) == list(range(20_000))
    assert time.perf_counter() - started < 5


def test_variable_fix_in_a_tab_indented_file_compiles() -> None:
    text = "import tensorflow as tf\n\n@tf.function\ndef fn0(x):\n\tv = tf.Variable(1.0)\n\treturn x\n"
    report = process_source(text, Settings(select=frozenset({"AG005"})))
    compile(report.fixed, "<fixed>", "exec")
