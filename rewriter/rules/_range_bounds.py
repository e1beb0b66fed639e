"""The `range(...)` a loop iterates over, and what its bounds are when traced.

A bound is a static int, or a dimension `x.shape[k]` of a tensor, which the graph
reads at run time as `tf.shape(x)[k]` (it may be None when traced).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.tensors import TensorFacts

_INT32_MAX = 2**31 - 1


@dataclass
class Bounds:
    replacements: dict[ast.expr, str]  # argument -> new text (x.shape[k] -> tf.shape(x)[k])
    values: list[int | None]  # static values (None: dynamic)
    may_be_none: bool  # a dynamic dim may be None: the loop fails in the graph today


def range_of(module: ModuleAnalysis, node: ast.expr) -> ast.Call | None:
    """The `range(...)` call a loop iterates over, directly or through `reversed`."""
    if (
        isinstance(node, ast.Call)
        and module.imports.resolve(node.func) == "builtins.reversed"
        and len(node.args) == 1
        and not node.keywords
    ):
        node = node.args[0]
    return node if _is_range_call(module, node) else None  # type: ignore[return-value]


def keeps_range(bounds: Bounds) -> bool:
    """`range(a, x.shape[k])` keeps `range`, bounded by `tf.shape(x)[k]`: AutoGraph loops
    over a range of tensors as Python does (empty when a >= the bound), where
    `tf.range(a, b)` raises."""
    values = bounds.values
    return len(values) == 2 and None in values and values[0] != 0


def _is_range_call(module: ModuleAnalysis, node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and module.imports.resolve(node.func) == "builtins.range"
        and not node.keywords
        and 1 <= len(node.args) <= 3
        and not any(isinstance(a, ast.Starred) for a in node.args)
    )


def range_bounds(facts: TensorFacts, call: ast.Call, tf: str) -> Bounds | None:
    """Static values and dynamic-dimension replacements of range's arguments, or None
    when any bound may be a tensor or is an unknown Python value."""
    replacements: dict[ast.expr, str] = {}
    values: list[int | None] = []
    may_be_none = False
    for argument in call.args:
        fact = facts.of(argument)
        if fact.is_python("int") and isinstance(fact.value, int):
            values.append(fact.value)
            continue
        dimension = _shape_dimension(facts, argument)
        if dimension is None:
            return None
        tensor, index = dimension
        replacements[argument] = f"{tf}.shape({tensor})[{index}]"
        values.append(None)
        may_be_none |= fact.maybe_none or fact.is_unknown
    if None not in values:
        static = [v for v in values if v is not None]
        if len(static) == 3 and static[2] == 0:
            return None
        if any(abs(v) > _INT32_MAX for v in static):
            return None
    return Bounds(replacements, values, may_be_none)


def _shape_dimension(facts: TensorFacts, node: ast.expr) -> tuple[str, int] | None:
    """`x.shape[k]` with `x` a name that is (or may be) a tensor: ("x", k)."""
    if not (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "shape"
        and isinstance(node.value.value, ast.Name)
        and isinstance(node.slice, ast.Constant)
        and type(node.slice.value) is int
    ):
        return None
    owner = facts.of(node.value.value)
    if owner.kind.value == "python":
        return None  # a NumPy array or other Python object: its shape is static
    return node.value.value.id, node.slice.value
