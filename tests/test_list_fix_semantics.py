"""Safe AG006 and AG003 list fixes keep results, on generated programs and random inputs.

Programs append a value per row of the input inside a loop of the forms people write
(`tf.range`, iteration over a tensor argument or a dataset, a Python `range` above the
unroll limit that AG003 turns into `tf.range` together with the list) and read the list
after the loop the ways people do (`tf.stack`, reductions, `tf.add_n`, `tf.concat` on
any axis, the last element, its length as a float). For every SAFE fix, the original
run eagerly and the rewrite run as a graph must give the same values, dtypes and shapes
on calls with inputs of changing length. One counter-example fails the suite.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from rewriter.pipeline import process_source
from rewriter.settings import Settings

tf = pytest.importorskip("tensorflow")

from parity import load_module, to_plain  # noqa: E402

_SETTINGS = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

_LOOPS = {
    "tf_range": ("for i in tf.range(tf.shape(x)[0]):", "row = x[i]"),
    "tensor": ("for row in x:", None),
    "dataset": ("for row in tf.data.Dataset.from_tensor_slices(x):", None),
    "large_range": ("for i in range(40):", "row = x[i % 2] + tf.cast(i, tf.float32)"),
}
# The appended value and its rank.
_ELEMENTS = {
    "tf.reduce_sum(row) * 2.0": 0,
    "tf.cast(tf.reduce_max(row) * 10.0, tf.int32)": 0,
    "row * 0.5": 1,
    "tf.fill([2, 3], tf.reduce_mean(row))": 2,
}
# A reader of the list after the loop and the least rank of element it needs.
_READERS = {
    "tf.stack(out)": 0,
    "tf.stack(out, axis=-1)": 1,
    "tf.reduce_mean(out)": 0,
    "tf.reduce_max(out, axis=0)": 0,
    "tf.math.reduce_sum(out, 1)": 1,
    "tf.add_n(out)": 0,
    "tf.concat(out, 0)": 1,
    "tf.concat(out, axis=1)": 2,
    "tf.concat(out, -1)": 1,
    "out[-1]": 0,
    "out[0] + out[1]": 0,
    "tf.cast(len(out), tf.float32)": 0,
}


@st.composite
def list_programs(draw: st.DrawFn) -> str:
    loop = draw(st.sampled_from(sorted(_LOOPS)))
    element = draw(st.sampled_from(sorted(_ELEMENTS)))
    readers = sorted(r for r, rank in _READERS.items() if rank <= _ELEMENTS[element])
    chosen = draw(st.lists(st.sampled_from(readers), min_size=1, max_size=3, unique=True))
    header, first = _LOOPS[loop]
    body = [f"        {first}"] if first else []
    lines = [
        "import tensorflow as tf",
        "",
        "",
        "@tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])",
        "def step(x):",
        "    out = []",
        f"    {header}",
        *body,
        f"        out.append({element})",
        f"    return ({', '.join(chosen)},)",
        "",
    ]
    return "\n".join(lines)


def _run(tmp_path: Path, text: str, name: str, *, eager: bool, inputs: list[object]) -> object:
    path = tmp_path / f"{name}.py"
    path.write_text(text, encoding="utf-8")
    tf.config.run_functions_eagerly(eager)
    try:
        step = load_module(path).step
        return [to_plain(step(value)) for value in inputs]
    finally:
        tf.config.run_functions_eagerly(False)


@pytest.mark.timeout(900)
@_SETTINGS
@given(program=list_programs(), seed=st.integers(0, 2**16))
def test_safe_list_fixes_keep_results(tmp_path: Path, program: str, seed: int) -> None:
    note(program)
    report = process_source(program, Settings(select=frozenset({"AG003", "AG006"})), "generated.py")
    if report.fixed == program:
        return  # no safe fix: nothing to hold to this property
    note(report.fixed)
    assert not report.remaining, "a fixed loop still has findings"
    rng = __import__("numpy").random.default_rng(seed)
    # Integer-valued floats: sums are exact in any order, so a difference is a real one.
    inputs = [tf.constant(rng.integers(-4, 5, size=(rows, 3)), tf.float32) for rows in (2, 4, 3)]
    eager = _run(tmp_path, program, "original", eager=True, inputs=inputs)
    graph = _run(tmp_path, report.fixed, "fixed", eager=False, inputs=inputs)
    assert graph == eager
