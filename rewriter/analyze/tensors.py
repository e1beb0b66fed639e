"""Tensor-ness of names and expressions inside one graph scope.

Rules ask `module.tensors(scope)` (built once per scope and cached) what a value is:

    facts = module.tensors(scope)
    facts.of(expr)          # Fact of an expression of the scope's body
    facts.name("x")         # Fact of a local name, joined over all its bindings
    facts.bindings("x")     # every binding of a local name, each with its own Fact

A `Fact` says whether a value is a TENSOR, a PYTHON value (with its type when known:
"int", "float", "bool", "str", "list", "tuple", "dict", "TensorShape", "numpy", ...), or
UNKNOWN, plus a static dtype ("float32", "int32", ...) and a small static shape when they
are known.

The analysis is flow-insensitive: a name's Fact is the join of everything any of its
bindings may hold, so `s = 0` followed by `s += tf.constant(1)` makes `s` UNKNOWN.
It knows AutoGraph's conversions: a name assigned under an `if`/`while`/`for` that may
run as TensorFlow control flow may become a tensor after it, and `range(tensor)` loops
bind tensors. Whatever it cannot prove is UNKNOWN, so `is_tensor()` and `is_python()` are
both safe to rely on; neither is the negation of the other.
"""

from __future__ import annotations

import ast
import enum
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rewriter.analyze.imports import ImportTable
from rewriter.analyze.scopes import GraphScope

if TYPE_CHECKING:
    from rewriter.analyze import ModuleAnalysis


class Kind(enum.Enum):
    TENSOR = "tensor"
    PYTHON = "python"
    UNKNOWN = "unknown"


Shape = tuple  # static dims, each an int or None; or a SymbolicShape
Dims = tuple[int | None, ...]


@dataclass(frozen=True)
class SymbolicShape:
    """ "The same static shape as parameter `name` on entry" (its dims need not be known)."""

    name: str


SCALAR: Dims = ()


@dataclass(frozen=True)
class Fact:
    """What one value is.

    kind: TENSOR, PYTHON or UNKNOWN.
    pytype: PYTHON values: "int", "float", "bool", "str", "bytes", "none", "list", "tuple",
        "dict", "set", "range", "function", "module", "numpy" (a NumPy array or scalar),
        "TensorShape", "DType". Tensor-like objects: "tf.Variable" (kind TENSOR),
        "tf.TensorArray" (kind UNKNOWN: neither a tensor nor a plain Python value).
    dtype: the static dtype of a tensor ("float32", "int32", "bool", "string", ...), of a
        NumPy value, of a TensorArray's elements, or the dtype a "DType" value names.
    shape: a tuple of dims (int or None) when the rank is known, a SymbolicShape, or None.
    value: the Python value of a literal int/float/bool/str when known.
    maybe_none: a PYTHON value that may also be None (`x.shape[k]` of an unknown dim).
    """

    kind: Kind
    pytype: str | None = None
    dtype: str | None = None
    shape: Dims | SymbolicShape | None = None
    value: object = None
    maybe_none: bool = False

    @property
    def is_tensor(self) -> bool:
        return self.kind is Kind.TENSOR

    def is_python(self, *types: str) -> bool:
        """A Python value (of one of `types`, when given) that is surely not None."""
        if self.kind is not Kind.PYTHON or self.maybe_none:
            return False
        return not types or self.pytype in types

    @property
    def is_unknown(self) -> bool:
        return self.kind is Kind.UNKNOWN

    def join(self, other: Fact) -> Fact:
        """The least Fact that covers both values (what a name holding either one is)."""
        if self is _BOTTOM:
            return other
        if other is _BOTTOM or self == other:
            return self
        if self.kind is not other.kind:
            return UNKNOWN
        pytype = self.pytype if self.pytype == other.pytype else None
        if self.kind is Kind.PYTHON and pytype is None:
            numbers = {self.pytype, other.pytype}
            pytype = "float" if numbers <= {"int", "float"} else None
        return Fact(
            self.kind,
            pytype,
            self.dtype if self.dtype == other.dtype else None,
            self.shape if self.shape == other.shape else None,
            self.value if self.value == other.value and type(self.value) is type(other.value) else None,
            self.maybe_none or other.maybe_none,
        )


UNKNOWN = Fact(Kind.UNKNOWN)
_BOTTOM = Fact(Kind.UNKNOWN, pytype="<bottom>")  # "no binding evaluated yet" in the fixpoint


class _Pending(Exception):
    """An expression read a name that has no Fact yet (only while solving)."""


def tensor(dtype: str | None = None, shape: Dims | SymbolicShape | None = None, pytype: str | None = None) -> Fact:
    return Fact(Kind.TENSOR, pytype, dtype, shape)


def python(
    pytype: str | None = None,
    value: object = None,
    dtype: str | None = None,
    shape: Dims | SymbolicShape | None = None,
    maybe_none: bool = False,
) -> Fact:
    return Fact(Kind.PYTHON, pytype, dtype, shape, value, maybe_none)


@dataclass(frozen=True)
class Binding:
    """One place a local name gets a value.

    `target` is the Name node (or the parameter's ast.arg), `statement` the statement that
    binds it (None for parameters), `value` the expression assigned when there is a
    single one (the right-hand side; None for unpacking, loops, parameters, ...).
    `fact` is what the name holds right after this binding, and `tensor_region` is True
    when the binding sits under control flow that may run as TensorFlow control flow
    (its value may then turn into a tensor after that statement).
    """

    name: str
    target: ast.AST
    statement: ast.stmt | None
    value: ast.expr | None
    fact: Fact
    tensor_region: bool = False


# --------------------------------------------------------------------------------------
# Dtypes

_DTYPES = {
    "float16": "float16",
    "half": "float16",
    "bfloat16": "bfloat16",
    "float32": "float32",
    "float": "float32",
    "float64": "float64",
    "double": "float64",
    "int8": "int8",
    "int16": "int16",
    "int32": "int32",
    "int64": "int64",
    "uint8": "uint8",
    "uint16": "uint16",
    "uint32": "uint32",
    "uint64": "uint64",
    "bool": "bool",
    "string": "string",
    "complex64": "complex64",
    "complex128": "complex128",
}
# What a Python literal becomes when TensorFlow converts it without a dtype.
_DEFAULT_DTYPE = {"int": "int32", "float": "float32", "bool": "bool", "str": "string", "bytes": "string"}
_FLOATS = {"float16", "bfloat16", "float32", "float64"}


def is_float_dtype(dtype: str | None) -> bool:
    return dtype in _FLOATS


def _tf_name(qualified: str | None) -> str | None:
    """`tensorflow.compat.v2.math.add` -> `math.add`; None for non-TensorFlow names."""
    if not qualified:
        return None
    if qualified.startswith("tensorflow.python."):
        return None  # internal modules (nest, util, ...) are not the op API
    for prefix in ("tensorflow.compat.v2.", "tensorflow.compat.v1.", "tensorflow."):
        if qualified.startswith(prefix):
            return qualified[len(prefix) :]
    return None


# Namespaces whose functions build objects, configure or do I/O rather than return
# tensors: a call into them is not known to give a tensor.
_NOT_OPS = (
    "keras.",
    "data.",
    "train.",
    "summary.",
    "io.gfile.",
    "estimator.",
    "distribute.",
    "saved_model.",
    "config.",
    "autograph.",
    "lite.",
    "feature_column.",
    "nest.",
    "types.",
    "test.",
    "errors.",
    "tpu.",
    "experimental.",
    "debugging.",
    "dtypes.",
    "sysconfig.",
    "compat.",
    "queue.",
    "lookup.",
    "profiler.",
    "raw_ops.",
)


