"""The dtype a random draw must have in a graph, decided by the code that consumes it.

NumPy converts a drawn value silently to the dtype of a tensor it meets, where a
float64 tensor would raise; so the walk goes up from the draw (through arithmetic,
names, calls and comparisons) to the first consumer that fixes a dtype, and says
why the choice is unsafe when that consumer is not known.
"""

from __future__ import annotations

import ast

from rewriter.analyze.tensors import ELEMENTWISE, TensorFacts, iter_loads
from rewriter.rules._base import NoFix
from rewriter.rules._random_draws import Draw


def consumer_dtype(
    facts: TensorFacts, parents: dict[ast.AST, ast.AST], node: ast.expr, draw: Draw, depth: int
) -> tuple[str, str | None]:
    """The dtype the drawn value must have, and why that choice is unsafe (None: safe)."""
    current: ast.AST = node
    while True:
        parent = parents.get(current)
        if isinstance(parent, ast.BinOp) and not isinstance(parent.op, ast.MatMult):
            other = parent.right if parent.left is current else parent.left
            found = _meets(facts, other, draw)
            if found is not None:
                return found
            current = parent
        elif isinstance(parent, ast.UnaryOp) and isinstance(parent.op, (ast.USub, ast.UAdd)):
            current = parent
        elif isinstance(parent, ast.Subscript) and parent.value is current:
            current = parent  # an element or slice of the draw is still a draw
        elif isinstance(parent, ast.Return) or (
            isinstance(parent, (ast.Tuple, ast.List)) and isinstance(parents.get(parent), ast.Return)
        ):
            return draw.standalone_dtype(), None
        elif isinstance(parent, ast.Expr):
            return draw.default_dtype(), None  # the value is discarded
        elif isinstance(parent, ast.AugAssign) and parent.value is current:
            found = _meets(facts, parent.target, draw)
            if found is not None:
                return found
            raise NoFix(f"it is added into `{ast.unparse(parent.target)}`, a Python value")
        elif (
            isinstance(parent, ast.Assign)
            and parent.value is current
            and len(parent.targets) == 1
            and isinstance(parent.targets[0], ast.Name)
        ):
            return _through_name(facts, parents, parent.targets[0].id, draw, depth)
        elif isinstance(parent, ast.Call) and current in parent.args + [k.value for k in parent.keywords]:
            return _call_argument(facts, parent, current, draw)
        elif isinstance(parent, ast.Compare) and len(parent.ops) == 1 and _compared_with_tensor(facts, parent):
            # `np.random.uniform() < accept_prob` with a tensor `accept_prob` is already a
            # tensor condition in the graph: only the frozen value changes.
            other = parent.comparators[0] if parent.left is current else parent.left
            found = _meets(facts, other, draw)
            assert found is not None
            return found
        elif isinstance(
            parent,
            (
                ast.Compare,
                ast.If,
                ast.While,
                ast.IfExp,
                ast.BoolOp,
                ast.Subscript,
                ast.FormattedValue,
                ast.Dict,
                ast.Assert,
            ),
        ):
            raise NoFix("the value is used as a Python value (a condition, an index or a string)")
        else:
            raise NoFix("the value's use is not one the rewrite understands")


def _compared_with_tensor(facts: TensorFacts, compare: ast.Compare) -> bool:
    other = [compare.left, compare.comparators[0]]
    return isinstance(compare.ops[0], (ast.Lt, ast.LtE, ast.Gt, ast.GtE)) and any(
        facts.of(side).is_tensor and facts.of(side).dtype is not None for side in other
    )


def _meets(facts: TensorFacts, other: ast.expr, draw: Draw) -> tuple[str, str | None] | None:
    """The dtype when the draw meets `other` in arithmetic; None to keep walking up."""
    fact = facts.of(other)
    if fact.is_tensor:
        if fact.dtype is None:
            return draw.default_dtype(), f"it meets `{ast.unparse(other)}`, a tensor of unknown dtype"
        if draw.integer and "int" not in fact.dtype:
            raise NoFix(f"an integer draw meets `{ast.unparse(other)}`, a {fact.dtype} tensor")
        if not draw.integer and "float" not in fact.dtype:
            raise NoFix(f"a float draw meets `{ast.unparse(other)}`, a {fact.dtype} tensor")
        return fact.dtype, None
    if fact.is_python("int", "float", "bool", "numpy"):
        return None  # still a NumPy/Python value: its consumer decides
    # Most often a float32 tensor parameter, which NumPy's value would have been cast to.
    return draw.default_dtype(), f"it meets `{ast.unparse(other)}`, which may not be a float32 tensor"


def _through_name(
    facts: TensorFacts, parents: dict[ast.AST, ast.AST], name: str, draw: Draw, depth: int
) -> tuple[str, str | None]:
    """A draw assigned to a local name: every read of the name must agree."""
    if len(facts.bindings(name)) != 1:
        raise NoFix(f"`{name}` is assigned more than once")
    if depth > 3:
        raise NoFix("the value passes through too many names")
    results = []  # in source order, so the reason shown is the first read's on every run
    for statement in facts.scope.body:
        for load in iter_loads(statement, name):
            results.append(consumer_dtype(facts, parents, load, draw, depth + 1))
    if not results:
        return draw.default_dtype(), None  # never read
    dtypes = {dtype for dtype, _ in results}
    if len(dtypes) > 1:
        raise NoFix(f"`{name}` meets tensors of different dtypes")
    reasons = [reason for _, reason in results if reason]
    return dtypes.pop(), reasons[0] if reasons else None


def _call_argument(facts: TensorFacts, call: ast.Call, argument: ast.expr, draw: Draw) -> tuple[str, str | None]:
    name = facts.tf_name(call.func)
    if name is None:
        qualified = facts.resolve(call.func)
        if qualified and qualified.startswith("builtins."):
            raise NoFix(f"the value is passed to `{qualified[len('builtins.') :]}`")
        return (
            draw.standalone_dtype(),
            f"it is passed to `{ast.unparse(call.func)}`, which gets a tensor, not a NumPy value",
        )
    if name in ("constant", "Variable"):
        raise NoFix(f"`tf.{name}` does not take a graph tensor")
    if name == "print":
        # Printed, the value stands alone: keep its dtype. The text still differs.
        return draw.standalone_dtype(), (
            "tf.print shows a NumPy or Python value by its repr (`array([...])`), a tensor by its values"
        )
    if name == "convert_to_tensor":
        explicit = next((k.value for k in call.keywords if k.arg == "dtype"), None)
        if explicit is None and len(call.args) > 1:
            explicit = call.args[1]
        named = facts.dtype_named(explicit) if explicit is not None else None
        if explicit is not None and named is None:
            raise NoFix("`tf.convert_to_tensor` with a dtype we cannot name")
        return (named or draw.standalone_dtype()), None
    if name in ELEMENTWISE or name in ("matmul", "linalg.matmul"):
        for other in call.args:
            if other is not argument:
                found = _meets(facts, other, draw)
                if found is not None:
                    return found
    return draw.default_dtype(), f"it is passed to `tf.{name}`, whose dtype needs are not known"
