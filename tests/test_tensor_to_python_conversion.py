"""AG009: what is reported, what is fixed, and the bail-outs that keep fixes faithful."""

from __future__ import annotations

import pytest

from rewriter.pipeline import process_source
from rewriter.settings import Settings

HEADER = (
    "import numpy as np\nimport tensorflow as tf\n\n"
    "@tf.function(input_signature=[tf.TensorSpec([2, 3], tf.float32), tf.TensorSpec([2, 3], tf.int32)])\n"
    "def f(x, i):\n"
)
UNSAFE = Settings(unsafe_fixes=True, select=frozenset({"AG009"}))


def findings(body: str, settings: Settings = UNSAFE) -> list[tuple[str, str | None, str]]:
    report = process_source(HEADER + body, settings)
    return [(d.code, d.fix.applicability if d.fix else None, d.message) for d in report.diagnostics]


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("    return np.clip(i, 0.5, 1.5)\n", "float literal"),
        ("    return np.maximum(i, 0.5)\n", "float literal"),
        ("    return np.argmax(x)\n", "flattens"),
        ("    return np.exp(x > 0)\n", "no faithful TensorFlow form"),
        ("    return np.concatenate([x, i])\n", "dtypes are not known to agree"),
        ("    return np.mean(x).item()\n", "`.item` is read"),
        ("    m = np.sum(i)\n    return m.astype(np.float32)\n", "used as a NumPy value"),
        ("    return float(np.mean(x))\n", "goes to `float`"),
        ("    return np.sum(x, dtype=np.float64)\n", "parameters the fix does not map"),
        ("    return np.clip(x, 1.0, -1.0)\n", "in order"),
        ("    return np.mean(  # the average\n        x)\n", "comment"),
        ("    return np.sum(i) + tf.reduce_sum(i)\n", "meets the int32 tensor"),
        ("    total = np.sum(i, axis=0)\n    return tf.add(total, i[0])\n", "meets the int32 tensor"),
    ],
)
def test_reported_without_a_fix(body: str, why: str) -> None:
    (found,) = findings(body)
    assert found[:2] == ("AG009", None) and why in found[2], found


def test_numpy_functions_without_a_mapping_name_the_tensorflow_op() -> None:
    (found,) = findings("    return np.cumsum(x)\n")
    assert found[1] is None and "tf.experimental.numpy.cumsum" in found[2]


def test_float_sums_are_unsafe_integer_sums_safe() -> None:
    assert findings("    return np.sum(x)\n")[0][1] == "unsafe"
    assert findings("    return np.sum(i)\n")[0][1] == "safe"
    fixed = process_source(HEADER + "    return np.sum(i)\n", Settings()).fixed
    assert fixed.endswith("return tf.reduce_sum(tf.cast(i, tf.int64))\n")


def test_a_parameter_without_a_signature_is_an_assumption() -> None:
    text = "import numpy as np\nimport tensorflow as tf\n\n@tf.function\ndef f(x):\n    return np.abs(x)\n"
    (found,) = process_source(text, UNSAFE).diagnostics
    assert found.fix is not None and found.fix.applicability == "unsafe"
    assert "assumes `x` is passed a tensor" in found.fix.message
    # Functions outside the table on a parameter are far more often Python values.
    assert process_source(text.replace("np.abs(x)", "np.zeros(x)"), UNSAFE).diagnostics == []
    # NumPy on a Python value or on a callee's parameter is fine.
    callee = "import numpy as np\nimport tensorflow as tf\n\ndef g(n):\n    return np.abs(n)\n\n@tf.function\ndef f(x):\n    return x * g(3)\n"
    assert process_source(callee, UNSAFE).diagnostics == []


@pytest.mark.parametrize(
    ("body", "fixed", "applicability"),
    [
        ("    return tf.reduce_sum(x.numpy())\n", "    return tf.reduce_sum(x)\n", "safe"),
        ("    return x.numpy() * x\n", "    return x * x\n", "safe"),
        ("    return x.numpy()\n", "    return x\n", "unsafe"),
    ],
)
def test_numpy_method_dropped_where_a_tensor_is_used(body: str, fixed: str, applicability: str) -> None:
    report = process_source(HEADER + body, UNSAFE)
    (found,) = report.diagnostics
    assert found.fix is not None and found.fix.applicability == applicability
    assert report.fixed == HEADER + fixed


