"""AG010: which tensor conditions are reported, and the guards on its two fixes."""

from __future__ import annotations

from rewriter.pipeline import process_source
from rewriter.settings import Settings

UNSAFE = Settings(unsafe_fixes=True, select=frozenset({"AG010"}))
SIG = "import tensorflow as tf\n\n@tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])\n"


def codes(text: str) -> list[tuple[int, bool]]:
    return [(d.location.row, d.fix is not None) for d in process_source(text, UNSAFE).diagnostics]


def test_autograph_converts_plain_conditions() -> None:
    body = "def f(x):\n    if x[0] > 0:\n        x = -x\n    ok = x[1] > 0 and not x[2] > 0\n    return x if ok else x * 2\n"
    assert codes(SIG + body) == []
    without = SIG.replace("tf.function(", "tf.function(autograph=False, ") + body
    assert codes(without) == [(5, False), (7, False), (7, False), (8, False)]


def test_optional_parameter_needs_tensor_evidence() -> None:
    base = "import tensorflow as tf\n\n@tf.function\ndef f(x, w=None):\n    if w:\n        {use}\n    return x\n"
    assert codes(base.format(use="x = tf.ones([3]) * w")) == [(5, True)]
    assert codes(base.format(use="x = tf.add(x, w)")) == [(5, True)]
    assert codes(base.format(use="x = x * w")) == []  # `x` may be a Python number too
    assert codes(base.format(use="x = tf.io.gfile.exists(w)")) == []  # a path
    assert codes(base.format(use="x = layer(x, training=w)")) == []  # a flag
    rebound = "import tensorflow as tf\n\n@tf.function\ndef f(x, w=None):\n    w = w or 1.0\n    if w:\n        x = x * w\n    return x\n"
    assert codes(rebound) == []
    default_one = (
        "import tensorflow as tf\n\n@tf.function\ndef f(x, w=1.0):\n    if w:\n        x = x * w\n    return x\n"
    )
    assert codes(default_one) == []


def test_assert_fix_needs_a_bool_tensor_and_no_xla() -> None:
    assert codes(SIG + "def f(x):\n    assert x[0] > 0\n    return x\n") == [(5, True)]
    assert codes(SIG + "def f(x):\n    assert x[0]\n    return x\n") == [(5, False)]  # float: no fix
    xla = SIG.replace("tf.function(", "tf.function(jit_compile=True, ")
    assert codes(xla + "def f(x):\n    assert x[0] > 0\n    return x\n") == [(5, False)]
    assert codes(SIG + "def f(x):\n    assert x.shape[0] == 3\n    return x\n") == []  # static: Python


def test_comprehension_over_python_values_is_fine() -> None:
    assert codes(SIG + "def f(x):\n    return [x * k for k in (1, 2, 3) if k > 1]\n") == []
    assert codes(SIG + "def f(x):\n    return all(v > 0 for v in tf.unstack(x))\n") == [(5, False)]


NO_AUTOGRAPH = SIG.replace("tf.function(", "tf.function(autograph=False, ")


def test_a_condition_tested_whole_is_reported_once() -> None:
    body = "def f(x):\n    while x[0] < 3.0 and x[1] > 0.0:\n        x = x + 1.0\n    return x\n"
    assert codes(NO_AUTOGRAPH + body) == [(5, False)]


def test_code_under_an_eager_guard_is_not_graph_code() -> None:
    body = (
        "def f(x):\n    if x is not None and tf.executing_eagerly():\n        ok = tf.reduce_all(x > 0.0)\n"
        "        if not ok:\n            raise ValueError('negative')\n    return x\n"
    )
    assert codes(NO_AUTOGRAPH + body) == []
    either = body.replace("x is not None and", "x is None or")
    assert codes(NO_AUTOGRAPH + either) == [(7, False)]  # `or`: the body also runs in graphs


def test_asserts_are_converted_when_autograph_is_told_to() -> None:
    options = "experimental_autograph_options=(tf.autograph.experimental.Feature.ASSERT_STATEMENTS,), "
    body = "def f(x):\n    assert x[0] != 0.0, 'zero'\n    return 1.0 / x\n"
    assert codes(SIG.replace("tf.function(", "tf.function(" + options) + body) == []
    assert codes(SIG + body) == [(5, True)]
