"""AG008: findings, and the display-only suggestion run for real (same results, one trace)."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

from rewriter.fix import apply_edits
from rewriter.pipeline import find_violations, fix_edits, process_source
from rewriter.rules import Applicability
from rewriter.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "golden" / "retracing_python_argument" / "training_loop.in.py"
SETTINGS = Settings(select=frozenset({"AG008"}), unsafe_fixes=True)


def test_suggestions_are_display_only_and_never_applied() -> None:
    text = CASE.read_text()
    report = process_source(text, SETTINGS)
    assert report.fixed == text
    fixes = [d.fix for d in report.diagnostics if d.fix is not None]
    assert len(fixes) == 2 and {f.applicability for f in fixes} == {"display-only"}
    assert [e.content for f in fixes for e in f.edits if "constant" in e.content] == [
        "tf.constant(step, dtype=tf.int32)",
        "tf.constant(learning_rate * DECAY**epoch, dtype=tf.float32)",
    ]


def test_a_python_value_used_as_such_gets_no_suggestion() -> None:
    text = (
        "import tensorflow as tf\n\n@tf.function\ndef f(x, k):\n    return x[k]\n\n"
        "for k in range(3):\n    f(tf.ones([3]), k)\n"
    )
    (found,) = process_source(text, SETTINGS).diagnostics
    assert found.fix is None and "`k` is used as a Python value inside, `x[k]`" in found.message


def test_python_names_that_may_be_tensors_are_not_reported() -> None:
    text = (
        "import tensorflow as tf\n\n@tf.function\ndef f(x, k):\n    return x * k\n\n"
        "def g(x, scale):\n    for k in range(3):\n        f(x, scale * k)\n"
    )
    assert process_source(text, SETTINGS).diagnostics == []  # `scale` may be a tensor


def test_the_suggestion_keeps_results_and_traces_once(tmp_path: Path) -> None:
    tf = pytest.importorskip("tensorflow")
    text = CASE.read_text()
    module, violations = find_violations(text, CASE.name, SETTINGS)
    edits = [
        edit
        for v in violations
        if v.fix is not None and v.fix.applicability is Applicability.DISPLAY_ONLY
        for edit in fix_edits(module, v)
    ]
    suggested = tmp_path / "suggested.py"
    suggested.write_text(apply_edits(text, edits))
    original = tmp_path / "original.py"
    original.write_text(text)

    batches = [tf.constant([1.0, 2.0]), tf.constant([0.5, -1.0]), tf.constant([3.0, 0.0])]
    results, traces = [], []
    for path in (original, suggested):
        namespace = runpy.run_path(str(path))
        results.append(namespace["fit"](tf.constant([1.0, 1.0]), batches, epochs=3).numpy().tolist())
        traces.append(namespace["train_step"].experimental_get_tracing_count())
    assert results[0] == pytest.approx(results[1], rel=1e-6)
    assert traces == [9, 1]