def test_numpy_method_elsewhere_is_reported_only() -> None:
    (found,) = findings("    values = x.numpy()\n    return values.tolist()\n")
    assert found[1] is None and "use the tensor `x` itself" in found[2]


def test_builtins() -> None:
    assert findings("    return bool(x[0, 0] > 0)\n")[0][1] is None
    assert findings("    return int(i[0, 0]) + float(x[0, 0])\n") == []  # AutoGraph's casts keep the values
    wide = "import tensorflow as tf\n\n@tf.function\ndef f():\n    return float(tf.constant(1.0, tf.float64))\n"
    (found,) = process_source(wide, UNSAFE).diagnostics
    assert "tf.cast(tf.constant(1.0, tf.float64), tf.float64)" in found.message


def test_len_without_autograph() -> None:
    text = (
        "import tensorflow as tf\n\n"
        "@tf.function(autograph=False, input_signature=[tf.TensorSpec([None], tf.int32)])\n"
        "def f(x):\n    return tf.add(len(x), 1)\n"
    )
    report = process_source(text, Settings())
    assert report.fixed.endswith("return tf.add(tf.shape(x)[0], 1)\n")
    with_autograph = text.replace("autograph=False, ", "")
    assert process_source(with_autograph, Settings()).diagnostics == []


def test_len_of_keras_inputs_known_only_by_role_is_not_reported() -> None:
    # Keras 3 traces `call` without AutoGraph, and passes it a list as readily as a tensor.
    text = (
        "import keras\n\nclass Pair(keras.layers.Layer):\n    def call(self, inputs):\n"
        "        value = inputs[2] if len(inputs) > 2 else inputs[1]\n        return inputs[0] + value\n\n"
        "class Fit(keras.Model):\n    def train_step(self, data):\n"
        "        if len(data) == 3:\n            x, y, w = data\n        return {}\n"
    )
    assert process_source(text, UNSAFE).diagnostics == []
    # Passed on to a helper: the helper's own code shows a sequence.
    helper = (
        "import tensorflow as tf\n\n@tf.function(autograph=False)\ndef f(x: tf.Tensor):\n    return g(x)\n\n"
        "def g(data):\n    if len(data) == 3:\n        a, b, c = data\n    if isinstance(data, (list, tuple)) and len(data) < 2:\n"
        "        raise ValueError(data)\n    return data\n"
    )
    assert process_source(helper, UNSAFE).diagnostics == []
    assert (
        len(
            process_source(
                helper.replace("a, b, c = data", "pass").replace("(list, tuple)", "dict"), UNSAFE
            ).diagnostics
        )
        == 2
    )


def test_len_of_a_structure_unpacked_from_keras_inputs_is_not_reported() -> None:
    # `boxes, maps = inputs`: each part of what Keras passes may itself be a list.
    unpacked = (
        "import keras\nimport tensorflow as tf\n\nclass Pool(keras.layers.Layer):\n    def call(self, inputs):\n"
        "        boxes, maps = inputs\n        return tf.zeros([len(boxes)]) + maps\n"
    )
    assert process_source(unpacked, UNSAFE).diagnostics == []
    # Still reported: a name unpacked from a parameter that is a tensor by other evidence
    # than its role.
    annotated = unpacked.replace("def call(self, inputs):", "def call(self, inputs: tf.Tensor):")
    assert [d.code for d in process_source(annotated, UNSAFE).diagnostics] == ["AG009"]
    # And a loop over a tensor does not make it a list: without AutoGraph the loop raises
    # too, so the code misbehaves and is reported.
    looped = (
        "import tensorflow as tf\n\n@tf.function(autograph=False)\ndef f(x: tf.Tensor):\n"
        "    sizes = [p for p in x]\n    return tf.add(len(x), 1)\n"
    )
    assert [d.code for d in process_source(looped, UNSAFE).diagnostics] == ["AG009"]


def test_a_printed_result_is_unsafe() -> None:
    (found,) = process_source(HEADER + "    m = np.max(i)\n    tf.print(m)\n    return m\n", UNSAFE).diagnostics
    assert found.fix is not None and found.fix.applicability == "unsafe" and "tf.print" in found.fix.message