def dtype_named(node: ast.expr | None, imports: ImportTable) -> str | None:
    """The dtype an expression such as `tf.float32`, `tf.dtypes.int64` or "float32" names."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _DTYPES.get(node.value)
    name = _tf_name(imports.resolve(node))
    if name is not None:
        return _DTYPES.get(name.removeprefix("dtypes."))
    qualified = imports.resolve(node)
    if qualified and qualified.startswith("numpy."):
        return _DTYPES.get(qualified[len("numpy.") :])
    if qualified and qualified in ("builtins.float", "builtins.int", "builtins.bool"):
        return {"builtins.float": "float64", "builtins.int": "int64", "builtins.bool": "bool"}[qualified]
    return None


# --------------------------------------------------------------------------------------
# TensorFlow functions by what they return

# Calls whose result has the dtype (and shape) of their first tensor argument.
_SAME_AS_FIRST = frozenset(
    {
        "identity",
        "abs",
        "math.abs",
        "negative",
        "math.negative",
        "square",
        "math.square",
        "sqrt",
        "math.sqrt",
        "rsqrt",
        "math.rsqrt",
        "exp",
        "math.exp",
        "log",
        "math.log",
        "sin",
        "math.sin",
        "cos",
        "math.cos",
        "tanh",
        "math.tanh",
        "sigmoid",
        "math.sigmoid",
        "nn.relu",
        "nn.relu6",
        "nn.elu",
        "nn.selu",
        "nn.gelu",
        "nn.sigmoid",
        "nn.tanh",
        "nn.softplus",
        "nn.leaky_relu",
        "nn.softmax",
        "nn.log_softmax",
        "math.softplus",
        "round",
        "math.round",
        "floor",
        "math.floor",
        "ceil",
        "math.ceil",
        "sign",
        "math.sign",
        "stop_gradient",
        "clip_by_value",
        "clip_by_norm",
        "math.reciprocal",
        "reciprocal",
        "nn.dropout",
        "math.log1p",
        "math.expm1",
        "math.cumsum",
        "cumsum",
        "math.cumprod",
        "nn.l2_normalize",
        "math.l2_normalize",
    }
)
# Same dtype as the first argument, shape changes (or is unknown).
_DTYPE_OF_FIRST = frozenset(
    {
        "reshape",
        "transpose",
        "expand_dims",
        "squeeze",
        "tile",
        "gather",
        "gather_nd",
        "slice",
        "strided_slice",
        "reverse",
        "pad",
        "broadcast_to",
        "boolean_mask",
        "roll",
        "matmul",
        "linalg.matmul",
        "tensordot",
        "einsum",
        "sort",
        "linalg.matvec",
        "reduce_sum",
        "reduce_mean",
        "reduce_max",
        "reduce_min",
        "reduce_prod",
        "math.reduce_sum",
        "math.reduce_mean",
        "math.reduce_max",
        "math.reduce_min",
        "math.reduce_prod",
        "reduce_logsumexp",
        "math.reduce_logsumexp",
        "norm",
        "linalg.norm",
        "math.reduce_std",
        "math.reduce_variance",
        "nn.conv1d",
        "nn.conv2d",
        "nn.max_pool2d",
        "nn.avg_pool2d",
        "nn.bias_add",
        "tensor_scatter_nd_update",
        "tensor_scatter_nd_add",
        "scatter_nd",
        "repeat",
        "linalg.diag",
        "linalg.inv",
        "nn.embedding_lookup",
        "image.resize",
        "math.segment_sum",
        "math.unsorted_segment_sum",
    }
)
# Elementwise with broadcasting: dtype of the tensor operands, broadcast shape.
ELEMENTWISE = frozenset(
    {
        "add",
        "math.add",
        "subtract",
        "math.subtract",
        "multiply",
        "math.multiply",
        "divide",
        "math.divide",
        "truediv",
        "math.truediv",
        "maximum",
        "math.maximum",
        "minimum",
        "math.minimum",
        "pow",
        "math.pow",
        "floormod",
        "math.floormod",
        "mod",
        "floordiv",
        "math.floordiv",
        "math.squared_difference",
        "squared_difference",
        "math.divide_no_nan",
        "math.multiply_no_nan",
        "realdiv",
    }
)
COMPARISONS = frozenset(
    {
        "equal",
        "math.equal",
        "not_equal",
        "math.not_equal",
        "less",
        "math.less",
        "less_equal",
        "math.less_equal",
        "greater",
        "math.greater",
        "greater_equal",
        "math.greater_equal",
        "logical_and",
        "math.logical_and",
        "logical_or",
        "math.logical_or",
        "logical_not",
        "math.logical_not",
        "math.logical_xor",
        "is_nan",
        "math.is_nan",
        "math.is_inf",
        "math.is_finite",
        "reduce_any",
        "reduce_all",
        "math.reduce_any",
        "math.reduce_all",
    }
)
_INT32_RESULT = frozenset({"shape", "size", "rank", "searchsorted"})
_INT64_RESULT = frozenset({"argmax", "math.argmax", "argmin", "math.argmin", "where"})
# TensorFlow calls that return something other than one tensor.
_NOT_A_TENSOR = frozenset(
    {
        "TensorSpec",
        "TensorShape",
        "RaggedTensorSpec",
        "SparseTensorSpec",
        "function",
        "GradientTape",
        "name_scope",
        "device",
        "control_dependencies",
        "init_scope",
        "cond",
        "case",
        "switch_case",
        "while_loop",
        "map_fn",
        "scan",
        "foldl",
        "foldr",
        "vectorized_map",
        "py_function",
        "numpy_function",
        "unstack",
        "split",
        "meshgrid",
        "dynamic_partition",
        "gradients",
        "identity_n",
        "custom_gradient",
        "get_static_value",
        "Module",
        "group",
        "no_op",
        "print",
        "Assert",
        "debugging.assert_equal",
        "random.Generator",
        "random.get_global_generator",
        "sparse.SparseTensor",
        "RaggedTensor",
        "ragged.constant",
        "nest.map_structure",
        "nest.flatten",
        "autograph.experimental.set_loop_options",
        "tuple",
        "as_dtype",
        "unique",
        "unique_with_counts",
        "math.top_k",
        "nn.top_k",
        "nn.moments",
        "linalg.eigh",
        "linalg.svd",
        "linalg.eig",
        "linalg.qr",
        "linalg.lu",
        "shape_n",
        "nn.weighted_moments",
        "strings.split",
        "nn.fractional_max_pool",
        "nn.fractional_avg_pool",
        "nn.ctc_greedy_decoder",
        "nn.ctc_beam_search_decoder",
        "histogram_fixed_width_bins",
        "sets.intersection",
    }
)
_NOT_A_TENSOR_PREFIXES = (
    "keras.",
    "data.",
    "distribute.",
    "summary.",
    "train.",
    "saved_model.",
    "config.",
    "debugging.",
    "io.gfile.",
    "experimental.",
    "estimator.",
    "feature_column.",
    "lookup.",
    "nest.",
    "initializers.",
    "optimizers.",
    "losses.",
    "metrics.",
    "test.",
    "sysconfig.",
    "errors.",
    "autograph.",
    "raw_ops.",
    "sparse.",
    "ragged.",
    "linalg.LinearOperator",
    "queue.",
    "lite.",
    "tpu.",
    "xla.",
    "types.",
    "compat.",
)
_PYTHON_RESULT = {"is_tensor": "bool", "executing_eagerly": "bool", "rank_static": "int"}


# --------------------------------------------------------------------------------------


class TensorFacts:
    """Facts for one graph scope; build with `build_tensor_facts` (or `module.tensors`)."""

    def __init__(
        self,
        scope: GraphScope,
        imports: ImportTable,
        constants: dict[str, Fact] | None = None,
        attributes: dict[str, Fact] | None = None,
    ) -> None:
        self.scope = scope
        self.imports = imports
        self._constants = constants or {}
        self._attributes = attributes or {}
        self._self_name = _self_parameter(scope)
        self._self_rebound = self._self_name is not None and any(
            isinstance(n, ast.Name) and n.id == self._self_name and not isinstance(n.ctx, ast.Load)
            for n in scope.nodes()
        )
        self._solving = True
        self._names: dict[str, Fact] = {}
        self._bindings: dict[str, list[Binding]] = {}
        self._memo: dict[ast.expr, Fact] = {}  # keyed by node identity
        self._collector = _BindingCollector(self)
        self._solve()

    # -- queries ------------------------------------------------------------------------

    def of(self, node: ast.expr) -> Fact:
        """The Fact of an expression of this scope (UNKNOWN for anything unrecognised)."""
        found = self._memo.get(node)
        if found is None:
            found = self._eval(node)
            self._memo[node] = found
        return found

    def name(self, name: str) -> Fact:
        """What a name read in this scope may hold (locals joined over all bindings)."""
        if name in self.scope.local_names:
            fact = self._names.get(name, _BOTTOM)
            return UNKNOWN if fact is _BOTTOM else fact
        return self._global(name)

    def bindings(self, name: str) -> tuple[Binding, ...]:
        """Every binding of a local name in source order (parameters first)."""
        return tuple(self._bindings.get(name, ()))

    def dtype(self, node: ast.expr) -> str | None:
        fact = self.of(node)
        return fact.dtype if fact.kind is Kind.TENSOR else None

    def is_tensor(self, node: ast.expr) -> bool:
        return self.of(node).is_tensor

    def is_python(self, node: ast.expr, *types: str) -> bool:
        return self.of(node).is_python(*types)

    def dtype_named(self, node: ast.expr | None) -> str | None:
        return dtype_named(node, self.imports)

    def tf_name(self, func: ast.expr) -> str | None:
        """`math.add` for `tf.math.add` (any alias); None when not TensorFlow or shadowed."""
        root = func
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name) and root.id in self.scope.local_names:
            return None
        return _tf_name(self.imports.resolve(func))

    def resolve(self, func: ast.expr) -> str | None:
        """The qualified name of a module-level name (None when a local shadows it)."""
        root = func
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name) and root.id in self.scope.local_names:
            return None
        return self.imports.resolve(func)

    # -- fixpoint over bindings ---------------------------------------------------------

    def _solve(self) -> None:
        """Evaluate every binding until no name's Fact changes.

        Names start with no Fact; a binding that reads such a name contributes nothing
        yet. Facts only grow (join), so this settles; a cap guards against surprises.
        A last round reads names still without a Fact (only cyclic, never-grounded ones)
        as UNKNOWN, so every binding is listed with a Fact.
        """
        self._names = {}
        for _ in range(12):
            if not self._collect_round():
                break
        else:  # did not settle: give up on everything
            self._names = {n: UNKNOWN for n in self._names}
        self._solving = False
        self._collect_round()
        self._memo = {}

    def _collect_round(self) -> bool:
        """One evaluation of every binding; True when some name's Fact grew."""
        self._memo = {}
        self._bindings = {}
        self._collector.collect()
        changed = False
        for name, bindings in self._bindings.items():
            fact = self._names.get(name, _BOTTOM)
            for binding in bindings:
                fact = fact.join(binding.fact)
            if not self._solving and fact is _BOTTOM:
                fact = UNKNOWN
            if fact != self._names.get(name, _BOTTOM):
                self._names[name] = fact
                changed = True
        return changed

    def _add_binding(self, binding: Binding) -> None:
        self._bindings.setdefault(binding.name, []).append(binding)

    # -- expressions --------------------------------------------------------------------

    def _global(self, name: str) -> Fact:
        if name in self.scope.enclosing_names:
            return UNKNOWN  # a closure variable of an enclosing function
        if name in self._constants:
            return self._constants[name]
        dtype = dtype_named(ast.Name(id=name, ctx=ast.Load()), self.imports)
        if dtype is not None and name in self.imports.qualified:
            return python("DType", dtype=dtype)
        return UNKNOWN  # modules, functions and classes: rules resolve those by name

    def _eval(self, node: ast.expr) -> Fact:
        method = getattr(self, f"_eval_{type(node).__name__}", None)
        return method(node) if method is not None else UNKNOWN

    def _eval_Constant(self, node: ast.Constant) -> Fact:
        value = node.value
        if isinstance(value, bool):
            return python("bool", value)
        if isinstance(value, int):
            return python("int", value)
        if isinstance(value, float):
            return python("float", value)
        if isinstance(value, str):
            return python("str", value)
        if isinstance(value, bytes):
            return python("bytes")
        if value is None:
            return python("none")
        return python()

    def _eval_JoinedStr(self, node: ast.JoinedStr) -> Fact:
        return python("str")

    def _eval_List(self, node: ast.List) -> Fact:
        return python("list")

    def _eval_Tuple(self, node: ast.Tuple) -> Fact:
        return python("tuple")

    def _eval_Dict(self, node: ast.Dict) -> Fact:
        return python("dict")

    def _eval_Set(self, node: ast.Set) -> Fact:
        return python("set")

    def _eval_ListComp(self, node: ast.ListComp) -> Fact:
        return python("list")

    def _eval_DictComp(self, node: ast.DictComp) -> Fact:
        return python("dict")

    def _eval_SetComp(self, node: ast.SetComp) -> Fact:
        return python("set")

    def _eval_Lambda(self, node: ast.Lambda) -> Fact:
        return python("function")

    def _eval_NamedExpr(self, node: ast.NamedExpr) -> Fact:
        return self.of(node.value)

    def _eval_IfExp(self, node: ast.IfExp) -> Fact:
        test = self.of(node.test)
        joined = self.of(node.body).join(self.of(node.orelse))
        if test.is_tensor:
            return _as_tensor(joined)  # AutoGraph turns it into tf.cond
        if test.is_unknown:
            return joined.join(_as_tensor(joined))
        return joined

    def _eval_Name(self, node: ast.Name) -> Fact:
        if node.id in self.scope.local_names:
            fact = self._names.get(node.id, _BOTTOM)
            if fact is _BOTTOM:
                if self._solving:
                    raise _Pending(node.id)
                return UNKNOWN
            return fact
        return self._global(node.id)

    def _eval_Attribute(self, node: ast.Attribute) -> Fact:
        qualified = self.resolve(node)
        if qualified is not None:
            dtype = dtype_named(node, self.imports)
            if dtype is not None:
                return python("DType", dtype=dtype)
            if qualified in ("numpy.pi", "numpy.e", "math.pi", "math.e", "math.inf", "numpy.inf"):
                return python("float")
            return UNKNOWN
        if isinstance(node.value, ast.Name) and node.value.id == self._self_name:
            return UNKNOWN if self._self_rebound else self._attributes.get(node.attr, UNKNOWN)
        base = self.of(node.value)
        if base.is_tensor:
            if node.attr == "shape":
                shape = base.shape if isinstance(base.shape, tuple) else None
                return python("TensorShape", shape=shape if shape is not None else base.shape)
            if node.attr == "dtype":
                return python("DType", dtype=base.dtype)
            if node.attr == "ndim":
                rank = len(base.shape) if isinstance(base.shape, tuple) else None
                return python("int", rank)
            if node.attr == "T":
                return tensor(base.dtype)
            return UNKNOWN  # a method, or an attribute of a composite tensor
        if base.is_python("TensorShape") and node.attr == "rank":
            return python("int", maybe_none=True)
        return UNKNOWN

    def _eval_Subscript(self, node: ast.Subscript) -> Fact:
        base = self.of(node.value)
        index = node.slice
        if base.is_tensor:
            return tensor(base.dtype, self._indexed_shape(base.shape, index))
        if base.is_python("TensorShape"):
            if isinstance(index, ast.Slice):
                return python("TensorShape")
            position = self.of(index)
            dims = base.shape if isinstance(base.shape, tuple) else None
            if dims is not None and isinstance(position.value, int) and position.is_python("int"):
                try:
                    dim = dims[position.value]
                except IndexError:
                    return UNKNOWN
                if dim is not None:
                    return python("int", dim)
            return python("int", maybe_none=True)
        if base.is_python("str") and not isinstance(index, ast.Slice):
            return python("str")
        return UNKNOWN

    def _indexed_shape(self, shape: Dims | SymbolicShape | None, index: ast.expr) -> Dims | None:
        """Static shape of `t[index]` for a tensor of static `shape` (None when unsure)."""
        if not isinstance(shape, tuple):
            return None
        parts = index.elts if isinstance(index, ast.Tuple) else [index]
        if len(parts) > len(shape):
            return None
        dims: list[int | None] = []
        for part, dim in zip(parts, shape):
            if isinstance(part, ast.Slice):
                whole = part.lower is None and part.upper is None and part.step is None
                if not whole and dim is not None:
                    return None  # a static dim sliced to a length we do not compute
                dims.append(dim)
                continue
            fact = self.of(part)
            if not (
                fact.is_python("int") or (fact.is_tensor and fact.shape == SCALAR and fact.dtype in ("int32", "int64"))
            ):
                return None  # a mask, a list of indices, None or Ellipsis
        return (*dims, *shape[len(parts) :])

    def _eval_UnaryOp(self, node: ast.UnaryOp) -> Fact:
        operand = self.of(node.operand)
        if isinstance(node.op, ast.Not):
            if operand.is_tensor:
                return tensor("bool", operand.shape)
            if operand.kind is Kind.PYTHON:
                return python("bool")
            return UNKNOWN
        if operand.is_tensor:
            return tensor(operand.dtype, operand.shape, None)
        if operand.is_python("int", "float", "bool"):
            value = operand.value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = -value if isinstance(node.op, ast.USub) else (value if isinstance(node.op, ast.UAdd) else None)
            else:
                value = None
            pytype = "int" if operand.pytype == "bool" else operand.pytype
            return python(pytype, value)
        return UNKNOWN

    def _eval_BinOp(self, node: ast.BinOp) -> Fact:
        return binary_fact(self.of(node.left), self.of(node.right), node.op)

    def _eval_Compare(self, node: ast.Compare) -> Fact:
        if any(isinstance(op, (ast.Is, ast.IsNot, ast.In, ast.NotIn)) for op in node.ops):
            return python("bool") if all(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops) else UNKNOWN
        operands = [self.of(node.left), *(self.of(c) for c in node.comparators)]
        if any(o.is_tensor for o in operands):
            # A tensor compared with anything gives a bool tensor (or raises).
            shape: Dims | SymbolicShape | None = SCALAR
            for operand in operands:
                shape = broadcast(shape, operand.shape if operand.is_tensor else SCALAR)
            return tensor("bool", shape)
        if all(o.is_python() for o in operands):
            if any(o.pytype in ("numpy", None) for o in operands):
                return UNKNOWN  # NumPy comparisons give arrays
            return python("bool")
        return UNKNOWN

    def _eval_BoolOp(self, node: ast.BoolOp) -> Fact:
        operands = [self.of(v) for v in node.values]
        if all(o.is_python("bool") for o in operands):
            return python("bool")
        if all(o.is_tensor and o.dtype == "bool" for o in operands):
            return tensor("bool")
        return UNKNOWN

    def _eval_Call(self, node: ast.Call) -> Fact:
        tf = self.tf_name(node.func)
        if tf is not None:
            return self._tf_call(tf, node)
        qualified = self.resolve(node.func)
        if qualified is not None:
            if qualified.startswith("numpy."):
                return python("numpy")
            if qualified.startswith("builtins."):
                return self._builtin_call(qualified[len("builtins.") :], node)
            if qualified.startswith("math.") and qualified not in ("math.isnan", "math.isinf", "math.isfinite"):
                return python(
                    "int"
                    if qualified in ("math.floor", "math.ceil", "math.factorial", "math.gcd", "math.comb")
                    else "float"
                )
            return UNKNOWN
        if isinstance(node.func, ast.Attribute):
            return self._method_call(node)
        return UNKNOWN

    def _method_call(self, node: ast.Call) -> Fact:
        func = node.func
        assert isinstance(func, ast.Attribute)
        receiver = self.of(func.value)
        method = func.attr
        if receiver.is_python("str") and method in (
            "format",
            "join",
            "upper",
            "lower",
            "strip",
            "replace",
            "lstrip",
            "rstrip",
        ):
            return python("str")
        if receiver.is_tensor:
            if method in ("read_value", "value", "assign", "assign_add", "assign_sub"):
                return tensor(receiver.dtype, receiver.shape)
            if method == "numpy":
                return python("numpy", dtype=receiver.dtype)
            if method == "get_shape":
                return python("TensorShape", shape=receiver.shape)
            return UNKNOWN
        if receiver.pytype == "tf.TensorArray":
            if method in ("stack", "concat", "read", "gather", "size"):
                return tensor("int32" if method == "size" else receiver.dtype)
            if method in ("write", "scatter", "unstack", "split"):
                return receiver
            return UNKNOWN
        if receiver.is_python("TensorShape") and method == "as_list":
            return python("list")
        return UNKNOWN

    def _builtin_call(self, name: str, node: ast.Call) -> Fact:
        args = [self.of(a) for a in node.args]
        if name in ("isinstance", "hasattr", "callable", "issubclass"):
            return python("bool")
        if name in (
            "list",
            "tuple",
            "dict",
            "set",
            "sorted",
            "str",
            "repr",
            "range",
            "zip",
            "enumerate",
            "reversed",
            "map",
            "filter",
            "frozenset",
            "type",
        ):
            if (
                name in ("sorted", "str", "repr", "map", "filter", "enumerate", "zip", "list", "tuple")
                and any(a.is_tensor or a.is_unknown for a in args)
                and name != "str"
                and name != "repr"
            ):
                return UNKNOWN  # AutoGraph overloads some of these for tensors and datasets
            return python({"frozenset": "set", "repr": "str", "type": None}.get(name, name))
        if name == "len":
            if not args:
                return UNKNOWN
            arg = args[0]
            if arg.kind is Kind.PYTHON and arg.pytype in (
                "list",
                "tuple",
                "str",
                "dict",
                "set",
                "range",
                "TensorShape",
            ):
                return python("int")
            if arg.is_tensor and isinstance(arg.shape, tuple) and arg.shape and arg.shape[0] is not None:
                return python("int", arg.shape[0])
            return UNKNOWN  # a tensor with a dynamic first dim gives a tensor
        if name in ("int", "float", "bool"):
            if args and args[0].is_tensor:
                # AutoGraph casts tensors to int32/float32 (bool is not overloaded).
                return tensor({"int": "int32", "float": "float32"}[name]) if name != "bool" else UNKNOWN
            if args and not all(a.kind is Kind.PYTHON for a in args):
                return UNKNOWN
            return python(name)
        if name in ("abs", "min", "max", "sum", "round", "pow"):
            if args and all(a.is_python("int", "float", "bool") for a in args):
                types = {a.pytype for a in args}
                return python("float" if "float" in types and name != "round" else "int")
            if name == "abs" and args and args[0].is_tensor:
                return tensor(args[0].dtype, args[0].shape)
            return UNKNOWN
        return UNKNOWN

    def _tf_call(self, name: str, node: ast.Call) -> Fact:
        """The Fact of a call to `tf.<name>(...)`."""
        args = node.args
        keywords = {k.arg: k.value for k in node.keywords if k.arg}

        def arg(position: int, keyword: str) -> ast.expr | None:
            if keyword in keywords:
                return keywords[keyword]
            if len(args) > position and not any(isinstance(a, ast.Starred) for a in args[: position + 1]):
                return args[position]
            return None

        def first() -> Fact:
            value = arg(0, "x") or arg(0, "input") or arg(0, "tensor") or arg(0, "params")
            return self.of(value) if value is not None else UNKNOWN

        explicit = self.dtype_named(keywords.get("dtype"))
        if name in _PYTHON_RESULT:
            return python(_PYTHON_RESULT[name])
        if name in ("Variable",):
            initial = arg(0, "initial_value")
            init = self.of(initial) if initial is not None else UNKNOWN
            dtype = explicit or self.dtype_named(arg(2, "dtype")) or _tensor_dtype(init)
            return tensor(dtype, init.shape if init.is_tensor else _literal_shape(initial), "tf.Variable")
        if name == "TensorArray":
            return Fact(Kind.UNKNOWN, "tf.TensorArray", explicit or self.dtype_named(arg(0, "dtype")))
        if name in _NOT_A_TENSOR or name.startswith(_NOT_A_TENSOR_PREFIXES):
            return UNKNOWN
        if name == "cast" or name == "dtypes.cast" or name == "saturate_cast":
            value = first()
            return tensor(self.dtype_named(arg(1, "dtype")), static_shape(value))
        if name in ("constant", "convert_to_tensor"):
            value_node = arg(0, "value")
            value = self.of(value_node) if value_node is not None else UNKNOWN
            dtype = explicit or self.dtype_named(arg(1, "dtype")) or _tensor_dtype(value)
            if value_node is not None and isinstance(value_node, (ast.List, ast.Tuple)):
                dtype = dtype or _literal_list_dtype(value_node, self)
            shape = static_shape(value) if value.kind is not Kind.UNKNOWN else None
            if shape is None and not value.is_tensor:
                shape = _literal_shape(value_node)
            if name == "constant" and arg(2, "shape") is not None:
                shape = _shape_from_literal(arg(2, "shape"), self)
            return tensor(dtype, shape)
        if name in (
            "zeros",
            "ones",
            "fill",
            "eye",
            "random.normal",
            "random.uniform",
            "random.truncated_normal",
            "random.stateless_normal",
            "random.stateless_uniform",
            "random.gamma",
            "random.poisson",
        ):
            shape = _shape_from_literal(arg(0, "shape" if name != "fill" else "dims"), self)
            if name == "fill":
                fill_value = arg(1, "value")
                filler = self.of(fill_value) if fill_value is not None else UNKNOWN
                return tensor(_tensor_dtype(filler), shape)
            # Where each takes `dtype` positionally (TF 2.21 signatures).
            dtype_position = {
                "zeros": 1,
                "ones": 1,
                "eye": 3,
                "random.normal": 3,
                "random.uniform": 3,
                "random.truncated_normal": 3,
                "random.stateless_normal": 4,
                "random.stateless_uniform": 4,
                "random.gamma": 3,
                "random.poisson": 2,
            }.get(name)
            dtype = explicit or (self.dtype_named(arg(dtype_position, "dtype")) if dtype_position else None)
            return tensor(dtype or "float32", shape if name != "eye" else None)
        if name in ("zeros_like", "ones_like"):
            value = first()
            dtype = explicit or self.dtype_named(arg(1, "dtype")) or _tensor_dtype(value)
            return tensor(dtype, static_shape(value))
        if name == "range":
            dtype = explicit
            if dtype is None:
                bounds = [self.of(a) for a in args]
                if bounds and all(b.is_python("int") or (b.is_tensor and b.dtype == "int32") for b in bounds):
                    dtype = "int32"
                elif any(b.is_python("float") for b in bounds):
                    dtype = "float32"
            return tensor(dtype)
        if name == "one_hot":
            return tensor(explicit or "float32")
        if name in _INT32_RESULT:
            out = self.dtype_named(keywords.get("out_type")) or "int32"
            if name == "shape":
                value = first()
                rank = len(value.shape) if value.is_tensor and isinstance(value.shape, tuple) else None
                return tensor(out, (rank,))
            return tensor(out, SCALAR if name in ("size", "rank") else None)
        if name in _INT64_RESULT:
            x = arg(1, "x")
            if name == "where" and x is not None:
                return tensor(_tensor_dtype(self.of(x)))
            return tensor(self.dtype_named(keywords.get("output_type")) or "int64")
        if name in COMPARISONS:
            return tensor("bool")
        if name in ELEMENTWISE:
            left = self.of(args[0]) if args else UNKNOWN
            right = self.of(args[1]) if len(args) > 1 else UNKNOWN
            division = name.split(".")[-1] in ("divide", "truediv", "realdiv")
            fact = binary_fact(left, right, ast.Div() if division else ast.Add())
            if fact.is_tensor:
                return fact
            # A TensorFlow op gives a tensor whatever its operands are.
            dtype = _tensor_dtype(left) if left.is_python() else None
            return tensor(
                dtype if dtype == _tensor_dtype(right) else None, broadcast(static_shape(left), static_shape(right))
            )
        if name in _SAME_AS_FIRST:
            value = first()
            return tensor(_tensor_dtype(value), static_shape(value))
        if name in _DTYPE_OF_FIRST:
            value = first()
            no_axis = (
                name.split(".")[-1].startswith("reduce_") and arg(1, "axis") is None and "keepdims" not in keywords
            )
            return tensor(_tensor_dtype(value), SCALAR if no_axis else None)
        if name in ("concat", "stack"):
            values = arg(0, "values")
            if isinstance(values, (ast.List, ast.Tuple)) and values.elts:
                dtypes = {_tensor_dtype(self.of(e)) for e in values.elts}
                return tensor(dtypes.pop() if len(dtypes) == 1 else None)
            return tensor()
        if name in ("timestamp",):
            return tensor("float64", SCALAR)
        if name.startswith(_NOT_OPS) or name[:1].isupper():
            return UNKNOWN  # a layer, dataset, spec, context manager, ... (not an op)
        # Any other TensorFlow function returns a tensor of unknown dtype; the lists above
        # name the exceptions we know of.
        return tensor()


