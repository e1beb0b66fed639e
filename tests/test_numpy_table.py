"""Each row of AG009's NumPy table: NumPy and the rewritten TensorFlow give the same values and dtype."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

from rewriter.pipeline import process_source
from rewriter.rules._numpy_table import TABLE
from rewriter.settings import Settings

np = pytest.importorskip("numpy")
tf = pytest.importorskip("tensorflow")

SIGNATURE = (
    "@tf.function(input_signature=[tf.TensorSpec([2, 3], tf.float32), tf.TensorSpec([2, 3], tf.int32), "
    "tf.TensorSpec([2, 3], tf.bool), tf.TensorSpec([4], tf.float32), tf.TensorSpec([4], tf.int64)])\n"
)
SAMPLES = {
    "x": np.array([[0.5, -1.25, 2.0], [3.5, 0.0, -0.75]], np.float32),
    "i": np.array([[1, -2, 3], [4, 5, -6]], np.int32),
    "b": np.array([[True, False, True], [False, False, True]]),
    "v": np.array([0.1, 0.2, 0.3, 0.4], np.float32),
    "w": np.array([1, 2, 3, 4], np.int64),
}
CASES = [(row.numpy, sample) for row in TABLE.values() for sample in row.samples]


@pytest.mark.parametrize(("name", "sample"), CASES, ids=[s for _, s in CASES])
def test_row_gives_numpy_values_and_dtype(name: str, sample: str, tmp_path: Path) -> None:
    source = f"import numpy as np\nimport tensorflow as tf\n\n{SIGNATURE}def f(x, i, b, v, w):\n    return {sample}\n"
    report = process_source(source, Settings(unsafe_fixes=True, select=frozenset({"AG009"})))
    assert [d.code for d in report.diagnostics] == ["AG009"]
    fixed = report.fixed.split("return ", 1)[1].strip()
    assert f"tf.{TABLE[name].tf}(" in fixed and "np." not in fixed, fixed
    assert process_source(report.fixed, Settings(unsafe_fixes=True)).diagnostics == []

    path = tmp_path / "fixed.py"
    path.write_text(report.fixed)
    namespace = runpy.run_path(str(path))
    graph = namespace["f"](*(tf.constant(SAMPLES[k]) for k in "xibvw")).numpy()  # type: ignore[operator]
    expected = np.asarray(eval(sample, {"np": np, **SAMPLES}))
    assert graph.dtype == expected.dtype
    assert graph.shape == expected.shape
    operand = re.search(r"\b[xibvw]\b", sample)
    assert operand is not None
    if TABLE[name].may_round_differently(str(SAMPLES[operand.group()].dtype)):
        np.testing.assert_allclose(graph, expected, rtol=1e-6)
    else:
        np.testing.assert_array_equal(graph, expected)