def test_int_and_float_are_reported_where_the_cast_narrows_or_cannot_index() -> None:
    ints = "import tensorflow as tf\n\n@tf.function\ndef f(x):\n    return int(tf.cast(x, tf.float32) * 0.5 + 0.5)\n"
    assert process_source(ints, UNSAFE).diagnostics == []  # truncates as Python's int() does
    wide = ints.replace("tf.float32) * 0.5 + 0.5", "tf.int64)")
    assert "tf.cast(tf.cast(x, tf.int64), tf.int64)" in process_source(wide, UNSAFE).diagnostics[0].message
    index = "import tensorflow as tf\n\n@tf.function\ndef f(x):\n    return [1, 2][int(tf.shape(x)[0])]\n"
    (found,) = process_source(index, UNSAFE).diagnostics
    assert "cannot index `[1, 2]`" in found.message


def test_numpy_method_meeting_another_dtype_keeps_no_fix() -> None:
    (found,) = findings("    return x.numpy() * tf.cast(i, tf.float64)\n")
    assert found[1] is None and "meets the float64 tensor" in found[2]


DYNAMIC = (
    "import numpy as np\nimport tensorflow as tf\n\n"
    "@tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])\n"
    "def f(x):\n"
)


def dimension_findings(source: str) -> list[tuple[str, str | None, str]]:
    report = process_source(source, UNSAFE)
    return [(d.code, d.fix.applicability if d.fix else None, d.message) for d in report.diagnostics]


@pytest.mark.parametrize(
    "body",
    [
        "    return tf.zeros([x.shape[0], 3])\n",
        "    return tf.reshape(x, [x.shape[0] * 3])\n",
        "    return tf.range(x.shape[0] // 2 + 1)\n",
        "    return tf.ones((x.shape[0],))\n",
    ],
)
def test_an_unknown_dimension_fed_to_a_shape_argument_is_fixed(body: str) -> None:
    (finding,) = dimension_findings(DYNAMIC + body)
    assert finding[1] == "safe" and "raises on None; use `tf.shape(x)[0]`" in finding[2]
    fixed = process_source(DYNAMIC + body, UNSAFE).fixed
    assert "tf.shape(x)[0]" in fixed and "x.shape[0]" not in fixed


@pytest.mark.parametrize(
    ("body", "consumer"),
    [
        ("    return np.zeros(x.shape[0])\n", "`np.zeros` needs a Python int"),
        ("    return [0.0] * x.shape[0]\n", "repeating a sequence"),
        ("    return int(x.shape[0])\n", "`int` needs a Python int"),
        ("    return [i for i in range(x.shape[0])]\n", "Python `range`"),
        ("    n = x.shape[0]\n    return np.ones((n, 3))\n", "`np.ones` (through `n`)"),
    ],
)
def test_an_unknown_dimension_a_python_consumer_needs_is_reported_only(body: str, consumer: str) -> None:
    (finding,) = dimension_findings(DYNAMIC + body)
    assert finding[1] is None and consumer in finding[2]


@pytest.mark.parametrize(
    "body",
    [
        "    return tf.zeros([x.shape[1], 2])\n",  # 3 in the signature
        "    if x.shape[0] is not None:\n        return tf.zeros([x.shape[0]])\n    return x\n",
        "    n = x.shape[0]\n    return tf.zeros([n or 1])\n",
        "    n = x.shape[0]\n    print(n)\n    return np.zeros(n)\n",
        "    return x.shape[0] == 2\n",
    ],
)
def test_static_or_guarded_dimensions_are_left_alone(body: str) -> None:
    assert [f for f in dimension_findings(DYNAMIC + body) if f[0] == "AG009"] == []


def test_a_range_loop_over_a_dimension_is_left_to_ag003() -> None:
    body = "    s = tf.constant(0.0)\n    for i in range(x.shape[0]):\n        s += x[i, 0]\n    return s\n"
    report = process_source(DYNAMIC + body, Settings(unsafe_fixes=True, select=frozenset({"AG003", "AG009"})))
    assert [d.code for d in report.diagnostics] == ["AG003"]


def test_without_a_signature_only_the_batch_dimension_is_reported_with_an_unsafe_fix() -> None:
    plain = "import tensorflow as tf\n\n@tf.function\ndef f(x):\n    return tf.zeros([x.shape[0], x.shape[1]])\n"
    assert dimension_findings(plain) == []  # eager callers: every traced shape is static
    source = plain.replace("@tf.function", "@tf.function(reduce_retracing=True)")
    (finding,) = dimension_findings(source)
    assert finding[1] == "unsafe" and "when dimension 0 of `x` is not static" in finding[2]
    fix = process_source(source, UNSAFE).diagnostics[0].fix
    assert fix is not None and "assumes dimension 0 of `x` may be unknown" in fix.message
