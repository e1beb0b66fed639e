"""What TensorFlow's functions return, one row per function: the table the analysis reads.

`OPS["reduce_sum"]` describes `tf.reduce_sum` (names are relative to `tensorflow.`, as
`rewriter.analyze.tensors` spells them: `math.add`, `random.normal`, `nn.relu`):

- `returns`: what a call gives (`Returns`): a tensor with the dtype and static shape of
  argument `arg` (SAME), with its dtype only (DTYPE_OF; REDUCTION is scalar without an
  axis), a fixed dtype (FIXED: `dtype`, or the one a `dtype_keyword` names), an int32
  shape vector (SHAPE_VECTOR), an elementwise result of its operands (ELEMENTWISE), a
  new tensor from a shape and a dtype (CREATION, with `dtype` the default), a Python
  value of type `pytype` (PYTHON), something that is not a tensor (NOT_A_TENSOR), or one
  of the functions with rules of their own (CAST, CONSTANT, LIKE, RANGE, FILL, CONCAT,
  WHERE, VARIABLE, TENSOR_ARRAY);
- `dtype_position`: where `dtype` sits among the positional arguments (TF 2.21);
- `shape_arg` / `axis_arg`: the (position, keyword) of a shape or an axis argument;
- `stateful`: calling it creates or changes state outside the graph's values (a
  variable, a seed, a summary), so it must not run once per loop iteration;
- `lookalike`: the NumPy function of the same meaning, for rules that translate one.

Functions without a row are not known to return tensors (`lookup`): names under
`NOT_TENSOR_PREFIXES` (Keras, tf.data, summaries, ...) and capitalised names (classes)
certainly not, and any other name may be a TensorFlow 1 function, one of a newer
release, or none at all (`tf.get_static_shape`), whose result nothing is known about.
A tensor-valued function the table lacks needs a row (TENSOR if its dtype is not
tracked).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Returns(enum.Enum):
    SAME = "same"
    DTYPE_OF = "dtype of argument"
    REDUCTION = "reduction"
    FIXED = "fixed dtype"
    SHAPE_VECTOR = "int32 shape vector"
    ELEMENTWISE = "elementwise"
    CREATION = "creation"
    CAST = "cast"
    CONSTANT = "constant"
    LIKE = "like"
    RANGE = "range"
    FILL = "fill"
    CONCAT = "concat"
    WHERE = "where"
    VARIABLE = "variable"
    TENSOR_ARRAY = "tensor array"
    TENSOR = "tensor"
    PYTHON = "python"
    NOT_A_TENSOR = "not a tensor"


SAME = Returns.SAME
DTYPE_OF = Returns.DTYPE_OF
REDUCTION = Returns.REDUCTION
FIXED = Returns.FIXED
ELEMENTWISE = Returns.ELEMENTWISE
CREATION = Returns.CREATION
NOT_A_TENSOR = Returns.NOT_A_TENSOR


@dataclass(frozen=True)
class Op:
    returns: Returns
    dtype: str | None = None
    arg: int = 0
    dtype_position: int | None = None
    dtype_keyword: str | None = None
    shape_arg: tuple[int, str] | None = None
    axis_arg: tuple[int, str] | None = None
    stateful: bool = False
    lookalike: str | None = None
    pytype: str | None = None
    scalar: bool = False  # FIXED: the result is always a scalar


_SHAPE = (0, "shape")
_AXIS = (1, "axis")

OPS: dict[str, Op] = {
    # Elementwise on one tensor: its dtype and static shape.
    "abs": Op(SAME),
    "ceil": Op(SAME),
    "clip_by_norm": Op(SAME),
    "clip_by_value": Op(SAME),
    "cos": Op(SAME),
    "cumsum": Op(SAME),
    "exp": Op(SAME),
    "floor": Op(SAME),
    "identity": Op(SAME),
    "log": Op(SAME),
    "math.abs": Op(SAME),
    "math.ceil": Op(SAME),
    "math.cos": Op(SAME),
    "math.cumprod": Op(SAME),
    "math.cumsum": Op(SAME),
    "math.exp": Op(SAME),
    "math.expm1": Op(SAME),
    "math.floor": Op(SAME),
    "math.l2_normalize": Op(SAME),
    "math.log": Op(SAME),
    "math.log1p": Op(SAME),
    "math.negative": Op(SAME),
    "math.reciprocal": Op(SAME),
    "math.round": Op(SAME),
    "math.rsqrt": Op(SAME),
    "math.sigmoid": Op(SAME),
    "math.sign": Op(SAME),
    "math.sin": Op(SAME),
    "math.softplus": Op(SAME),
    "math.sqrt": Op(SAME),
    "math.square": Op(SAME),
    "math.tanh": Op(SAME),
    "negative": Op(SAME),
    "nn.dropout": Op(SAME),
    "nn.elu": Op(SAME),
    "nn.gelu": Op(SAME),
    "nn.l2_normalize": Op(SAME),
    "nn.leaky_relu": Op(SAME),
    "nn.log_softmax": Op(SAME),
    "nn.relu": Op(SAME),
    "nn.relu6": Op(SAME),
    "nn.selu": Op(SAME),
    "nn.sigmoid": Op(SAME),
    "nn.softmax": Op(SAME),
    "nn.softplus": Op(SAME),
    "nn.tanh": Op(SAME),
    "reciprocal": Op(SAME),
    "round": Op(SAME),
    "rsqrt": Op(SAME),
    "sigmoid": Op(SAME),
    "sign": Op(SAME),
    "sin": Op(SAME),
    "sqrt": Op(SAME),
    "square": Op(SAME),
    "stop_gradient": Op(SAME),
    "tanh": Op(SAME),
    # The dtype of the first argument; the shape changes (or is not computed).
    "boolean_mask": Op(DTYPE_OF),
    "broadcast_to": Op(DTYPE_OF, shape_arg=(1, "shape")),
    "einsum": Op(DTYPE_OF),
    "expand_dims": Op(DTYPE_OF, axis_arg=_AXIS),
    "gather": Op(DTYPE_OF),
    "gather_nd": Op(DTYPE_OF),
    "image.resize": Op(DTYPE_OF),
    "linalg.diag": Op(DTYPE_OF),
    "linalg.inv": Op(DTYPE_OF),
    "linalg.matmul": Op(DTYPE_OF),
    "linalg.matvec": Op(DTYPE_OF),
    "linalg.norm": Op(DTYPE_OF, axis_arg=(2, "axis")),
    "math.reduce_logsumexp": Op(REDUCTION, axis_arg=_AXIS),
    "math.reduce_max": Op(REDUCTION, axis_arg=_AXIS),
    "math.reduce_mean": Op(REDUCTION, axis_arg=_AXIS),
    "math.reduce_min": Op(REDUCTION, axis_arg=_AXIS),
    "math.reduce_prod": Op(REDUCTION, axis_arg=_AXIS),
    "math.reduce_std": Op(REDUCTION, axis_arg=_AXIS),
    "math.reduce_sum": Op(REDUCTION, axis_arg=_AXIS),
    "math.reduce_variance": Op(REDUCTION, axis_arg=_AXIS),
    "math.segment_sum": Op(DTYPE_OF),
    "math.unsorted_segment_sum": Op(DTYPE_OF),
    "matmul": Op(DTYPE_OF),
    "nn.avg_pool2d": Op(DTYPE_OF),
    "nn.bias_add": Op(DTYPE_OF),
    "nn.conv1d": Op(DTYPE_OF),
    "nn.conv2d": Op(DTYPE_OF),
    "nn.embedding_lookup": Op(DTYPE_OF),
    "nn.max_pool2d": Op(DTYPE_OF),
    "norm": Op(DTYPE_OF, axis_arg=(2, "axis")),
    "pad": Op(DTYPE_OF),
    "reduce_logsumexp": Op(REDUCTION, axis_arg=_AXIS),
    "reduce_max": Op(REDUCTION, axis_arg=_AXIS),
    "reduce_mean": Op(REDUCTION, axis_arg=_AXIS),
    "reduce_min": Op(REDUCTION, axis_arg=_AXIS),
    "reduce_prod": Op(REDUCTION, axis_arg=_AXIS),
    "reduce_sum": Op(REDUCTION, axis_arg=_AXIS),
    "repeat": Op(DTYPE_OF),
    "reshape": Op(DTYPE_OF, shape_arg=(1, "shape")),
    "reverse": Op(DTYPE_OF),
    "roll": Op(DTYPE_OF),
    "scatter_nd": Op(DTYPE_OF),
    "slice": Op(DTYPE_OF),
    "sort": Op(DTYPE_OF),
    "squeeze": Op(DTYPE_OF, axis_arg=_AXIS),
    "strided_slice": Op(DTYPE_OF),
    "tensor_scatter_nd_add": Op(DTYPE_OF),
    "tensor_scatter_nd_update": Op(DTYPE_OF),
    "tensordot": Op(DTYPE_OF),
    "tile": Op(DTYPE_OF),
    "transpose": Op(DTYPE_OF),
    # Elementwise with broadcasting: the operands' dtype, the broadcast shape.
    "add": Op(ELEMENTWISE),
    "divide": Op(ELEMENTWISE),
    "floordiv": Op(ELEMENTWISE),
    "floormod": Op(ELEMENTWISE),
    "math.add": Op(ELEMENTWISE),
    "math.divide": Op(ELEMENTWISE),
    "math.divide_no_nan": Op(ELEMENTWISE),
    "math.floordiv": Op(ELEMENTWISE),
    "math.floormod": Op(ELEMENTWISE),
    "math.maximum": Op(ELEMENTWISE),
    "math.minimum": Op(ELEMENTWISE),
    "math.multiply": Op(ELEMENTWISE),
    "math.multiply_no_nan": Op(ELEMENTWISE),
    "math.pow": Op(ELEMENTWISE),
    "math.squared_difference": Op(ELEMENTWISE),
    "math.subtract": Op(ELEMENTWISE),
    "math.truediv": Op(ELEMENTWISE),
    "maximum": Op(ELEMENTWISE),
    "minimum": Op(ELEMENTWISE),
    "mod": Op(ELEMENTWISE),
    "multiply": Op(ELEMENTWISE),
    "pow": Op(ELEMENTWISE),
    "realdiv": Op(ELEMENTWISE),
    "squared_difference": Op(ELEMENTWISE),
    "subtract": Op(ELEMENTWISE),
    "truediv": Op(ELEMENTWISE),
    # Comparisons and logic: bool.
    "equal": Op(FIXED, "bool"),
    "greater": Op(FIXED, "bool"),
    "greater_equal": Op(FIXED, "bool"),
    "is_nan": Op(FIXED, "bool"),
    "less": Op(FIXED, "bool"),
    "less_equal": Op(FIXED, "bool"),
    "logical_and": Op(FIXED, "bool"),
    "logical_not": Op(FIXED, "bool"),
    "logical_or": Op(FIXED, "bool"),
    "math.equal": Op(FIXED, "bool"),
    "math.greater": Op(FIXED, "bool"),
    "math.greater_equal": Op(FIXED, "bool"),
    "math.is_finite": Op(FIXED, "bool"),
    "math.is_inf": Op(FIXED, "bool"),
    "math.is_nan": Op(FIXED, "bool"),
    "math.less": Op(FIXED, "bool"),
    "math.less_equal": Op(FIXED, "bool"),
    "math.logical_and": Op(FIXED, "bool"),
    "math.logical_not": Op(FIXED, "bool"),
    "math.logical_or": Op(FIXED, "bool"),
    "math.logical_xor": Op(FIXED, "bool"),
    "math.not_equal": Op(FIXED, "bool"),
    "math.reduce_all": Op(FIXED, "bool"),
    "math.reduce_any": Op(FIXED, "bool"),
    "not_equal": Op(FIXED, "bool"),
    "reduce_all": Op(FIXED, "bool"),
    "reduce_any": Op(FIXED, "bool"),
    # Fixed dtypes.
    "argmax": Op(FIXED, "int64", dtype_keyword="output_type", axis_arg=_AXIS),
    "math.argmax": Op(FIXED, "int64", dtype_keyword="output_type", axis_arg=_AXIS),
    "argmin": Op(FIXED, "int64", dtype_keyword="output_type", axis_arg=_AXIS),
    "math.argmin": Op(FIXED, "int64", dtype_keyword="output_type", axis_arg=_AXIS),
    "size": Op(FIXED, "int32", dtype_keyword="out_type", scalar=True),
    "rank": Op(FIXED, "int32", dtype_keyword="out_type", scalar=True),
    "searchsorted": Op(FIXED, "int32", dtype_keyword="out_type"),
    "timestamp": Op(FIXED, "float64", scalar=True),
    "one_hot": Op(FIXED, "float32", dtype_keyword="dtype"),
    "shape": Op(Returns.SHAPE_VECTOR, "int32", dtype_keyword="out_type"),
    # Functions with rules of their own.
    "cast": Op(Returns.CAST, dtype_position=1),
    "dtypes.cast": Op(Returns.CAST, dtype_position=1),
    "saturate_cast": Op(Returns.CAST, dtype_position=1),
    "constant": Op(Returns.CONSTANT, dtype_position=1, shape_arg=(2, "shape")),
    "convert_to_tensor": Op(Returns.CONSTANT, dtype_position=1),
    "zeros_like": Op(Returns.LIKE, dtype_position=1),
    "ones_like": Op(Returns.LIKE, dtype_position=1),
    "range": Op(Returns.RANGE),
    "where": Op(Returns.WHERE, "int64"),
    "concat": Op(Returns.CONCAT, axis_arg=_AXIS),
    "stack": Op(Returns.CONCAT, axis_arg=_AXIS),
    "fill": Op(Returns.FILL, shape_arg=(0, "dims")),
    "Variable": Op(Returns.VARIABLE, dtype_position=6, stateful=True),
    "TensorArray": Op(Returns.TENSOR_ARRAY, dtype_position=0),
    # New tensors from a shape (float32 unless a dtype is given).
    "zeros": Op(CREATION, "float32", dtype_position=1, shape_arg=_SHAPE, lookalike="numpy.zeros"),
    "ones": Op(CREATION, "float32", dtype_position=1, shape_arg=_SHAPE, lookalike="numpy.ones"),
    "eye": Op(CREATION, "float32", dtype_position=3),
    "random.normal": Op(CREATION, "float32", dtype_position=3, shape_arg=_SHAPE, lookalike="numpy.random.normal"),
    "random.uniform": Op(CREATION, "float32", dtype_position=3, shape_arg=_SHAPE, lookalike="numpy.random.uniform"),
    "random.truncated_normal": Op(CREATION, "float32", dtype_position=3, shape_arg=_SHAPE),
    "random.stateless_normal": Op(CREATION, "float32", dtype_position=4, shape_arg=_SHAPE),
    "random.stateless_uniform": Op(CREATION, "float32", dtype_position=4, shape_arg=_SHAPE),
    "random.gamma": Op(CREATION, "float32", dtype_position=3, shape_arg=_SHAPE, lookalike="numpy.random.gamma"),
    "random.poisson": Op(CREATION, "float32", dtype_position=2, shape_arg=_SHAPE, lookalike="numpy.random.poisson"),
    # Tensors whose dtype is not tracked.
    "add_n": Op(Returns.TENSOR),
    "argsort": Op(Returns.TENSOR),
    "ensure_shape": Op(Returns.TENSOR),
    "histogram_fixed_width": Op(Returns.TENSOR),
    "image.convert_image_dtype": Op(Returns.TENSOR),
    "image.decode_jpeg": Op(Returns.TENSOR),
    "image.extract_jpeg_shape": Op(Returns.TENSOR),
    "image.flip_left_right": Op(Returns.TENSOR),
    "image.grayscale_to_rgb": Op(Returns.TENSOR),
    "image.pad_to_bounding_box": Op(Returns.TENSOR),
    "image.random_flip_left_right": Op(Returns.TENSOR),
    "image.rgb_to_grayscale": Op(Returns.TENSOR),
    "io.decode_image": Op(Returns.TENSOR),
    "io.read_file": Op(Returns.TENSOR),
    "linalg.matrix_transpose": Op(Returns.TENSOR),
    "linalg.solve": Op(Returns.TENSOR),
    "linalg.tensor_diag": Op(Returns.TENSOR),
    "linspace": Op(Returns.TENSOR),
    "math.bessel_i0": Op(Returns.TENSOR),
    "math.mod": Op(Returns.TENSOR),
    "nn.l2_loss": Op(Returns.TENSOR),
    "nn.softmax_cross_entropy_with_logits": Op(Returns.TENSOR),
    "nn.sparse_softmax_cross_entropy_with_logits": Op(Returns.TENSOR),
    "sequence_mask": Op(Returns.TENSOR),
    "strings.to_number": Op(Returns.TENSOR),
    # Python values.
    "is_tensor": Op(Returns.PYTHON, pytype="bool"),
    "executing_eagerly": Op(Returns.PYTHON, pytype="bool"),
    # State: creating it once per iteration (or per trace) is not the same.
    "function": Op(NOT_A_TENSOR, stateful=True),
    "Module": Op(NOT_A_TENSOR, stateful=True),
    "random.set_seed": Op(NOT_A_TENSOR, stateful=True),
    "random.Generator": Op(NOT_A_TENSOR, stateful=True),
    # Not one tensor: specs, context managers, control flow, several results, ...
    "Assert": Op(NOT_A_TENSOR),
    "GradientTape": Op(NOT_A_TENSOR),
    "RaggedTensor": Op(NOT_A_TENSOR),
    "RaggedTensorSpec": Op(NOT_A_TENSOR),
    "SparseTensorSpec": Op(NOT_A_TENSOR),
    "TensorShape": Op(NOT_A_TENSOR),
    "TensorSpec": Op(NOT_A_TENSOR),
    "as_dtype": Op(NOT_A_TENSOR),
    "case": Op(NOT_A_TENSOR),
    "cond": Op(NOT_A_TENSOR),
    "control_dependencies": Op(NOT_A_TENSOR),
    "custom_gradient": Op(NOT_A_TENSOR),
    "device": Op(NOT_A_TENSOR),
    "dynamic_partition": Op(NOT_A_TENSOR),
    "foldl": Op(NOT_A_TENSOR),
    "foldr": Op(NOT_A_TENSOR),
    "get_static_value": Op(NOT_A_TENSOR),
    "gradients": Op(NOT_A_TENSOR),
    "group": Op(NOT_A_TENSOR),
    "histogram_fixed_width_bins": Op(NOT_A_TENSOR),
    "identity_n": Op(NOT_A_TENSOR),
    "init_scope": Op(NOT_A_TENSOR),
    "linalg.eig": Op(NOT_A_TENSOR),
    "linalg.eigh": Op(NOT_A_TENSOR),
    "linalg.lu": Op(NOT_A_TENSOR),
    "linalg.qr": Op(NOT_A_TENSOR),
    "linalg.svd": Op(NOT_A_TENSOR),
    "map_fn": Op(NOT_A_TENSOR),
    "math.top_k": Op(NOT_A_TENSOR),
    "meshgrid": Op(NOT_A_TENSOR),
    "name_scope": Op(NOT_A_TENSOR),
    "nn.ctc_beam_search_decoder": Op(NOT_A_TENSOR),
    "nn.ctc_greedy_decoder": Op(NOT_A_TENSOR),
    "nn.fractional_avg_pool": Op(NOT_A_TENSOR),
    "nn.fractional_max_pool": Op(NOT_A_TENSOR),
    "nn.moments": Op(NOT_A_TENSOR),
    "nn.top_k": Op(NOT_A_TENSOR),
    "nn.weighted_moments": Op(NOT_A_TENSOR),
    "no_op": Op(NOT_A_TENSOR),
    "numpy_function": Op(NOT_A_TENSOR),
    "print": Op(NOT_A_TENSOR),
    "py_function": Op(NOT_A_TENSOR),
    "random.get_global_generator": Op(NOT_A_TENSOR),
    "scan": Op(NOT_A_TENSOR),
    "sets.intersection": Op(NOT_A_TENSOR),
    "shape_n": Op(NOT_A_TENSOR),
    "split": Op(NOT_A_TENSOR),
    "strings.split": Op(NOT_A_TENSOR),
    "switch_case": Op(NOT_A_TENSOR),
    "tuple": Op(NOT_A_TENSOR),
    "unique": Op(NOT_A_TENSOR),
    "unique_with_counts": Op(NOT_A_TENSOR),
    "unstack": Op(NOT_A_TENSOR),
    "vectorized_map": Op(NOT_A_TENSOR),
    "while_loop": Op(NOT_A_TENSOR),
}

# Namespaces of functions that build objects, configure or do I/O rather than return
# tensors (a row of OPS wins over these).
NOT_TENSOR_PREFIXES = (
    "autograph.",
    "compat.",
    "config.",
    "data.",
    "debugging.",
    "distribute.",
    "dtypes.",
    "errors.",
    "estimator.",
    "experimental.",
    "feature_column.",
    "initializers.",
    "io.gfile.",
    "keras.",
    "linalg.LinearOperator",
    "lite.",
    "lookup.",
    "losses.",
    "metrics.",
    "nest.",
    "optimizers.",
    "profiler.",
    "queue.",
    "ragged.",
    "raw_ops.",
    "saved_model.",
    "sparse.",
    "summary.",
    "sysconfig.",
    "test.",
    "tpu.",
    "train.",
    "types.",
    "xla.",
)
# Namespaces whose every function creates or changes state (besides the rows marked
# `stateful`); "function", "Variable" and "Module" also cover their relatives
# (`VariableSynchronization`, ...).
STATEFUL_PREFIXES = ("keras.", "data.", "config.", "summary.", "saved_model.", "function", "Variable", "Module")

_NOT_TENSOR = Op(NOT_A_TENSOR)


def lookup(name: str) -> Op:
    """The row of `tf.<name>`; a function without one is not known to return a tensor."""
    return OPS.get(name, _NOT_TENSOR)


def is_stateful(name: str) -> bool:
    """`tf.<name>` creates or changes state: it must not run once per loop iteration."""
    op = OPS.get(name)
    return (op is not None and op.stateful) or name.startswith(STATEFUL_PREFIXES)


def names(*returns: Returns) -> frozenset[str]:
    """Every function whose row returns one of `returns`."""
    return frozenset(name for name, op in OPS.items() if op.returns in returns)


# Builtins without side effects on the values they are given (calling them again, or
# once instead of many times, changes nothing but their result). Not `list`/`tuple`:
# given an iterator, they consume it.
PURE_BUILTINS = frozenset(
    {
        "abs",
        "bool",
        "divmod",
        "enumerate",
        "float",
        "int",
        "isinstance",
        "len",
        "max",
        "min",
        "pow",
        "range",
        "round",
        "str",
        "sum",
        "zip",
    }
)