# --------------------------------------------------------------------------------------
# Helpers on facts


def _tensor_dtype(fact: Fact) -> str | None:
    """The dtype a value has once TensorFlow converts it (without a dtype argument)."""
    if fact.is_tensor:
        return fact.dtype
    if fact.kind is Kind.PYTHON:
        if fact.pytype == "numpy":
            return fact.dtype
        return _DEFAULT_DTYPE.get(fact.pytype or "")
    return None


def static_shape(fact: Fact) -> Dims | SymbolicShape | None:
    """The static shape a value has as a tensor: () for Python numbers."""
    if fact.is_tensor:
        return fact.shape
    if fact.is_python("int", "float", "bool"):
        return SCALAR
    if isinstance(fact.shape, SymbolicShape):
        return fact.shape  # a parameter: whatever it is, its shape is its own
    return None


def _as_tensor(fact: Fact) -> Fact:
    """What AutoGraph makes of a value that leaves TensorFlow control flow."""
    if fact.is_tensor:
        return fact
    if fact.kind is Kind.PYTHON and fact.pytype in ("int", "float", "bool", "str"):
        return tensor(_tensor_dtype(fact), SCALAR)
    return UNKNOWN


def broadcast(a: Dims | SymbolicShape | None, b: Dims | SymbolicShape | None) -> Dims | SymbolicShape | None:
    if a == SCALAR:
        return b
    if b == SCALAR or a == b:
        return a
    return None


