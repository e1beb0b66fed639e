"""Small facts about syntax that several analyses and rules need, written once.

A method's `self` parameter, the name at the root of `a.b.c` (or the expression under
its subscripts and attributes), the parent of each node and how often a function binds
a name.
"""

from __future__ import annotations

import ast
from collections import Counter
from typing import TYPE_CHECKING

from rewriter.analyze.nodes import parent_map as parent_map  # one parent map for every caller

if TYPE_CHECKING:
    from rewriter.analyze.scopes import GraphScope


def first_row(statement: ast.stmt) -> int:
    """The row a statement starts on, counting its decorators."""
    decorators = getattr(statement, "decorator_list", None)
    return min(d.lineno for d in decorators) if decorators else statement.lineno


def is_docstring(statement: ast.stmt) -> bool:
    """A string literal on its own (a docstring where it opens a module, class or function)."""
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def first_import_run(body: list[ast.stmt]) -> range:
    """The indices of the module's first run of top-level imports: where a new import
    goes (`rewriter.imports_edit`), and what statement groups keep in their context.
    Empty, at len(body), without imports."""
    kinds = (ast.Import, ast.ImportFrom)
    start = next((i for i, node in enumerate(body) if isinstance(node, kinds)), len(body))
    end = next((i for i in range(start, len(body)) if not isinstance(body[i], kinds)), len(body))
    return range(start, end)


def self_parameter(scope: GraphScope) -> str | None:
    """The name of `self` in a method (None for functions, lambdas, static and class methods)."""
    node = scope.node
    if scope.class_node is None or isinstance(node, ast.Lambda):
        return None
    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Name) and decorator.id in ("staticmethod", "classmethod"):
            return None
    params = node.args.posonlyargs + node.args.args
    return params[0].arg if params else None


def root_name(node: ast.expr) -> str | None:
    """`a` for `a`, `a.b` and `a.b.c`; None when the chain starts elsewhere (`f().b`)."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def unsubscripted(node: ast.expr) -> ast.expr:
    """`x` for `x`, `x[i]` and `x[i][j]`: the expression under any subscripts."""
    while isinstance(node, ast.Subscript):
        node = node.value
    return node


def access_root(node: ast.expr) -> ast.expr:
    """`a` for `a`, `a.b[k]` and `a[k].b.c`: the expression under any attributes and subscripts."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node


def parameters(function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> list[ast.arg]:
    """Every parameter of `function`, `*args` and `**kwargs` included."""
    args = function.args
    return args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]


def binding_counts(function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> Counter[str]:
    """How many times `function` (nested functions included) binds each name.

    A parameter counts once, every assignment target once, and a `global` or
    `nonlocal` declaration twice (the name is bound elsewhere too).
    """
    counts = Counter(a.arg for a in parameters(function))
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            counts[node.id] += 1
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in set(node.names):
                counts[name] += 2
    return counts
