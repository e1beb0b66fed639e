"""The fact lattice: what one value is (`Fact`), and how Facts join and combine.

See `rewriter.analyze.tensors` for how the analysis uses it and `rewriter.analyze.evidence`
for the joins spelled out.
"""

from __future__ import annotations

import ast
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from rewriter.analyze.imports import ImportTable


class Kind(enum.Enum):
    TENSOR = "tensor"
    PYTHON = "python"
    UNKNOWN = "unknown"
    # No evidence says what it is, and graph code mostly handles tensors: a tensor, on an
    # assumption that `Fact.assumes` names. Never proof: `is_tensor` is False for it.
    PROBABLY_TENSOR = "probably tensor"


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
    assumes: PROBABLY_TENSOR values: the parameters assumed to be tensors (no signature,
        annotation, role or call site says what they are).
    """

    kind: Kind
    pytype: str | None = None
    dtype: str | None = None
    shape: Dims | SymbolicShape | None = None
    value: object = None
    maybe_none: bool = False
    assumes: frozenset[str] = frozenset()

    @property
    def is_tensor(self) -> bool:
        """Proven to be a tensor (PROBABLY_TENSOR is not)."""
        return self.kind is Kind.TENSOR

    @property
    def is_probably_tensor(self) -> bool:
        """A tensor only on an assumption (`assumes` names it)."""
        return self.kind is Kind.PROBABLY_TENSOR

    @property
    def is_tensor_or_probably(self) -> bool:
        """A tensor, proven or assumed: a pattern on it is reported either way."""
        return self.kind is Kind.TENSOR or self.kind is Kind.PROBABLY_TENSOR

    @property
    def assumption(self) -> str | None:
        """What a fix resting on this value assumes, for its message (None when proven)."""
        if self.kind is not Kind.PROBABLY_TENSOR:
            return None
        return assumption_message(self.assumes)

    def is_python(self, *types: str) -> bool:
        """A Python value (of one of `types`, when given) that is surely not None."""
        if self.kind is not Kind.PYTHON or self.maybe_none:
            return False
        return not types or self.pytype in types

    @property
    def is_unknown(self) -> bool:
        """Nothing proven: UNKNOWN, or PROBABLY_TENSOR (an assumption is not knowledge)."""
        return self.kind is Kind.UNKNOWN or self.kind is Kind.PROBABLY_TENSOR

    def join(self, other: Fact) -> Fact:
        """The least Fact that covers both values (what a name holding either one is)."""
        if self is _BOTTOM:
            return other
        if other is _BOTTOM or self == other:
            return self
        if Kind.PROBABLY_TENSOR in (self.kind, other.kind):
            # A tensor or a probable one is probably a tensor; with anything else, unknown.
            if not (self.is_tensor_or_probably and other.is_tensor_or_probably):
                return UNKNOWN
            return probably(self.as_proven().join(other.as_proven()), self, other)
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

    def as_proven(self) -> Fact:
        """A PROBABLY_TENSOR read as a tensor (to compute what follows from the assumption)."""
        if self.kind is not Kind.PROBABLY_TENSOR:
            return self
        return Fact(Kind.TENSOR, self.pytype, self.dtype, self.shape)


def probably(result: Fact, *inputs: Fact) -> Fact:
    """`result`, computed from `inputs` read as proven: a PROBABLY_TENSOR when it is a
    tensor and some input was only probably one (their assumptions carry over)."""
    assumes = frozenset().union(*(i.assumes for i in inputs if i.kind is Kind.PROBABLY_TENSOR))
    if not assumes or result.kind not in (Kind.TENSOR, Kind.PROBABLY_TENSOR):
        return result
    return Fact(Kind.PROBABLY_TENSOR, result.pytype, result.dtype, result.shape, None, False, assumes | result.assumes)


def assumption_message(names: Iterable[str]) -> str:
    """ "assumes `n` is a tensor: no signature, annotation or call site says so"."""
    listed = sorted(names)
    if not listed:
        return "assumes a value is a tensor: nothing proves it"
    quoted = ", ".join(f"`{n}`" for n in listed)
    verb = "is a tensor" if len(listed) == 1 else "are tensors"
    return f"assumes {quoted} {verb}: no signature, annotation or call site says so"


def probably_tensor(name: str, shape: Dims | SymbolicShape | None = None) -> Fact:
    """The Fact of a parameter that nothing says anything about."""
    return Fact(Kind.PROBABLY_TENSOR, shape=shape, assumes=frozenset({name}))


UNKNOWN = Fact(Kind.UNKNOWN)
# A `tf.data.Dataset` (kind UNKNOWN: not a tensor, not a plain Python value); iterating
# over one gives tensors.
DATASET = "tf.data.Dataset"
# Dataset methods that return a dataset.
DATASET_METHODS = frozenset(
    {
        "batch",
        "map",
        "filter",
        "take",
        "skip",
        "shuffle",
        "repeat",
        "prefetch",
        "cache",
        "enumerate",
        "unbatch",
        "padded_batch",
        "interleave",
        "flat_map",
        "apply",
        "zip",
        "rebatch",
        "shard",
        "with_options",
    }
)
_BOTTOM = Fact(Kind.UNKNOWN, pytype="<bottom>")  # "no binding evaluated yet" in the fixpoint


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
# Helpers on facts


def _tensor_dtype(fact: Fact) -> str | None:
    """The dtype a value has once TensorFlow converts it (without a dtype argument)."""
    if fact.is_tensor_or_probably:
        return fact.dtype
    if fact.kind is Kind.PYTHON:
        if fact.pytype == "numpy":
            return fact.dtype
        return _DEFAULT_DTYPE.get(fact.pytype or "")
    return None


def static_shape(fact: Fact) -> Dims | SymbolicShape | None:
    """The static shape a value has as a tensor: () for Python numbers."""
    if fact.is_tensor_or_probably:
        return fact.shape
    if fact.is_python("int", "float", "bool"):
        return SCALAR
    if isinstance(fact.shape, SymbolicShape):
        return fact.shape  # a parameter: whatever it is, its shape is its own
    return None


def _as_tensor(fact: Fact) -> Fact:
    """What AutoGraph makes of a value that leaves TensorFlow control flow."""
    if fact.is_tensor_or_probably:
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
    if left.is_probably_tensor or right.is_probably_tensor:
        result = binary_fact(left.as_proven(), right.as_proven(), op)
        if left.is_tensor or right.is_tensor:
            return result  # a tensor operand makes the result a tensor, whatever the other is
        return probably(result, left, right)
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