def binary_fact(left: Fact, right: Fact, op: ast.operator) -> Fact:
    """The Fact of `left <op> right` (also used for `x op= y` and tf.add-like calls)."""
    if left.is_tensor or right.is_tensor:
        # A tensor operand makes the result a tensor (or an error): TensorFlow's operators
        # convert the other operand, and NumPy defers to tensors.
        # Operands must agree on dtype, so a known dtype on either side is the result's.
        other = right if left.is_tensor else left
        if isinstance(op, ast.MatMult):
            return tensor(left.dtype if left.is_tensor else right.dtype)
        if not (other.is_tensor or other.is_python()):
            dtype = left.dtype if left.is_tensor else right.dtype
        elif left.is_tensor and right.is_tensor:
            dtype = left.dtype if right.dtype in (None, left.dtype) else (right.dtype if left.dtype is None else None)
        else:
            tensor_side = left if left.is_tensor else right
            dtype = tensor_side.dtype
        if isinstance(op, ast.Div) and dtype is not None and "int" in dtype:
            # True division of integers: float32 for 8/16-bit, float64 for 32/64-bit.
            dtype = "float32" if dtype in ("int8", "int16", "uint8", "uint16") else "float64"
        return tensor(dtype, broadcast(static_shape(left), static_shape(right)))
    if left.is_python() and right.is_python():
        types = {left.pytype, right.pytype}
        if "numpy" in types:
            return python("numpy")
        if types <= {"int", "bool"}:
            return python("float" if isinstance(op, ast.Div) else "int", _fold(left, right, op))
        if types <= {"int", "float", "bool"}:
            return python("float", _fold(left, right, op))
        if isinstance(op, ast.Mod) and left.pytype == "str":
            return python("str")
        if isinstance(op, ast.Add) and left.pytype == right.pytype and left.pytype in ("str", "list", "tuple"):
            return python(left.pytype)
        if isinstance(op, ast.Mult) and types in ({"str", "int"}, {"list", "int"}, {"tuple", "int"}):
            return python((types - {"int"}).pop())
        return UNKNOWN
    return UNKNOWN


