"""How a list's readers map onto a `tf.TensorArray`, and where its dtype can come from (AG006)."""

from __future__ import annotations

import ast

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.scope_facts import ScopeFacts
from rewriter.analyze.scopes import GraphScope
from rewriter.edits import Edit
from rewriter.rules._base import NoFix

Shape = tuple[int | None, ...]

# tf.<name>(values, ...) that converts `values` to a single tensor first: for a list of
# tensors, that is their stack.
_CONVERTS_FIRST = frozenset(
    {
        "convert_to_tensor",
        *(
            f"{prefix}reduce_{op}"
            for prefix in ("", "math.")
            for op in ("sum", "mean", "max", "min", "prod", "all", "any")
        ),
        "math.reduce_std",
        "math.reduce_variance",
        "math.reduce_logsumexp",
        "reduce_logsumexp",
    }
)

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
    module: ModuleAnalysis,
    facts: ScopeFacts,
    use: ast.Name,
    name: str,
    tf: str,
    reasons: list[str],
    element: tuple[str | None, Shape | None] = (None, None),
) -> Edit:
    """The edit for one reader of the list; NoFix for readers a TensorArray cannot serve.

    `element`: the dtype and static shape of every appended value, where known. Adds to
    `reasons` what the edit assumes.
    """
    parent = facts.parents.get(use)
    lines = module.lines
    if isinstance(parent, ast.Subscript) and parent.value is use and isinstance(parent.ctx, ast.Load):
        position = _literal_int(parent.slice)
        if position is not None:
            index = str(position) if position >= 0 else f"{name}.size() - {-position}"
            return Edit(*lines.node_range(parent), f"{name}.read({index})")
    if isinstance(parent, ast.Call) and parent.args and parent.args[0] is use:
        edit = _call_edit(module, facts, parent, use, name, tf, reasons, element)
        if edit is not None:
            return edit
    if isinstance(parent, ast.Return) or (parent is not None and isinstance(facts.parents.get(parent), ast.Return)):
        raise NoFix("the list is returned; a stacked tensor would have another structure")
    if isinstance(parent, (ast.For, ast.comprehension)):
        raise NoFix("the list is iterated in Python")
    if isinstance(parent, ast.expr) and "\n" not in lines.segment(parent):
        raise NoFix(f"`{lines.segment(parent)}` uses it as a Python list")
    raise NoFix("the list is used as a Python list")


def _call_edit(
    module: ModuleAnalysis,
    facts: ScopeFacts,
    call: ast.Call,
    use: ast.Name,
    name: str,
    tf: str,
    reasons: list[str],
    element: tuple[str | None, Shape | None],
) -> Edit | None:
    """The edit for `f(name, ...)`, or None when `f` is not one the array can serve."""
    function = facts.tensors.tf_name(call.func)
    span = module.lines.node_range(call)
    stacked = f"{name}.stack()"
    arguments = len(call.args) + len(call.keywords)
    if function in _CONVERTS_FIRST:
        # The op converts the list to one tensor first, which stacks it: same op, same tensor.
        return Edit(*module.lines.node_range(use), stacked)
    if function in ("add_n", "math.add_n") and arguments == 1:
        dtype = element[0]
        if dtype is None or dtype.startswith(("float", "bfloat", "complex")):
            reasons.append(
                f"`tf.add_n({name})` becomes `tf.reduce_sum` over the stacked values, which adds "
                "floats in another order: the sum may differ in the last bits"
            )
        return Edit(*span, f"{tf}.reduce_sum({stacked}, axis=0)")
    axis = _axis(call)
    if function == "stack" and axis is not None and arguments <= 2:
        return Edit(*span, stacked if axis == 0 else f"{tf}.experimental.numpy.moveaxis({stacked}, 0, {axis})")
    if function == "concat" and axis is not None and arguments == 2:
        return Edit(*span, _concatenated(name, tf, axis, element[1]))
    if facts.tensors.resolve(call.func) == "builtins.len" and len(call.args) == 1:
        if not _meets_tensor(facts, call):
            raise NoFix(f"`len({name})` is used as a Python int, and the array's size is an int32 tensor")
        return Edit(*span, f"{name}.size()")
    return None


def _concatenated(name: str, tf: str, axis: int, shape: Shape | None) -> str:
    """`tf.concat(name, axis)` on the array: `concat()` for axis 0; otherwise the stack
    with its first axis moved to `axis` and merged into the next, which takes the other
    dimensions of every element to be static."""
    if axis == 0:
        return f"{name}.concat()"
    if shape is None:
        raise NoFix(f"`tf.concat` on axis {axis} needs the rank of the appended values")
    position = axis + len(shape) if axis < 0 else axis
    if not 0 <= position < len(shape):
        raise NoFix(f"`tf.concat` on axis {axis} is out of range for the appended values")
    if position == 0:
        return f"{name}.concat()"
    others = [d for k, d in enumerate(shape) if k != position]
    if not all(isinstance(d, int) and d > 0 for d in others):
        raise NoFix(f"`tf.concat` on axis {axis} needs the other dimensions of the appended values to be static")
    dims = ", ".join("-1" if k == position else str(d) for k, d in enumerate(shape))
    return f"{tf}.reshape({tf}.experimental.numpy.moveaxis({name}.stack(), 0, {position}), [{dims}])"


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
