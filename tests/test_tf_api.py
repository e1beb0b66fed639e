"""The TensorFlow API table: one test per family of rows, and the rows against TF 2.21."""

from __future__ import annotations

import inspect

import pytest
from test_tensors import expr_fact

from rewriter.analyze import tf_api
from rewriter.analyze.tensors import Kind
from rewriter.analyze.tf_api import OPS, Returns, lookup

SIG = "@tf.function(input_signature=[tf.TensorSpec([2, 3], tf.float64)])"


def fact(expression: str):
    return expr_fact("pass", expression, decorator=SIG)


@pytest.mark.parametrize(
    ("expression", "dtype", "shape"),
    [
        # SAME: the dtype and static shape of the first argument.
        ("tf.abs(x)", "float64", (2, 3)),
        ("tf.nn.relu(x)", "float64", (2, 3)),
        ("tf.math.cumsum(x)", "float64", (2, 3)),
        # DTYPE_OF: its dtype, another shape.
        ("tf.reshape(x, [6])", "float64", None),
        ("tf.transpose(x)", "float64", None),
        ("tf.linalg.matmul(x, x, transpose_b=True)", "float64", None),
        # REDUCTION: scalar without an axis.
        ("tf.reduce_sum(x)", "float64", ()),
        ("tf.math.reduce_mean(x, axis=0)", "float64", None),
        ("tf.reduce_max(x, keepdims=True)", "float64", None),
        # ELEMENTWISE: the operands' dtype, broadcast shape.
        ("tf.add(x, 1.0)", "float64", (2, 3)),
        ("tf.math.maximum(x, x)", "float64", (2, 3)),
        # FIXED dtypes.
        ("tf.equal(x, 0.0)", "bool", None),
        ("tf.math.logical_not(x > 0)", "bool", None),
        ("tf.argmax(x)", "int64", None),
        ("tf.argmax(x, output_type=tf.int32)", "int32", None),
        ("tf.size(x)", "int32", ()),
        ("tf.rank(x)", "int32", ()),
        ("tf.timestamp()", "float64", ()),
        ("tf.one_hot([1, 2], 3)", "float32", None),
        ("tf.one_hot([1, 2], 3, dtype=tf.int32)", "int32", None),
        # SHAPE_VECTOR: an int32 vector as long as the rank.
        ("tf.shape(x)", "int32", (2,)),
        ("tf.shape(x, out_type=tf.int64)", "int64", (2,)),
        # CREATION: a shape and a dtype (float32 by default; dtype by position too).
        ("tf.zeros([4, 2])", "float32", (4, 2)),
        ("tf.ones([3], tf.int64)", "int64", (3,)),
        ("tf.random.normal([2], 0.0, 1.0, tf.float16)", "float16", (2,)),
        ("tf.random.stateless_uniform([2], [1, 2], 0, 1, tf.float64)", "float64", (2,)),
        ("tf.eye(3)", "float32", None),
        # CAST, CONSTANT, LIKE, FILL, RANGE, CONCAT, WHERE: rules of their own.
        ("tf.cast(x, tf.int32)", "int32", (2, 3)),
        ("tf.constant([1, 2])", "int32", (2,)),
        ("tf.constant(0.0, shape=[2, 2])", "float32", (2, 2)),
        ("tf.convert_to_tensor(1.5)", "float32", ()),
        ("tf.zeros_like(x)", "float64", (2, 3)),
        ("tf.ones_like(x, tf.int32)", "int32", (2, 3)),
        ("tf.fill([2, 2], 7)", "int32", (2, 2)),
        ("tf.range(5)", "int32", None),
        ("tf.range(5.0)", "float32", None),
        ("tf.concat([x, x], 0)", "float64", None),
        ("tf.stack([x, x])", "float64", None),
        ("tf.where(x > 0)", "int64", None),
        ("tf.where(x > 0, x, x)", "float64", None),
        # TENSOR: a row whose dtype is not tracked.
        ("tf.math.bessel_i0(x)", None, None),
    ],
)
def test_tensor_results(expression: str, dtype: str | None, shape: tuple | None) -> None:
    result = fact(expression)
    assert result.is_tensor
    assert (result.dtype, result.shape if isinstance(result.shape, tuple) else None) == (dtype, shape)