def _fold(left: Fact, right: Fact, op: ast.operator) -> object:
    a, b = left.value, right.value
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
        return None
    try:
        if isinstance(op, ast.Add):
            return a + b
        if isinstance(op, ast.Sub):
            return a - b
        if isinstance(op, ast.Mult):
            return a * b
        if isinstance(op, ast.FloorDiv):
            return a // b
        if isinstance(op, ast.Mod):
            return a % b
        if isinstance(op, ast.Pow) and abs(b) < 64:
            return a**b
    except (ZeroDivisionError, OverflowError):
        return None
    return None


def _literal_shape(node: ast.expr | None) -> Dims | None:
    """The shape of a literal value: () for numbers, (n,) for a flat list of numbers."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, bool)):
        return SCALAR
    if isinstance(node, (ast.List, ast.Tuple)):
        if all(isinstance(e, ast.Constant) for e in node.elts):
            return (len(node.elts),)
        inner = {_literal_shape(e) for e in node.elts}
        if len(inner) == 1:
            shape = inner.pop()
            if shape is not None:
                return (len(node.elts), *shape)
    return None


def _literal_list_dtype(node: ast.List | ast.Tuple, facts: TensorFacts) -> str | None:
    types = set()
    for element in ast.walk(node):
        if isinstance(element, ast.Constant):
            types.add(type(element.value).__name__)
    if types == {"int"}:
        return "int32"
    if types <= {"int", "float"} and types:
        return "float32"
    if types == {"bool"}:
        return "bool"
    return None


def _shape_from_literal(node: ast.expr | None, facts: TensorFacts) -> Dims | None:
    """Static dims of a shape argument such as `[3, 4]`; None when any dim is not a known
    int (a None dim here would claim "dynamic", which an unknown int is not)."""
    if node is None:
        return None
    if isinstance(node, (ast.List, ast.Tuple)):
        dims: list[int | None] = []
        for element in node.elts:
            value = facts.of(element) if not isinstance(element, ast.Starred) else UNKNOWN
            if not (value.is_python("int") and isinstance(value.value, int)):
                return None
            dims.append(value.value)
        return tuple(dims)
    value = facts.of(node)
    if value.is_python("int") and isinstance(value.value, int):
        return (value.value,)
    return None


def _self_parameter(scope: GraphScope) -> str | None:
    """The name of `self` in a method (None for functions and static methods)."""
    node = scope.node
    if scope.class_node is None or isinstance(node, ast.Lambda):
        return None
    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Name) and decorator.id in ("staticmethod", "classmethod"):
            return None
    params = node.args.posonlyargs + node.args.args
    return params[0].arg if params else None


# --------------------------------------------------------------------------------------
# Bindings


class _BindingCollector:
    """Walks a scope's statements and records every binding with its current Fact."""

    def __init__(self, facts: TensorFacts) -> None:
        self.facts = facts
        # Most scopes have no `:=`; then no statement needs searching for one.
        self.has_walrus = any(isinstance(node, ast.NamedExpr) for node in facts.scope.nodes())

    def collect(self) -> None:
        self._parameters()
        node = self.facts.scope.node
        if isinstance(node, ast.FunctionDef):  # a lambda binds nothing but its parameters
            self._block(node.body, False)

    def _parameters(self) -> None:
        facts = self.facts
        node = facts.scope.node
        args = node.args
        positional = args.posonlyargs + args.args
        specs = _signature_specs(facts.scope.input_signature, facts.imports)
        skip = 1 if facts._self_name is not None or _is_classmethod(node) else 0
        for index, parameter in enumerate(positional + args.kwonlyargs):
            # Whatever the argument is, its static shape is the same all through the body.
            fact = Fact(Kind.UNKNOWN, shape=SymbolicShape(parameter.arg))
            spec = None
            if specs is not None and skip <= index < len(positional) and index - skip < len(specs):
                spec = specs[index - skip]
            if spec is not None:
                dtype, dims = spec
                fact = tensor(dtype, dims if dims is not None else SymbolicShape(parameter.arg))
            facts._add_binding(Binding(parameter.arg, parameter, None, None, fact))
        for starred in (args.vararg, args.kwarg):
            if starred is not None:
                pytype = "tuple" if starred is args.vararg else "dict"
                facts._add_binding(Binding(starred.arg, starred, None, None, python(pytype)))

    def _block(self, body: list[ast.stmt], region: bool) -> None:
        for statement in body:
            self._statement(statement, region)

    def _fact(self, node: ast.expr) -> Fact:
        """facts.of(node), or "nothing yet" when it reads a name without a Fact."""
        try:
            return self.facts.of(node)
        except _Pending:
            return _BOTTOM

    def _may_be_tensor(self, node: ast.expr) -> bool:
        fact = self._fact(node)
        return fact is not _BOTTOM and fact.kind is not Kind.PYTHON

    def _statement(self, node: ast.stmt, region: bool) -> None:
        facts = self.facts
        if isinstance(node, ast.Assign):
            value = self._fact(node.value)
            for target in node.targets:
                self._bind_target(target, node, node.value, value, region)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            self._bind_target(node.target, node, node.value, self._fact(node.value), region)
        elif isinstance(node, ast.AugAssign):
            if isinstance(node.target, ast.Name):
                current, value = self._fact(node.target), self._fact(node.value)
                result = _BOTTOM if _BOTTOM in (current, value) else binary_fact(current, value, node.op)
                self._bind(node.target, node, None, result, region)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            tensor_loop = self._iterates_tensor(node.iter)
            try:
                element = self._element(node.iter)
            except _Pending:
                element = _BOTTOM
            self._bind_target(node.target, node, None, element, region or tensor_loop)
            self._block(node.body, region or tensor_loop)
            self._block(node.orelse, region or tensor_loop)
        elif isinstance(node, ast.While):
            tensor_loop = self._may_be_tensor(node.test) or _has_tensor_break(node, self)
            self._block(node.body, region or tensor_loop)
            self._block(node.orelse, region or tensor_loop)
        elif isinstance(node, ast.If):
            tensor_if = self._may_be_tensor(node.test)
            self._block(node.body, region or tensor_if)
            self._block(node.orelse, region or tensor_if)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    self._bind_target(item.optional_vars, node, None, UNKNOWN, region)
            self._block(node.body, region)
        elif isinstance(node, (ast.Try, ast.TryStar)):
            self._block(node.body, region)
            for handler in node.handlers:
                if handler.name:
                    facts._add_binding(Binding(handler.name, handler, node, None, UNKNOWN, region))
                self._block(handler.body, region)
            self._block(node.orelse, region)  # type: ignore[attr-defined]
            self._block(node.finalbody, region)  # type: ignore[attr-defined]
        elif isinstance(node, ast.Match):
            for case in node.cases:
                for child in ast.walk(case.pattern):
                    name = getattr(child, "name", None) or getattr(child, "rest", None)
                    if isinstance(name, str):
                        facts._add_binding(Binding(name, child, node, None, UNKNOWN, True))
                self._block(case.body, True)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            facts._add_binding(Binding(node.name, node, node, None, python("function"), region))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                name = (alias.asname or alias.name).split(".")[0]
                facts._add_binding(Binding(name, node, node, None, python("module"), region))
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                facts._add_binding(Binding(name, node, node, None, UNKNOWN, region))
        # Walrus targets bind in this scope too, wherever they sit.
        if self.has_walrus and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for child in _expressions_of(node):
                for walrus in _walruses(child):
                    self._bind(walrus.target, node, walrus.value, self._fact(walrus.value), region)

    def _bind_target(
        self, target: ast.expr, statement: ast.stmt, value_node: ast.expr | None, value: Fact, region: bool
    ) -> None:
        if isinstance(target, ast.Name):
            self._bind(target, statement, value_node, value, region)
        elif isinstance(target, (ast.Tuple, ast.List)):
            elements: list[ast.expr] | None = None
            if (
                isinstance(value_node, (ast.Tuple, ast.List))
                and len(value_node.elts) == len(target.elts)
                and not any(isinstance(e, ast.Starred) for e in value_node.elts + target.elts)
            ):
                elements = value_node.elts
            for position, element in enumerate(target.elts):
                if isinstance(element, ast.Starred):
                    self._bind_target(element.value, statement, None, python("list"), region)
                elif elements is not None:
                    self._bind_target(element, statement, elements[position], self._fact(elements[position]), region)
                elif value is _BOTTOM:
                    self._bind_target(element, statement, None, _BOTTOM, region)
                elif value.is_tensor:
                    # Unpacking a tensor iterates over its first dimension.
                    self._bind_target(element, statement, None, tensor(value.dtype), region)
                else:
                    self._bind_target(element, statement, None, UNKNOWN, region)
        elif isinstance(target, ast.Starred):
            self._bind_target(target.value, statement, None, python("list"), region)

    def _bind(
        self, target: ast.Name, statement: ast.stmt, value_node: ast.expr | None, value: Fact, region: bool
    ) -> None:
        if region and value is not _BOTTOM:
            # Under TensorFlow control flow the name may leave the block as a tensor.
            converted = _as_tensor(value)
            value = value if converted == value else value.join(converted)
        self.facts._add_binding(Binding(target.id, target, statement, value_node, value, region))

    def _iterates_tensor(self, iterable: ast.expr) -> bool:
        """True when `for ... in iterable` may become a TensorFlow loop."""
        facts = self.facts
        if isinstance(iterable, ast.Call) and facts.resolve(iterable.func) == "builtins.range":
            return any(self._may_be_tensor(a) for a in iterable.args)
        return self._may_be_tensor(iterable)

    def _element(self, iterable: ast.expr) -> Fact:
        """The Fact of one element of `iterable` (a loop target)."""
        facts = self.facts
        if isinstance(iterable, ast.Call) and facts.resolve(iterable.func) == "builtins.range":
            bounds = [facts.of(a) for a in iterable.args]
            if all(b.kind is Kind.PYTHON and b.pytype in ("int", "bool") for b in bounds):
                return python("int")  # (or a TypeError for a None bound)
            if any(b.is_tensor for b in bounds) and all(b.is_tensor or b.is_python("int") for b in bounds):
                dtypes = {b.dtype for b in bounds if b.is_tensor}
                return tensor(dtypes.pop() if len(dtypes) == 1 else None, SCALAR)
            return UNKNOWN
        fact = facts.of(iterable)
        if fact.is_tensor:
            if isinstance(iterable, ast.Call) and facts.tf_name(iterable.func) == "range":
                return tensor(fact.dtype, SCALAR)
            shape = fact.shape[1:] if isinstance(fact.shape, tuple) and fact.shape else None
            return tensor(fact.dtype, shape)
        if isinstance(iterable, (ast.List, ast.Tuple)) and iterable.elts:
            element = _BOTTOM
            for item in iterable.elts:
                element = element.join(facts.of(item))
            return UNKNOWN if element is _BOTTOM else element
        if fact.is_python("str"):
            return python("str")
        return UNKNOWN


