"""How a list's readers map onto a `tf.TensorArray`, and where its dtype can come from (AG006)."""

from __future__ import annotations

import ast

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.scope_facts import ScopeFacts
from rewriter.analyze.scopes import GraphScope
from rewriter.edits import Edit
from rewriter.rules._base import NoFix

# tf.<name>(x, ...) whose result has the dtype of x.
_KEEPS_DTYPE = frozenset(
    {
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
        "math.cumsum",
        "cumsum",
        "abs",
        "math.abs",
        "square",
        "math.square",
        "negative",
        "identity",
        "reshape",
        "squeeze",
        "expand_dims",
        "transpose",
        "gather",
        "reverse",
        "stop_gradient",
        "tile",
    }
)


def fixed_parameters(scope: GraphScope) -> set[str]:
    """Parameters never rebound in the function (not `self`)."""
    args = scope.node.args
    params = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
    if scope.class_node is not None and params:
        params = params[1:]
    rebound = {n.id for n in ast.walk(scope.node) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    return set(params) - rebound


def dtype_witness(facts: ScopeFacts, expr: ast.expr, parameters: set[str]) -> str | None:
    """A parameter whose dtype `expr` certainly has, when `expr` only slices and reduces it.

    `tf.reduce_sum(x[: i + 1]) * 2` has the dtype of `x` once `x` is a tensor.
    """
    if isinstance(expr, ast.Name):
        return expr.id if expr.id in parameters else None
    if isinstance(expr, ast.Subscript):
        return dtype_witness(facts, expr.value, parameters)
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub):
        return dtype_witness(facts, expr.operand, parameters)
    if isinstance(expr, ast.BinOp) and not isinstance(expr.op, (ast.Div, ast.Pow)):
        # A Python number takes the tensor's dtype (or the operation fails eagerly too).
        for side, other in ((expr.left, expr.right), (expr.right, expr.left)):
            if isinstance(other, ast.Constant) and type(other.value) in (int, float):
                return dtype_witness(facts, side, parameters)
        return None
    if (
        isinstance(expr, ast.Call)
        and facts.tensors.tf_name(expr.func) in _KEEPS_DTYPE
        and expr.args
        and not any(k.arg in ("dtype", "out_type", "output_type") for k in expr.keywords)
    ):
        return dtype_witness(facts, expr.args[0], parameters)
    return None


def consumer_edit(
    module: ModuleAnalysis, facts: ScopeFacts, use: ast.Name, name: str, tf: str, reasons: list[str]
) -> Edit:
    """The edit for one reader of the list; NoFix for readers a TensorArray cannot serve."""
    parent = facts.parents.get(use)
    lines = module.lines
    if isinstance(parent, ast.Subscript) and parent.value is use and isinstance(parent.ctx, ast.Load):
        position = _literal_int(parent.slice)
        if position is not None:
            index = str(position) if position >= 0 else f"{name}.size() - {-position}"
            return Edit(*lines.node_range(parent), f"{name}.read({index})")
    if isinstance(parent, ast.Call) and parent.args and parent.args[0] is use:
        function = facts.tensors.tf_name(parent.func)
        axis = _axis(parent)
        if function == "stack" and axis is not None and len(parent.args) + len(parent.keywords) <= 2:
            stacked = f"{name}.stack()"
            return Edit(
                *lines.node_range(parent),
                stacked if axis == 0 else f"{tf}.experimental.numpy.moveaxis({stacked}, 0, {axis})",
            )
        if function == "concat" and axis == 0 and len(parent.args) + len(parent.keywords) == 2:
            return Edit(*lines.node_range(parent), f"{name}.concat()")
        if facts.tensors.resolve(parent.func) == "builtins.len" and len(parent.args) == 1:
            if not _meets_tensor(facts, parent):
                reasons.append(f"`len({name})` becomes an int32 tensor where eager code has a Python int")
            return Edit(*lines.node_range(parent), f"{name}.size()")
    if isinstance(parent, ast.Return) or (parent is not None and isinstance(facts.parents.get(parent), ast.Return)):
        raise NoFix("the list is returned; a stacked tensor would have another structure")
    if isinstance(parent, (ast.For, ast.comprehension)):
        raise NoFix("the list is iterated in Python")
    if isinstance(parent, ast.expr) and "\n" not in lines.segment(parent):
        raise NoFix(f"`{lines.segment(parent)}` uses it as a Python list")
    raise NoFix("the list is used as a Python list")


def _meets_tensor(facts: ScopeFacts, node: ast.expr) -> bool:
    """True when an int32 tensor in place of the Python int `node` changes nothing.

    That is, inside `tf.cast(...)` / `tf.range(...)`, or as an operand next to an int32
    tensor (next to a float tensor a Python int converts, an int32 tensor raises).
    """
    context = facts.parents.get(node)
    if isinstance(context, ast.Call):
        return node in context.args and facts.tensors.tf_name(context.func) in ("cast", "range")
    if isinstance(context, (ast.BinOp, ast.Compare)):
        operands = (
            [context.left, context.right] if isinstance(context, ast.BinOp) else [context.left, *context.comparators]
        )
        return any(o is not node and facts.is_public_tensor(o) and facts.dtype(o) == "int32" for o in operands)
    return False


def _axis(call: ast.Call) -> int | None:
    """The literal axis of `tf.stack(values, axis)` / `tf.concat(values, axis)`; 0 by default."""
    if len(call.args) > 1:
        return _literal_int(call.args[1])
    keywords = {k.arg: k.value for k in call.keywords}
    if set(keywords) - {"axis"}:
        return None
    return _literal_int(keywords["axis"]) if "axis" in keywords else 0


def _literal_int(node: ast.expr) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and type(node.operand.value) is int
    ):
        return -node.operand.value
    return None
