"""AG003: the rewritten loop's graph stops growing with the trip count, and computes the
same values as the original run eagerly (cases whose original graph already agrees with
eager, so the parity test cannot show a divergence, are checked here)."""

from __future__ import annotations

from pathlib import Path

import pytest
from golden_cases import GOLDEN

from rewriter.pipeline import process_source
from rewriter.settings import Settings

tf = pytest.importorskip("tensorflow")

from parity import load_module  # noqa: E402

TEMPLATE = """import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
def power_sum(x):
    total = tf.zeros_like(x)
    for k in range({n}):
        total += tf.pow(x, tf.cast(k % 3, tf.float32))
    return total
"""


def _load(tmp_path: Path, name: str, text: str):
    path = tmp_path / f"{name}.py"
    path.write_text(text, encoding="utf-8")
    return load_module(path)


def _node_count(function) -> int:
    return len(function.get_concrete_function().graph.as_graph_def().node)


def test_rewritten_loop_graph_does_not_grow_with_the_trip_count(tmp_path: Path) -> None:
    original_counts, rewritten_counts = [], []
    x = tf.constant([0.5, 1.0, 2.0])
    for n in (50, 200, 800):
        original = TEMPLATE.format(n=n)
        rewritten = process_source(original, Settings()).fixed
        assert f"tf.range({n})" in rewritten
        before = _load(tmp_path, f"before_{n}", original)
        after = _load(tmp_path, f"after_{n}", rewritten)
        original_counts.append(_node_count(before.power_sum))
        rewritten_counts.append(_node_count(after.power_sum))
        tf.config.run_functions_eagerly(True)
        try:
            expected = before.power_sum(x).numpy()
        finally:
            tf.config.run_functions_eagerly(False)
        assert after.power_sum(x).numpy().tolist() == expected.tolist()
    assert len(set(rewritten_counts)) == 1, rewritten_counts
    assert original_counts[0] < original_counts[1] < original_counts[2], original_counts
    assert rewritten_counts[0] < original_counts[0] / 4


def _golden_pair(tmp_path: Path, case: str):
    folder = GOLDEN / "python_range_loop"
    original = _load(tmp_path, f"{case}_in", (folder / f"{case}.in.py").read_text(encoding="utf-8"))
    rewritten = _load(tmp_path, f"{case}_out", (folder / f"{case}.out.py").read_text(encoding="utf-8"))
    return original, rewritten


def _eager(function, *args):
    tf.config.run_functions_eagerly(True)
    try:
        return function(*args)
    finally:
        tf.config.run_functions_eagerly(False)


def _same(a, b) -> None:
    assert a.dtype == b.dtype and a.shape == b.shape
    assert a.numpy().tolist() == b.numpy().tolist()


def test_literal_bound_golden_case_keeps_values(tmp_path: Path) -> None:
    original, rewritten = _golden_pair(tmp_path, "literal_bound")
    x = tf.constant([0.5, 1.5, -2.0])
    _same(rewritten.power_sum(x), _eager(original.power_sum, x))
    _same(rewritten.count_up(tf.constant(7)), _eager(original.count_up, tf.constant(7)))
    signature = tf.TensorSpec([], tf.int32)
    graph = rewritten.count_up.get_concrete_function(signature).graph.as_graph_def()
    assert len(graph.node) < 60  # 1000 unrolled steps would be thousands of nodes


def test_index_casts_golden_case_keeps_values(tmp_path: Path) -> None:
    original, rewritten = _golden_pair(tmp_path, "index_casts")
    x = tf.constant([1.0, -2.0, 3.5])
    _same(rewritten.weighted(x), _eager(original.weighted, x))
    y = tf.constant([5, 20, 500], tf.int64)
    _same(rewritten.shifted(y), _eager(original.shifted, y))
