"""The TensorFlow call that replaces a NumPy call on tensors (AG009), from `_numpy_table`."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from rewriter.analyze.tensors import Kind, TensorFacts
from rewriter.rules._base import NoFix
from rewriter.rules._numpy_table import FLOATS, Row
from rewriter.source import LineIndex


@dataclass
class Replacement:
    text: str
    assumptions: list[str]  # why the fix is unsafe (empty: safe)
    dtype: str | None = None  # the result's dtype (NumPy's), when known


class _Operands:
    """Reads the call's tensor operands: their dtype, and what is assumed about them."""

    def __init__(self, facts: TensorFacts, lines: LineIndex, assumed: frozenset[str]) -> None:
        self.facts, self.lines, self.assumed = facts, lines, assumed
        self.assumptions: list[str] = []
        self.dtype: str | None = None

    def tensor_dtype(self, node: ast.expr) -> str | None:
        """The dtype of a tensor operand; None when it is an assumed tensor of unknown dtype."""
        fact = self.facts.of(node)
        if fact.kind is Kind.TENSOR:
            if fact.dtype is None:
                raise NoFix(f"the dtype of `{self.lines.segment(node)}` is not known")
            return fact.dtype
        if isinstance(node, ast.Name) and node.id in self.assumed:
            self.assumptions.append(
                f"assumes `{node.id}` is passed a tensor or NumPy array (tf.function makes both tensors); "
                "a Python number or list keeps NumPy's float64/int64 eagerly"
            )
            return None
        raise NoFix(f"`{self.lines.segment(node)}` is not known to be a tensor")

    def operand_dtypes(self, nodes: list[ast.expr]) -> str:
        """One dtype shared by tensor operands; Python number literals must keep it."""
        dtypes: set[str | None] = set()
        literals: list[object] = []
        for node in nodes:
            literal = _number(node)
            if literal is not None:
                literals.append(literal)
            else:
                dtypes.add(self.tensor_dtype(node))
        if not dtypes:
            raise NoFix("no operand is a tensor")
        if len(dtypes) != 1 or None in dtypes:
            raise NoFix("the operands' dtypes are not known to agree (NumPy would promote them)")
        (dtype,) = dtypes
        assert dtype is not None
        if any(isinstance(v, float) for v in literals) and dtype not in FLOATS:
            raise NoFix(f"a float literal with a {dtype} tensor makes NumPy's result float64")
        return dtype


