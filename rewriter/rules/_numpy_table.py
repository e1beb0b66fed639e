"""The NumPy functions AG009 maps to TensorFlow, with NumPy's result dtypes (one row each).

Every row is checked by `tests/test_numpy_table.py`, which runs NumPy and the rewritten
TensorFlow code on the same sample values (the row's `samples`) and compares values and
dtypes. The sample names are `x` (float32 [2, 3]), `i` (int32 [2, 3]), `b` (bool [2, 3]),
`v` (float32 [4]) and `w` (int64 [4]).
"""

from __future__ import annotations

from dataclasses import dataclass

# Forms: how NumPy's arguments map onto the TensorFlow call.
#   reduce     (a, axis=None, keepdims=False)  -> tf.X(a, axis=axis, keepdims=keepdims)
#   argreduce  (a, axis)                       -> tf.X(a, axis=axis); NumPy flattens without an axis
#   unary      (x)                             -> tf.X(x)
#   binary     (x1, x2)                        -> tf.X(x1, x2)
#   clip       (a, a_min, a_max)               -> tf.X(a, a_min, a_max)
#   join       ([a, b, ...], axis=0)           -> tf.X([a, b, ...], axis=axis)
#   where      (condition, x, y)               -> tf.X(condition, x, y)
#   reshape    (a, newshape)                   -> tf.X(a, newshape)
#   transpose  (a[, axes])                     -> tf.X(a[, perm=axes])
#
# Results: the dtype NumPy gives for an input dtype (None: no faithful mapping).
#   same   the input's dtype
#   sum    bool and signed ints below 64 bits widen to int64 (NumPy's default integer)
#   mean   bool and ints give float64
#   float  int32/int64 give float64 (transcendental functions)
#   int64  indices
#
# Rounding: whether TensorFlow's float arithmetic may round differently from NumPy's
# (summation order, transcendental implementations): "never", "float" (when the input
# is a float; integer sums are exact) or "always". A fix that may round differently is
# unsafe.

NUMERIC = frozenset({"float16", "float32", "float64", "int32", "int64"})
FLOATS = frozenset({"float16", "float32", "float64"})
_SUM_WIDENS = frozenset({"bool", "int8", "int16", "int32"})


@dataclass(frozen=True)
class Row:
    numpy: str
    tf: str
    form: str
    result: str
    rounding: str
    samples: tuple[str, ...]

    def result_dtype(self, dtype: str) -> str | None:
        """NumPy's result dtype for an input of `dtype`; None when the fix cannot keep it."""
        if self.result == "same":
            allowed = NUMERIC | {"bool"} if self.form in ("join", "where", "reshape", "transpose") else NUMERIC
            return dtype if dtype in allowed else None
        if self.result == "sum":
            return "int64" if dtype in _SUM_WIDENS or dtype == "int64" else dtype if dtype in FLOATS else None
        if self.result == "mean":
            return "float64" if dtype in _SUM_WIDENS or dtype == "int64" else dtype if dtype in FLOATS else None
        if self.result == "float":
            return "float64" if dtype in ("int32", "int64") else dtype if dtype in FLOATS else None
        if self.result == "int64":
            return "int64" if dtype in NUMERIC else None
        raise ValueError(self.result)

    def may_round_differently(self, dtype: str) -> bool:
        if self.rounding == "always":
            return True
        return self.rounding == "float" and dtype in FLOATS


_ROWS = (
    Row("sum", "reduce_sum", "reduce", "sum", "float", ("np.sum(i)", "np.sum(b, axis=0)", "np.sum(x, 1)")),
    Row("mean", "reduce_mean", "reduce", "mean", "float", ("np.mean(i)", "np.mean(x, axis=1, keepdims=True)")),
    Row("prod", "reduce_prod", "reduce", "sum", "float", ("np.prod(i, axis=1)", "np.prod(v)")),
    Row("max", "reduce_max", "reduce", "same", "never", ("np.max(x)", "np.max(i, axis=0)")),
    Row("amax", "reduce_max", "reduce", "same", "never", ("np.amax(w)",)),
    Row("min", "reduce_min", "reduce", "same", "never", ("np.min(x, axis=-1)", "np.min(i)")),
    Row("amin", "reduce_min", "reduce", "same", "never", ("np.amin(v)",)),
    Row("argmax", "argmax", "argreduce", "int64", "never", ("np.argmax(x, axis=1)", "np.argmax(v)")),
    Row("argmin", "argmin", "argreduce", "int64", "never", ("np.argmin(i, axis=0)", "np.argmin(w)")),
    Row("abs", "abs", "unary", "same", "never", ("np.abs(x)", "np.abs(i)")),
    Row("absolute", "abs", "unary", "same", "never", ("np.absolute(w)",)),
    Row("square", "square", "unary", "same", "never", ("np.square(x)", "np.square(i)")),
    Row("negative", "negative", "unary", "same", "never", ("np.negative(i)",)),
    Row("floor", "floor", "unary", "same", "never", ("np.floor(x)",)),
    Row("ceil", "math.ceil", "unary", "same", "never", ("np.ceil(x)",)),
    Row("exp", "exp", "unary", "float", "always", ("np.exp(x)", "np.exp(i)")),
    Row("log", "math.log", "unary", "float", "always", ("np.log(v)", "np.log(w)")),
    Row("sqrt", "sqrt", "unary", "float", "always", ("np.sqrt(v)", "np.sqrt(w)")),
    Row("tanh", "tanh", "unary", "float", "always", ("np.tanh(x)",)),
    Row("maximum", "maximum", "binary", "same", "never", ("np.maximum(x, 0)", "np.maximum(i, i)")),
    Row("minimum", "minimum", "binary", "same", "never", ("np.minimum(x, 1.5)", "np.minimum(i, 2)")),
    Row("clip", "clip_by_value", "clip", "same", "never", ("np.clip(x, -1.0, 1.0)", "np.clip(i, 0, 4)")),
    Row("concatenate", "concat", "join", "same", "never", ("np.concatenate([x, x])", "np.concatenate((i, i), 1)")),
    Row("stack", "stack", "join", "same", "never", ("np.stack([v, v], axis=1)", "np.stack((b, b))")),
    Row("where", "where", "where", "same", "never", ("np.where(b, x, -x)", "np.where(b, i, 0)")),
    Row("reshape", "reshape", "reshape", "same", "never", ("np.reshape(x, (3, 2))", "np.reshape(i, [-1])")),
    Row("transpose", "transpose", "transpose", "same", "never", ("np.transpose(x)", "np.transpose(i, (1, 0))")),
)

TABLE: dict[str, Row] = {row.numpy: row for row in _ROWS}
