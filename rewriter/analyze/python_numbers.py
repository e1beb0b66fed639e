"""Names that hold Python numbers where a call is, and arithmetic that stays a Python number.

A Python number passed to a tf.function is part of its trace's key; an expression
that reads only a loop counter and such names is a new key on every iteration.
Anything else it reads may be a tensor, which would make the result one too.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from rewriter.analyze.call_sites import Parents
from rewriter.analyze.nodes import walk

if TYPE_CHECKING:
    from rewriter.analyze import ModuleAnalysis


_PYTHON_NUMBER_CALLS = frozenset({"builtins.float", "builtins.int", "builtins.abs", "builtins.round"})


def python_expression_of(
    node: ast.expr, counters: dict[str, str], numbers: dict[str, str], module: ModuleAnalysis
) -> str | None:
    """The loop counter a pure-Python arithmetic expression reads (None when not one).

    Every name it reads must be a loop counter or a name known to hold a Python number
    (`numbers`); anything else may be a tensor, which would make the result one too.
    """
    found: str | None = None
    for part in walk(node):
        if isinstance(part, ast.Name) and isinstance(part.ctx, ast.Load):
            if part.id in counters:
                found = counters[part.id]
            elif part.id not in numbers and module.imports.resolve(part) not in _PYTHON_NUMBER_CALLS:
                return None
        elif isinstance(part, ast.Call):
            if module.imports.resolve(part.func) not in _PYTHON_NUMBER_CALLS:
                return None  # `tf.constant(k)`, `make(k)`: not known to be a Python number
        elif not isinstance(part, (ast.BinOp, ast.UnaryOp, ast.Constant, ast.operator, ast.unaryop, ast.expr_context)):
            return None
    return found


def number_names(module: ModuleAnalysis, node: ast.AST, parents: Parents) -> dict[str, str]:
    """Names that hold Python numbers where `node` is, with "int" or "float": module
    constants, and in the enclosing function, parameters with a number default and names
    only ever assigned number literals."""
    names = {name: str(fact.pytype) for name, fact in module.constants.items() if fact.is_python("int", "float")}
    function = parents.get(node)
    while function is not None and not isinstance(function, ast.FunctionDef):
        function = parents.get(function)
    if function is None:
        return names
    args = function.args
    positional = args.posonlyargs + args.args
    pairs = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults))
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
    for parameter, default in pairs:
        if isinstance(default, ast.Constant) and type(default.value) in (int, float):
            names[parameter.arg] = type(default.value).__name__
    assigned: dict[str, str | None] = {}
    for statement in walk(function):
        if isinstance(statement, ast.Assign):
            value = statement.value
            kind = type(value.value).__name__ if isinstance(value, ast.Constant) else None
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    previous = assigned.get(target.id, kind)
                    assigned[target.id] = kind if kind in ("int", "float") and previous == kind else None
        elif isinstance(statement, (ast.AugAssign, ast.AnnAssign)) and isinstance(statement.target, ast.Name):
            assigned[statement.target.id] = None
    names.update({name: kind for name, kind in assigned.items() if kind is not None})
    return names
