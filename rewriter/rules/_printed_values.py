"""Whether `tf.print` shows a value as eager `print` did, and how a printed shape is read.

A tensor's values print the same either way; Python state read from an attribute or an
outer name, and a static shape, are fixed when traced and may differ on later calls.
`tf.print` abbreviates a value with more than six items in a dimension, eager `print`
does not, and a printed `x.shape` becomes the run-time `tf.shape(x)`.
"""

from __future__ import annotations

import ast
import builtins

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.scopes import GraphScope
from rewriter.analyze.tensors import Fact

_STATE = "`{name}` may be Python state that changes between calls; tf.print shows its value when traced"
_SHAPE = "`{name}` is a static shape, which tf.print shows as it was when traced"
# tf.print shows at most this many items at each end of a dimension unless told
# `summarize=-1`; eager print (NumPy) shows every item up to 1000 in all.
_TF_PRINT_EDGE_ITEMS = 3
_PYTHON_SCALARS = ("int", "float", "bool", "str", "bytes", "none")


def dynamic_shape(module: ModuleAnalysis, scope: GraphScope, node: ast.expr, tf: str) -> tuple[str, str | None] | None:
    """`x.shape` -> `tf.shape(x)`, and `x.shape[0]` of a dimension that is not static ->
    `tf.shape(x)[0]`, which print the run-time shape (eager print shows it as `(4, 3)`,
    tf.print as `[4 3]`: the same values), with the assumption it rests on, if any."""
    index = None
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and type(node.slice.value) is int:
        index, node = node.slice.value, node.value
    if not (isinstance(node, ast.Attribute) and node.attr == "shape"):
        return None
    facts = module.tensors(scope)
    if index is not None and _static_shape(facts.of(node), index):
        return None  # a static dimension: a Python int, the same on every call
    # A whole shape always becomes `tf.shape(x)`: tf.print would show a static
    # TensorShape as `TensorShape([3, 1])` where eager print shows `(3, 1)`.
    owner = ast.unparse(node.value)
    source = f"{tf}.shape({owner})" + (f"[{index}]" if index is not None else "")
    if facts.is_tensor(node.value):
        return source, None
    return source, f"it assumes `{owner}` is a tensor, whose run-time shape `tf.shape` gives"


def _static_shape(fact: Fact, index: int | None = None) -> bool:
    """Whether a shape fact (or its dimension `index`) is known when tracing."""
    dims = fact.shape
    if not isinstance(dims, tuple):
        return False
    if index is None:
        return all(isinstance(d, int) for d in dims)
    return -len(dims) <= index < len(dims) and isinstance(dims[index], int)


def value_reason(module: ModuleAnalysis, scope: GraphScope, node: ast.expr) -> str | None:
    """Why tf.print may show other values than eager print did, or None.

    A tensor's or variable's values print the same (eager print only wraps them in
    `tf.Tensor(...)` / `<tf.Variable ...>`), and so does a Python value that is fixed
    for a trace (a literal, a local computed from the arguments). Python state read
    from an attribute or an outer name may change between calls without a new trace.
    """
    facts = module.tensors(scope)
    if isinstance(node, ast.Constant) or facts.is_tensor(node):
        return None
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "shape"
        and isinstance(node.slice, ast.Constant)
        and type(node.slice.value) is int
        and _static_shape(facts.of(node.value), node.slice.value)
    ):
        return None  # `x.shape[1]` of a static dimension
    for part in ast.walk(node):
        if isinstance(part, ast.Attribute) and part.attr == "shape":
            if not _static_shape(facts.of(part)):
                return _SHAPE.format(name=ast.unparse(part))
            continue
        if isinstance(part, ast.Attribute) and _is_state(module, scope, part):
            return _STATE.format(name=ast.unparse(part))
        if isinstance(part, ast.Name) and _is_outer(module, scope, part):
            return _STATE.format(name=part.id)
    return None


def _is_state(module: ModuleAnalysis, scope: GraphScope, node: ast.Attribute) -> bool:
    """`self.epoch`, `config.step`: an attribute of an object, not of a module or tensor."""
    if module.imports.resolve(node) is not None or module.tensors(scope).is_tensor(node):
        return False
    return not module.tensors(scope).is_tensor(node.value) or node.attr not in ("dtype", "ndim", "name")


def _is_outer(module: ModuleAnalysis, scope: GraphScope, node: ast.Name) -> bool:
    if node.id in scope.local_names or node.id in module.constants or module.imports.resolve(node) is not None:
        return False  # a local, a module constant (`LABEL = "epoch"`) or a module
    if module.tensors(scope).is_tensor(node):
        return False
    return node.id not in _BUILTINS


_BUILTINS = frozenset(dir(builtins))


def may_be_summarized(fact: Fact) -> bool:
    """Whether tf.print may abbreviate the value (more than 3 items at a dimension's ends)."""
    if fact.is_python(*_PYTHON_SCALARS):
        return False
    if fact.is_python():
        return True  # a list or tuple may hold tensors
    shape = fact.shape
    if isinstance(shape, tuple) and all(isinstance(d, int) for d in shape):
        return any(d > 2 * _TF_PRINT_EDGE_ITEMS for d in shape)  # type: ignore[operator]
    return True
