"""Safe AG005 and AG002 fixes keep results, on generated programs and random inputs.

Programs are assembled from the forms people write: a variable created in a plain
function, in a function a factory returns, or in a `tf.Module` method; directly in the
body, under `with tf.name_scope(...)` or in a graph loop; an initial value that is a
constant, follows the factory's argument, or the call's argument; updates with
`assign*`; NumPy draws meeting tensors or returned. For every SAFE fix, the original
run eagerly and the rewrite run as a graph must give the same results (values for
AG005; dtype and shape for AG002, whose values are random), on several calls with
random inputs of changing length. One counter-example fails the suite.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from rewriter.pipeline import process_source
from rewriter.settings import Settings

tf = pytest.importorskip("tensorflow")

from parity import load_module, to_plain  # noqa: E402

_HEADER = "import numpy as np\nimport tensorflow as tf\n\n\n"
_SETTINGS = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@st.composite
def variable_programs(draw: st.DrawFn) -> str:
    where = draw(st.sampled_from(["function", "factory", "method"]))
    init = draw(st.sampled_from(["const", "zeros_like", "dim"] if where == "factory" else ["const", "zeros_like"]))
    block = draw(st.sampled_from(["body", "name_scope", "graph_loop"]))
    if block == "graph_loop" and init == "zeros_like":
        init = "const"  # a hoisted creation reading the argument is covered in the body
    updates = draw(
        st.lists(st.sampled_from(["v.assign_add(x)", "v.assign(v * 0.5)", "v.assign_sub(x * 2.0)"]), min_size=1)
    )
    result = draw(st.sampled_from(["tf.reduce_sum(v) + 1.0", "v * 2.0 + x", "tf.identity(v) - x"]))
    init_text = {
        "const": "tf.zeros([1]) + 3.0",
        "zeros_like": "tf.zeros_like(x) + 1.0",
        "dim": "tf.zeros([dim]) + 1.0",
    }[init]
    lines = [f"v = tf.Variable({init_text})", *updates]
    if block == "name_scope":
        lines = ['with tf.name_scope("scratch"):', *("    " + line for line in lines)]
    elif block == "graph_loop":
        lines = ["for _ in tf.range(2):", *("    " + line for line in lines)]
    body = "".join(f"    {line}\n" for line in [*lines, f"return {result}"])
    # A signature makes the argument's dtype known, which the fix needs to be safe when
    # the initial value follows the argument; its length then changes from call to call.
    decorator = (
        "@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])" if init == "zeros_like" else "@tf.function"
    )
    step = f"{decorator}\ndef step(x):\n{body}"
    if where == "function":
        return _HEADER + step + "\n\ndef make():\n    return [(step, 2)]\n"
    if where == "factory":
        inner = "".join(f"    {line}\n" for line in step.splitlines())
        # Two functions from one factory, with variables of different shapes when the
        # initial value follows `dim`: each needs its own variable.
        factory = f"def make_step(dim):\n{inner}\n    return step\n"
        return _HEADER + factory + "\n\ndef make():\n    return [(make_step(2), 2), (make_step(3), 3)]\n"
    method = "".join(f"    {line}\n" for line in step.replace("def step(x)", "def step(self, x)").splitlines())
    # A tf.function method holds its instance weakly: keep the instance alive.
    return (
        _HEADER + f"class M(tf.Module):\n{method}\n\nINSTANCE = M()\n\n\ndef make():\n    return [(INSTANCE.step, 2)]\n"
    )


@st.composite
def random_programs(draw: st.DrawFn) -> str:
    call = draw(
        st.sampled_from(
            [
                "np.random.randn(3)",
                "np.random.normal(0.0, 1.0, size=(3,))",
                "np.random.uniform(-1.0, 1.0, size=3)",
                "np.random.rand()",
                "np.random.randint(0, 5, size=(3,))",
            ]
        )
    )
    use = draw(st.sampled_from(["x + {d}", "{d} * x", "{d}", "tf.add(x, {d})"]))
    if "randint" in call and use != "{d}":
        use = "{d}"  # an integer draw meeting a float tensor gets no fix
    body = f"    noise = {call}\n    return {use.format(d='noise')}\n"
    sig = "input_signature=[tf.TensorSpec([3], tf.float32)]"
    return _HEADER + f"@tf.function({sig})\ndef step(x):\n{body}\n\ndef make():\n    return [(step, 3)]\n"


def _run(tmp_path: Path, text: str, name: str, *, eager: bool, inputs: Callable[[int, int], object]) -> object:
    """Four calls, taking turns over the functions `make()` returns; `inputs(call, dim)`."""
    path = tmp_path / f"{name}.py"
    path.write_text(text, encoding="utf-8")
    tf.config.run_functions_eagerly(eager)
    try:
        steps = load_module(path).make()
        results = []
        for call in range(4):
            step, dim = steps[call % len(steps)]
            results.append(to_plain(step(inputs(call, dim))))
        return results
    finally:
        tf.config.run_functions_eagerly(False)


def _safe_rewrite(source: str, code: str) -> str | None:
    report = process_source(source, Settings(select=frozenset({code})), "generated.py")
    return report.fixed if report.fixed != source else None


def _shape_only(value: object) -> object:
    if isinstance(value, tuple) and value and value[0] == "tensor":
        return value[:3]
    if isinstance(value, list):
        return [_shape_only(v) for v in value]
    return type(value).__name__


@pytest.mark.timeout(600)
@_SETTINGS
@given(program=variable_programs(), seed=st.integers(0, 2**16))
def test_safe_variable_fixes_keep_results(tmp_path: Path, program: str, seed: int) -> None:
    fixed = _safe_rewrite(program, "AG005")
    note(program)
    if fixed is None:
        return  # no safe fix: nothing to hold to this property
    note(fixed)
    rng = __import__("numpy").random.default_rng(seed)
    values = rng.normal(size=[4, 3])

    def inputs(call: int, dim: int) -> object:
        if "zeros_like" in program:
            length = (2, 3)[call % 2]
        else:
            length = dim if "zeros([dim])" in program else 1
        return tf.constant(values[call, :length], tf.float32)

    eager = _run(tmp_path, program, "original", eager=True, inputs=inputs)
    graph = _run(tmp_path, fixed, "fixed", eager=False, inputs=inputs)
    assert graph == eager


@pytest.mark.timeout(600)
@_SETTINGS
@given(program=random_programs())
def test_safe_random_fixes_keep_dtype_and_shape(tmp_path: Path, program: str) -> None:
    fixed = _safe_rewrite(program, "AG002")
    note(program)
    if fixed is None:
        return
    note(fixed)

    def inputs(call: int, dim: int) -> object:
        return tf.constant([1.0, 2.0, 3.0])

    eager = _run(tmp_path, program, "original", eager=True, inputs=inputs)
    graph = _run(tmp_path, fixed, "fixed", eager=False, inputs=inputs)
    # Eagerly a bare draw is a NumPy array or a Python float; compare what TF makes of it.
    assert _shape_only(_as_tensors(graph)) == _shape_only(_as_tensors(eager))


def _as_tensors(results: object) -> object:
    assert isinstance(results, list)
    out = []
    for value in results:
        if isinstance(value, tuple) and value and value[0] == "ndarray":
            value = ("tensor", *value[1:])
        elif isinstance(value, float):
            value = ("tensor", "float32", ())
        out.append(value)
    return out
