"""AG009's `t.shape[k]` check: a dimension used as a Python int where it may be None.

While tracing, `t.shape[k]` is the static size of dimension k, or None when it is only
known at run time (an `input_signature` with None, a dataset's batch dimension). Fed to
`tf.zeros([...])`, `tf.reshape`, `tf.range` it raises ("None values not supported"), and
`tf.shape(t)[k]` (the size at run time, an int32 tensor) is what those ops accept. A
consumer that needs a Python int (`range`, NumPy, `[0] * n`, `int(n)`) cannot take a
tensor: reported with what to use instead.

`for i in range(t.shape[k])` is left to AG003 (python-range-loop), which rewrites the
whole loop to `tf.range(tf.shape(t)[k])` or says why it cannot: one finding per span.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rewriter.analyze.evidence import ROLES
from rewriter.analyze.lattice import Kind
from rewriter.analyze.syntax import root_name
from rewriter.analyze.tensors import iter_loads
from rewriter.rules._base import Applicability, Edit, Fix, Rule, Violation

if TYPE_CHECKING:
    from rewriter.rules.tensor_to_python_conversion import _Context

# TensorFlow functions every argument of which may be an int32 tensor where a Python int
# (or a list of them, for a shape) is written: `tf.shape(t)[k]` fits there unchanged.
_TENSOR_SHAPE_CONSUMERS = frozenset(
    {
        "zeros",
        "ones",
        "fill",
        "reshape",
        "range",
        "broadcast_to",
        "tile",
        "eye",
        "one_hot",
        "sequence_mask",
        "stack",
        "random.normal",
        "random.uniform",
        "random.truncated_normal",
        "image.resize",
    }
)
# Integer arithmetic that keeps an int32 tensor an int32 tensor (`/` would make a float).
_INT_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv)


@dataclass(frozen=True)
class _Use:
    """Where a dimension ends up: `needs` is None for a consumer that takes a tensor,
    else what a Python-only consumer needs instead."""

    consumer: str
    needs: str | None = None


class _Skip(Exception):
    """The dimension is not used where None raises, or another rule reports the use."""


def shape_dimension(rule: Rule, context: _Context, node: ast.Subscript) -> Violation | None:
    """A finding for `owner.shape[k]` (`node`) used where None raises, when dimension k
    of `owner` is not known to be static."""
    found = _dimension(node)
    if found is None:
        return None
    owner, index = found
    owner_fact = context.facts.of(owner)
    dimension_fact = context.facts.of(node)
    if dimension_fact.is_python("int"):
        return None  # a static size (signature, or proven by the analysis)
    proven = owner_fact.is_tensor and isinstance(owner_fact.shape, tuple) and _none_at(owner_fact.shape, index)
    probable = owner_fact.kind is Kind.PROBABLY_TENSOR or (owner_fact.is_tensor and not proven)
    if not (proven or probable):
        return None  # not a tensor (a NumPy array's shape is static), or nothing known
    if not proven and (index != 0 or not _batch_may_be_unknown(context)):
        return None  # timid: only the batch dimension is commonly unknown while tracing
    if _guarded(context, node):
        return None
    lines = context.module.lines
    shown, owner_text = lines.segment(node), lines.segment(owner)
    runtime = f"tf.shape({owner_text})[{index}]"
    try:
        use = _use(context, node, runtime)
    except _Skip:
        return None
    dynamic = f"`{owner_text}`"
    if proven:
        why = f"dimension {index} of {dynamic} is not static here, so `{shown}` is None while tracing"
    else:
        why = (
            f"`{shown}` is None while tracing when dimension {index} of {dynamic} is not static "
            "(a dataset's batch, an input_signature with None)"
        )
    span = lines.node_range(node)
    if use.needs is not None:
        return rule.violation(span, f"{why}, and {use.consumer} needs a Python int; {use.needs}")
    message = f"{why}, and {use.consumer} raises on None; use `{runtime}`"
    tf = context.module.tensorflow_name(context.scope)
    if tf is None:
        return rule.violation(span, message)
    text = f"{tf[0]}.shape({owner_text})[{index}]"
    if proven:
        return rule.violation(span, message, Fix(Applicability.SAFE, f"Use `{runtime}`", (Edit(*span, text),), tf[1]))
    assumptions = [
        f"assumes dimension {index} of `{owner_text}` may be unknown; where it is static the result loses it"
    ]
    if owner_fact.assumption:
        assumptions.append(owner_fact.assumption)
    title = f"Use `{runtime}` ({'; '.join(assumptions)})"
    return rule.violation(span, message, Fix(Applicability.UNSAFE, title, (Edit(*span, text),), tf[1]))


def _batch_may_be_unknown(context: _Context) -> bool:
    """Whether this scope's tensors commonly have a batch dimension of None: a dataset
    callback or Keras step (batches of a dataset), or a `tf.function` that relaxes shapes.

    A plain `tf.function` called with eager tensors traces each static shape it meets,
    so there `t.shape[0]` is an int.
    """
    scope = context.scope
    if scope.kind in ROLES:
        return True
    decorators = getattr(scope.node, "decorator_list", [])
    relaxing = ("reduce_retracing=True", "experimental_relax_shapes=True")
    return scope.kind == "tf.function" and any(
        flag in context.module.lines.segment(d).replace(" ", "") for d in decorators for flag in relaxing
    )


def _dimension(node: ast.Subscript) -> tuple[ast.expr, int] | None:
    """(`owner`, k) for `owner.shape[k]` with a literal k and a side-effect-free owner."""
    if not (isinstance(node.value, ast.Attribute) and node.value.attr == "shape"):
        return None
    index = node.slice
    if isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub) and isinstance(index.operand, ast.Constant):
        value = index.operand.value
        k = -value if type(value) is int else None
    else:
        k = index.value if isinstance(index, ast.Constant) and type(index.value) is int else None
    owner = node.value.value
    if k is None or root_name(owner) is None or not isinstance(node.ctx, ast.Load):
        return None
    return owner, k


def _none_at(dims: tuple[int | None, ...], index: int) -> bool:
    try:
        return dims[index] is None
    except IndexError:
        return False


def _guarded(context: _Context, node: ast.AST) -> bool:
    """Inside `if tf.executing_eagerly():` or an `if` that tests a shape against None."""
    if context.under_eager_guard(node):
        return True
    child, parent = node, context.parents.get(node)
    while parent is not None:
        if isinstance(parent, (ast.If, ast.IfExp)) and child is not parent.test:
            test = context.module.lines.segment(parent.test)
            if "shape" in test and "None" in test:
                return True
        child, parent = parent, context.parents.get(parent)
    return False


def _use(context: _Context, node: ast.expr, runtime: str, depth: int = 0) -> _Use:
    """What consumes the dimension `node` (through int arithmetic, shape lists and one
    local name bound once). Raises _Skip when nothing there raises on None."""
    facts = context.facts
    current = node
    in_sequence = False
    while True:
        parent = context.parents.get(current)
        if isinstance(parent, ast.BinOp):
            other = parent.right if current is parent.left else parent.left
            if isinstance(parent.op, ast.Mult) and (
                isinstance(other, (ast.List, ast.Tuple, ast.ListComp)) or facts.is_python(other, "list", "tuple", "str")
            ):
                return _Use("repeating a sequence", f"use `tf.fill([{runtime}], value)` for a tensor")
            if not isinstance(parent.op, _INT_ARITHMETIC) or not _int_operand(context, other):
                raise _Skip
            current = parent
            continue
        if isinstance(parent, (ast.List, ast.Tuple)) and isinstance(parent.ctx, ast.Load):
            in_sequence = True
            current = parent
            continue
        break
    if isinstance(parent, ast.Call) and current is not parent.func:
        if any(isinstance(a, ast.Starred) for a in parent.args):
            raise _Skip
        name = facts.tf_name(parent.func)
        if name in _TENSOR_SHAPE_CONSUMERS:
            return _Use(f"`tf.{name}`")
        qualified = facts.resolve(parent.func) or ""
        if qualified == "builtins.range" and not in_sequence:
            iterable: ast.AST = parent
            loop = context.parents.get(parent)
            if isinstance(loop, ast.Call) and facts.resolve(loop.func) == "builtins.reversed":
                iterable, loop = loop, context.parents.get(loop)  # `reversed(range(...))`
            if isinstance(loop, ast.For) and loop.iter is iterable:
                raise _Skip  # AG003 reports (and where it can, rewrites) the loop
            return _Use("Python `range`", f"use `tf.range({runtime})` in a TensorFlow loop")
        if qualified in ("builtins.int", "builtins.float") and not in_sequence:
            return _Use(f"`{qualified.split('.')[1]}`", f"use `{runtime}`, a tensor")
        if qualified.startswith("numpy.") and not qualified.startswith("numpy.testing."):
            return _Use(f"`np.{qualified.split('.', 1)[1]}`", f"use the TensorFlow op with `{runtime}`")
        raise _Skip
    if (
        depth == 0
        and current is node
        and isinstance(parent, ast.Assign)
        and len(parent.targets) == 1
        and isinstance(parent.targets[0], ast.Name)
    ):
        name = parent.targets[0].id
        if len(facts.bindings(name)) != 1:
            raise _Skip  # rebound (`n = n or tf.shape(x)[0]`): not followed
        uses = []
        for load in iter_loads(context.scope.node, name):
            try:
                uses.append(_use(context, load, runtime, depth + 1))
            except _Skip:
                raise _Skip from None  # another use (a comparison, a layer size): not ours to judge
        python_only = [u for u in uses if u.needs is not None]
        if python_only:
            first = python_only[0]
            return _Use(f"{first.consumer} (through `{name}`)", first.needs)
        if uses:
            raise _Skip  # timid: the fix would rewrite the assignment, read in several places
    raise _Skip


def _int_operand(context: _Context, node: ast.expr) -> bool:
    """A Python int, or another `t.shape[k]` (each dimension gets its own finding)."""
    fact = context.facts.of(node)
    if fact.is_python("int"):
        return True
    return isinstance(node, ast.Subscript) and _dimension(node) is not None and fact.kind is Kind.PYTHON