def _is_classmethod(node: ast.FunctionDef | ast.Lambda) -> bool:
    return isinstance(node, ast.FunctionDef) and any(
        isinstance(d, ast.Name) and d.id == "classmethod" for d in node.decorator_list
    )


def _has_tensor_break(loop: ast.While, collector: _BindingCollector) -> bool:
    """A `break`/`return` under an `if` whose test may be a tensor, in `loop`'s own body."""
    for node in _own_loop_body(loop.body):
        if isinstance(node, ast.If) and collector._may_be_tensor(node.test):
            if any(isinstance(n, (ast.Break, ast.Return)) for n in _own_loop_body(node.body + node.orelse)):
                return True
    return False


def _own_loop_body(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements of a loop body, not entering nested loops or functions."""
    todo = list(body)
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for name in ("body", "orelse", "finalbody"):
            todo.extend(getattr(node, name, []) or [])
        for handler in getattr(node, "handlers", []) or []:
            todo.extend(handler.body)


def _expressions_of(node: ast.stmt) -> Iterator[ast.expr]:
    """The expressions that are direct parts of a statement (not of nested statements)."""
    for field_name, value in ast.iter_fields(node):
        if field_name in ("body", "orelse", "finalbody", "handlers", "cases"):
            continue
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, ast.expr):
                yield item
            elif isinstance(item, ast.withitem):
                yield item.context_expr


def _walruses(node: ast.expr) -> Iterator[ast.NamedExpr]:
    todo: list[ast.AST] = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, ast.NamedExpr) and isinstance(current.target, ast.Name):
            yield current
        if isinstance(current, ast.Lambda):
            continue
        todo.extend(ast.iter_child_nodes(current))


def _signature_specs(
    signature: ast.expr | None, imports: ImportTable
) -> list[tuple[str | None, Dims | None] | None] | None:
    """(dtype, dims) per positional parameter from an `input_signature` list literal."""
    if not isinstance(signature, (ast.List, ast.Tuple)):
        return None
    specs: list[tuple[str | None, Dims | None] | None] = []
    for element in signature.elts:
        if not (isinstance(element, ast.Call) and _tf_name(imports.resolve(element.func)) == "TensorSpec"):
            specs.append(None)
            continue
        keywords = {k.arg: k.value for k in element.keywords}
        shape = keywords.get("shape", element.args[0] if element.args else None)
        dtype_node = keywords.get("dtype", element.args[1] if len(element.args) > 1 else None)
        dtype = "float32" if dtype_node is None else dtype_named(dtype_node, imports)
        specs.append((dtype, _static_dims(shape)))
    return specs


def _static_dims(node: ast.expr | None) -> Dims | None:
    if isinstance(node, (ast.List, ast.Tuple)):
        dims: list[int | None] = []
        for element in node.elts:
            if isinstance(element, ast.Constant) and (element.value is None or type(element.value) is int):
                dims.append(element.value)
            else:
                dims.append(None)
        return tuple(dims)
    return None


# --------------------------------------------------------------------------------------
# Module-level facts


def module_constants(tree: ast.Module, text: str | None = None) -> dict[str, Fact]:
    """Module-level names bound exactly once, at top level, to a literal number/str/bool.

    Only a `global` statement lets a function rebind a module-level name, so without the
    word `global` in `text` only module-level statements need counting (not every
    function body: this runs on every file with graph code).
    """
    values: dict[str, Fact] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = _literal_fact(node.value)
            if value is not None:
                values[node.targets[0].id] = value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            value = _literal_fact(node.value)
            if value is not None:
                values[node.target.id] = value
    if not values:
        return {}
    counts: dict[str, int] = {}
    everywhere = text is None or _GLOBAL_STATEMENT.search(text) is not None
    for found in ast.walk(tree) if everywhere else _module_level_nodes(tree):
        if isinstance(found, ast.Name) and isinstance(found.ctx, (ast.Store, ast.Del)):
            counts[found.id] = counts.get(found.id, 0) + 1
        elif isinstance(found, (ast.Global, ast.Nonlocal)):
            for name in found.names:
                counts[name] = counts.get(name, 0) + 2
        elif isinstance(found, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            counts[found.name] = counts.get(found.name, 0) + 2
        elif isinstance(found, (ast.Import, ast.ImportFrom)):
            for alias in found.names:
                bound = (alias.asname or alias.name).split(".")[0]
                counts[bound] = counts.get(bound, 0) + 2
    return {name: fact for name, fact in values.items() if counts.get(name) == 1}


_GLOBAL_STATEMENT = re.compile(r"\bglobal\b")


def _module_level_nodes(tree: ast.Module) -> Iterator[ast.AST]:
    """Every node that runs at module level: not the bodies of functions and classes."""
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        todo.extend(ast.iter_child_nodes(node))


def _literal_fact(node: ast.expr) -> Fact | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
        inner = _literal_fact(node.operand)
        if inner is not None and inner.pytype in ("int", "float"):
            return python(inner.pytype, -inner.value)  # type: ignore[operator]
        return None
    if isinstance(node, ast.Constant):
        value = node.value
        for pytype in (bool, int, float, str):
            if type(value) is pytype:
                return python(pytype.__name__, value)
    return None


def instance_attributes(klass: ast.ClassDef, imports: ImportTable) -> dict[str, Fact]:
    """`self.<attr>` Facts that are obvious: bound once in the class, in `__init__`.

    A literal gives a PYTHON value, a list or tuple display (or comprehension) a PYTHON
    list/tuple, `tf.Variable(...)` a variable tensor. Anything else, or an attribute
    assigned anywhere else in the class (or deleted, or augmented), stays UNKNOWN.
    """
    assigned: dict[str, list[tuple[ast.FunctionDef, ast.expr | None]]] = {}
    for method in klass.body:
        if not isinstance(method, ast.FunctionDef):
            continue
        params = method.args.posonlyargs + method.args.args
        if not params:
            continue
        self_name = params[0].arg
        for node in ast.walk(method):
            targets: list[tuple[ast.expr, ast.expr | None]] = []
            if isinstance(node, ast.Assign):
                targets = [(t, node.value if len(node.targets) == 1 else None) for t in node.targets]
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [(node.target, None)]
            elif isinstance(node, ast.Delete):
                targets = [(t, None) for t in node.targets]
            elif isinstance(node, (ast.For, ast.With, ast.comprehension)):
                store = node.target if not isinstance(node, ast.With) else None
                targets = [(store, None)] if store is not None else []
            for target, value in targets:
                for inner in ast.walk(target):
                    if (
                        isinstance(inner, ast.Attribute)
                        and isinstance(inner.value, ast.Name)
                        and inner.value.id == self_name
                    ):
                        assigned.setdefault(inner.attr, []).append((method, value if inner is target else None))
            # setattr(self, ...) makes every attribute uncertain.
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
                return {}
    facts: dict[str, Fact] = {}
    for attribute, sites in assigned.items():
        if len(sites) != 1:
            continue
        method, value = sites[0]
        if method.name != "__init__" or value is None:
            continue
        fact = _obvious_fact(value, imports)
        if fact is not None:
            facts[attribute] = fact
    return facts


def _obvious_fact(node: ast.expr, imports: ImportTable) -> Fact | None:
    literal = _literal_fact(node)
    if literal is not None:
        return literal
    if isinstance(node, (ast.List, ast.ListComp)):
        return python("list")
    if isinstance(node, ast.Tuple):
        return python("tuple")
    if isinstance(node, (ast.Dict, ast.DictComp)):
        return python("dict")
    if isinstance(node, ast.Call) and _tf_name(imports.resolve(node.func)) == "Variable":
        keywords = {k.arg: k.value for k in node.keywords}
        dtype = dtype_named(keywords.get("dtype"), imports)
        initial = keywords.get("initial_value", node.args[0] if node.args else None)
        if dtype is None and initial is not None:
            literal = _literal_fact(initial)
            if literal is not None:
                dtype = _DEFAULT_DTYPE.get(literal.pytype or "")
            elif isinstance(initial, ast.Call):
                inner = _tf_name(imports.resolve(initial.func))
                inner_keywords = {k.arg: k.value for k in initial.keywords}
                if inner in ("zeros", "ones", "random.normal", "random.uniform", "random.truncated_normal"):
                    dtype = dtype_named(inner_keywords.get("dtype"), imports) or (
                        "float32" if "dtype" not in inner_keywords else None
                    )
        return tensor(dtype, None, "tf.Variable")
    return None


def build_tensor_facts(module: ModuleAnalysis, scope: GraphScope) -> TensorFacts:
    """The Facts of one scope (use `module.tensors(scope)`, which caches them)."""
    attributes: dict[str, Fact] = {}
    if scope.class_node is not None:
        # One walk per class, not per method: a class with many graph methods would
        # otherwise cost the square of its size.
        cache: dict[ast.ClassDef, dict[str, Fact]] = module.__dict__.setdefault("_instance_attributes", {})
        if scope.class_node not in cache:
            cache[scope.class_node] = instance_attributes(scope.class_node, module.imports)
        attributes = cache[scope.class_node]
    return TensorFacts(scope, module.imports, module.constants, attributes)


def iter_loads(node: ast.AST, name: str) -> Iterable[ast.Name]:
    """Every read of `name` under `node` (not inside nested functions or lambdas)."""
    todo = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, ast.Name) and current.id == name and isinstance(current.ctx, ast.Load):
            yield current
        for child in ast.iter_child_nodes(current):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                todo.append(child)