def replacement(
    row: Row, call: ast.Call, facts: TensorFacts, lines: LineIndex, tf: str, assumed: frozenset[str]
) -> Replacement:
    """The TensorFlow text for `call` (a call of `np.<row.numpy>`), or NoFix saying why not."""
    ops = _Operands(facts, lines, assumed)
    seg = lines.segment
    args = call.args
    keywords = {k.arg: k.value for k in call.keywords}
    if None in keywords or any(isinstance(a, ast.Starred) for a in args):
        raise NoFix("`*args`/`**kwargs` hide which parameters are passed")

    def dtype_name(dtype: str) -> str:
        return f"{tf}.{dtype}"

    def cast_to(node: ast.expr, source: str | None, target: str) -> str:
        return seg(node) if source == target else f"{tf}.cast({seg(node)}, {dtype_name(target)})"

    def result(source: str | None) -> str | None:
        if source is None:
            if row.result != "same" or row.rounding != "never":
                raise NoFix("NumPy's result dtype depends on the operand's dtype, which is not known")
            return None
        target = row.result_dtype(source)
        if target is None:
            raise NoFix(f"`np.{row.numpy}` of a {source} tensor has no faithful TensorFlow form")
        if row.may_round_differently(source):
            ops.assumptions.append("TensorFlow's float arithmetic may round the last digit differently from NumPy's")
        ops.dtype = target if row.result != "int64" else "int64"
        return target

    def only(positional: int, names: tuple[str, ...] = ()) -> None:
        if len(args) > positional or set(keywords) - set(names):
            raise NoFix(f"`np.{row.numpy}` is called with parameters the fix does not map")

    call_name = f"{tf}.{row.tf}"
    form = row.form
    if form in ("reduce", "argreduce"):
        only(2, ("axis", "keepdims") if form == "reduce" else ("axis",))
        if not args:
            raise NoFix("no array argument")
        source = ops.tensor_dtype(args[0])
        target = result(source)
        axis = args[1] if len(args) > 1 else keywords.get("axis")
        if form == "argreduce" and (axis is None or _is_none(axis)):
            shape = facts.of(args[0]).shape
            if not (isinstance(shape, tuple) and len(shape) == 1):
                raise NoFix(f"`np.{row.numpy}` without an axis flattens the array; give `axis=`")
        # An index result says nothing about the dtype the values are compared in.
        text = cast_to(args[0], source, target) if target is not None and form == "reduce" else seg(args[0])
        if axis is not None:
            text += f", axis={seg(axis)}"
        if "keepdims" in keywords:
            text += f", keepdims={seg(keywords['keepdims'])}"
        return Replacement(f"{call_name}({text})", ops.assumptions, ops.dtype)
    if form == "unary":
        only(1)
        if len(args) != 1:
            raise NoFix("not one argument")
        source = ops.tensor_dtype(args[0])
        target = result(source)
        text = cast_to(args[0], source, target) if target is not None else seg(args[0])
        return Replacement(f"{call_name}({text})", ops.assumptions, ops.dtype)
    if form in ("binary", "clip", "where"):
        count = {"binary": 2, "clip": 3, "where": 3}[form]
        only(count)
        if len(args) != count:
            raise NoFix(f"`np.{row.numpy}` needs {count} positional arguments here")
        operands = list(args[1:] if form == "where" else args)
        if form == "where":
            if facts.dtype(args[0]) != "bool":
                raise NoFix("the condition is not known to be a bool tensor")
        elif _number(args[0]) is not None:
            raise NoFix("the first operand is not a tensor")
        source = ops.operand_dtypes(operands)
        result(source)
        if form == "clip":
            low, high = _number(args[1]), _number(args[2])
            if low is None or high is None or low > high:
                raise NoFix("the bounds are not number literals in order")
        return Replacement(f"{call_name}({', '.join(seg(a) for a in args)})", ops.assumptions, ops.dtype)
    if form == "join":
        only(2, ("axis",))
        if not args or not isinstance(args[0], (ast.List, ast.Tuple)) or not args[0].elts:
            raise NoFix("the arrays are not a literal list")
        elements = args[0].elts
        if any(isinstance(e, ast.Starred) or _number(e) is not None for e in elements):
            raise NoFix("the arrays are not all tensors")
        result(ops.operand_dtypes(list(elements)))
        axis = args[1] if len(args) > 1 else keywords.get("axis")
        if axis is not None and _is_none(axis):
            raise NoFix("`axis=None` flattens the arrays first")
        return Replacement(
            f"{call_name}({seg(args[0])}, axis={seg(axis) if axis is not None else '0'})",
            ops.assumptions,
            ops.dtype,
        )
    if form in ("reshape", "transpose"):
        only(2, () if form == "reshape" else ("axes",))
        if not args:
            raise NoFix("no array argument")
        source = ops.tensor_dtype(args[0])
        result(source)
        extra = args[1] if len(args) > 1 else keywords.get("axes")
        if form == "reshape" and extra is None:
            raise NoFix("no shape")
        if extra is not None and not _int_literals(extra):
            raise NoFix("the shape or axes are not integer literals")
        if extra is None:
            return Replacement(f"{call_name}({seg(args[0])})", ops.assumptions, ops.dtype)
        keyword = "" if form == "reshape" else "perm="
        return Replacement(f"{call_name}({seg(args[0])}, {keyword}{seg(extra)})", ops.assumptions, ops.dtype)
    raise NoFix(f"unknown form {form}")  # pragma: no cover - the table test covers every form


def _number(node: ast.expr) -> int | float | None:
    """The value of an int/float literal (a leading minus allowed); None otherwise."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node, sign = node.operand, -1
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        value: int | float = node.value  # type: ignore[assignment]
        return sign * value
    return None


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _int_literals(node: ast.expr) -> bool:
    if isinstance(node, (ast.Tuple, ast.List)):
        return all(isinstance(_number(e), int) for e in node.elts)
    return isinstance(_number(node), int)