def test_variables_and_tensor_arrays() -> None:
    variable = fact("tf.Variable(x)")
    assert variable.is_tensor and variable.pytype == "tf.Variable" and variable.dtype == "float64"
    assert fact("tf.Variable(1, dtype=tf.int64)").dtype == "int64"
    assert fact("tf.Variable(1, True, True, None, 'v', None, tf.int64)").dtype == "int64"
    array = fact("tf.TensorArray(tf.int32, size=3)")
    assert array.kind is Kind.UNKNOWN and array.pytype == "tf.TensorArray" and array.dtype == "int32"


@pytest.mark.parametrize(("expression", "pytype"), [("tf.is_tensor(x)", "bool"), ("tf.executing_eagerly()", "bool")])
def test_python_results(expression: str, pytype: str) -> None:
    assert fact(expression).is_python(pytype)


@pytest.mark.parametrize(
    "expression",
    [
        "tf.unstack(x)",  # a row: a list of tensors
        "tf.nest.flatten(x)",
        "tf.TensorSpec([3])",
        "tf.keras.layers.Dense(3)",  # a namespace that is not ops
        "tf.summary.scalar('a', 1.0)",
        "tf.sparse.from_dense(x)",
        "tf.SomeNewClass()",  # capitalised: a class
        "tf.get_static_shape(x)",  # no such function in TensorFlow 2
        "tf.to_float(x)",  # TensorFlow 1 only
        "tf.math.some_future_op(x)",  # no row: nothing is known about it
    ],
)
def test_not_a_tensor(expression: str) -> None:
    assert fact(expression).kind is Kind.UNKNOWN


def test_datasets() -> None:
    assert fact("tf.data.Dataset.range(3)").pytype == "tf.data.Dataset"
    assert fact("tf.data.Dataset.range(3).batch(2)").pytype == "tf.data.Dataset"


def test_lookup_without_a_row_knows_no_tensor() -> None:
    assert lookup("abs") is OPS["abs"]
    assert lookup("keras.layers.Dense").returns is Returns.NOT_A_TENSOR
    assert lookup("linalg.LinearOperatorFullMatrix").returns is Returns.NOT_A_TENSOR
    assert lookup("math.bessel_i0").returns is Returns.TENSOR
    assert lookup("get_static_shape").returns is Returns.NOT_A_TENSOR


def test_stateful() -> None:
    for name in ("Variable", "function", "random.set_seed", "random.Generator", "summary.scalar", "keras.layers.Dense"):
        assert tf_api.is_stateful(name), name
    for name in ("add", "random.normal", "reduce_sum", "cast"):
        assert not tf_api.is_stateful(name), name


def test_a_row_under_a_namespace_that_is_not_ops_says_something_else() -> None:
    # A row wins over its namespace: one that repeats what the namespace says is noise.
    under = {name: OPS[name].returns for name in OPS if name.startswith(tf_api.NOT_TENSOR_PREFIXES)}
    assert under == {"dtypes.cast": Returns.CAST}


# -- the rows against TensorFlow itself ------------------------------------------------


def _tf_function(name: str):
    """`tf.<name>`, or `tf.compat.v1.<name>` (the analysis reads both the same)."""
    tf = pytest.importorskip("tensorflow")
    for root in (tf, tf.compat.v1):
        target = root
        for part in name.split("."):
            target = getattr(target, part, None)
            if target is None:
                break
        if target is not None:
            return target
    return None


@pytest.mark.parametrize("name", sorted(n for n, op in OPS.items() if op.dtype_position is not None))
def test_dtype_positions_match_the_signatures(name: str) -> None:
    function = _tf_function(name)
    assert function is not None, f"tf.{name} does not exist"
    target = function.__init__ if inspect.isclass(function) else function
    parameters = [p for p in inspect.signature(target).parameters if p != "self"]
    assert parameters[OPS[name].dtype_position] == "dtype"


@pytest.mark.parametrize("name", sorted(n for n, op in OPS.items() if op.shape_arg is not None or op.axis_arg))
def test_shape_and_axis_arguments_match_the_signatures(name: str) -> None:
    function = _tf_function(name)
    assert function is not None, f"tf.{name} does not exist"
    parameters = list(inspect.signature(function).parameters)
    for position, keyword in filter(None, (OPS[name].shape_arg, OPS[name].axis_arg)):
        assert parameters[position] == keyword, (name, parameters)


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_row_names_a_tensorflow_function(name: str) -> None:
    assert _tf_function(name) is not None, f"tf.{name} does not exist in this TensorFlow"
