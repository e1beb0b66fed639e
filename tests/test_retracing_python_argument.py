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
    assert len(fixes) == 3 and {f.applicability for f in fixes} == {"display-only"}  # two tensors, one hoist
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


PER_CALL = ROOT / "golden" / "retracing_python_argument" / "objects_and_functions_per_call.in.py"


def test_functions_made_per_call_get_a_hoisting_suggestion_only_when_it_reads_nothing_local() -> None:
    text = PER_CALL.read_text()
    report = process_source(text, SETTINGS)
    assert report.fixed == text
    suggested = {d.location.row: d.fix.message for d in report.diagnostics if d.fix is not None}
    assert set(suggested) == {29, 45}  # `tf.function(normalise)` in `score`, the lambda in the loop
    assert "above `score`" in suggested[29] and "before the loop" in suggested[45]
    bound = (
        "import tensorflow as tf\n\ndef f(x):\n    return x\n\n"
        "for k in range(3):\n    g = tf.function(lambda v: v * k)\n    g(1.0)\n"
    )
    (found,) = process_source(bound, SETTINGS).diagnostics
    assert found.fix is None and "it reads `k`, which the loop binds" in found.message


def test_new_objects_per_call_are_reported_and_really_retrace() -> None:
    tf = pytest.importorskip("tensorflow")
    report = process_source(PER_CALL.read_text(), SETTINGS)
    messages = [d.message for d in report.diagnostics]
    assert any("a new `StepConfig`, which tf.function tells apart by identity" in m for m in messages)
    assert any("`options` (it holds `0.01 * epoch`" in m for m in messages)
    namespace = runpy.run_path(str(PER_CALL))
    batches = [tf.constant([1.0, 2.0]), tf.constant([0.5, -1.0])]
    namespace["fit"](tf.constant([1.0, 1.0]), batches, epochs=2)
    # Four StepConfig objects and two `decay` values: one trace each, though shapes never change.
    assert namespace["train_step"].experimental_get_tracing_count() == 4
    assert namespace["regularise"].experimental_get_tracing_count() == 2


def test_the_hoisting_suggestions_keep_results_and_trace_once(tmp_path: Path) -> None:
    tf = pytest.importorskip("tensorflow")
    text = PER_CALL.read_text()
    module, violations = find_violations(text, PER_CALL.name, SETTINGS)
    edits = [
        edit
        for v in violations
        if v.fix is not None and v.fix.applicability is Applicability.DISPLAY_ONLY
        for edit in fix_edits(module, v)
    ]
    suggested = tmp_path / "suggested.py"
    suggested.write_text(apply_edits(text, edits))
    assert "fast_normalise = tf.function(normalise)\n\n\ndef score" in suggested.read_text()
    batches = [tf.constant([1.0, 2.0]), tf.constant([0.5, -1.0])]
    results, namespaces = [], []
    for path in (PER_CALL, suggested):
        namespaces.append(runpy.run_path(str(path)))
        weights, history = namespaces[-1]["fit"](tf.constant([1.0, 1.0]), batches, epochs=2)
        results.append(weights.numpy().tolist() + [float(s) for scores in history for s in scores])
    assert results[0] == pytest.approx(results[1])
    # Made once at module level, it traces once for all four calls of `score`.
    assert namespaces[1]["fast_normalise"].experimental_get_tracing_count() == 1
