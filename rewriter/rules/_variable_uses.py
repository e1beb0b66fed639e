"""How a variable created in a graph is used, and text helpers for hoisting it (AG005).

The fix hands out one variable where eager code made a new one per call; that is only
invisible while the variable is used for its value: read, assigned, differentiated,
passed to TensorFlow. `use_edits` finds the uses that would see the difference.
"""

from __future__ import annotations

import ast
import io
import tokenize

from rewriter.analyze import ModuleAnalysis, tf_api
from rewriter.analyze.scope_facts import ScopeFacts
from rewriter.analyze.scopes import GraphScope
from rewriter.edits import Edit

_TAPE_METHODS = frozenset({"gradient", "watch", "jacobian", "batch_jacobian"})


def alone_on_its_lines(module: ModuleAnalysis, statement: ast.stmt) -> bool:
    """Nothing but indentation before it, nothing but a comment after it."""
    lines = module.lines
    start, end = lines.node_range(statement)
    before = module.text[lines.line_start(statement.lineno) : start]
    row = statement.end_lineno or statement.lineno
    after = lines.line_text(row)[end - lines.line_start(row) :].strip()
    return not before.strip() and (not after or after.startswith("#"))


def shifted(text: str, unit: str = "    ") -> str:
    """Continuation lines moved one level (`unit`) right, as the text moves under an `if`."""
    if "\n" not in text:
        return text
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return text
    if any(t.type == tokenize.STRING and t.start[0] != t.end[0] for t in tokens):
        return text  # a line break inside a string literal must stay as it is
    return text.replace("\n", "\n" + unit)


def static_shape_read(scope: GraphScope, target: ast.expr) -> bool:
    """`v.shape`, `v.get_shape()`, `v.ndim` or `len(v)` somewhere in the function."""
    text = ast.dump(target)
    for node in scope.nodes():
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("shape", "get_shape", "ndim")
            and ast.dump(node.value).replace("Store", "Load") == text.replace("Store", "Load")
        ):
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "len"
            and node.args
            and ast.dump(node.args[0]).replace("Store", "Load") == text.replace("Store", "Load")
        ):
            return True
    return False


def pure(module: ModuleAnalysis, init: ast.expr) -> bool:
    for node in ast.walk(init):
        if isinstance(node, ast.Call):
            name = module.imports.resolve(node.func) or ""
            if not (
                name.startswith("tensorflow.")
                or name.removeprefix("builtins.") in tf_api.PURE_BUILTINS
                and name.startswith("builtins.")
            ):
                return False
    return True


def use_edits(
    module: ModuleAnalysis, scope: GraphScope, facts: ScopeFacts, target: ast.Name
) -> tuple[list[Edit], list[str]]:
    """`.read_value()` for returned uses; reasons when the variable escapes as an object."""
    edits: list[Edit] = []
    reasons: list[str] = []
    for node in ast.walk(scope.node):
        if (
            isinstance(node, (ast.FunctionDef, ast.Lambda))
            and node is not scope.node
            and any(isinstance(n, ast.Name) and n.id == target.id for n in ast.walk(node))
        ):
            reasons.append(f"`{target.id}` is used by a nested function")
    for node in scope.nodes():
        if not (isinstance(node, ast.Name) and node.id == target.id and isinstance(node.ctx, ast.Load)):
            continue
        parent = facts.parents.get(node)
        if isinstance(parent, (ast.Tuple, ast.List)) and isinstance(facts.parents.get(parent), ast.Return):
            parent = facts.parents.get(parent)
        if isinstance(parent, ast.Return):
            end = module.lines.node_range(node)[1]
            edits.append(Edit(end, end, ".read_value()"))
            reasons.append(
                f"`{target.id}` is returned: eagerly the caller got a new variable it may use as one "
                "(`.assign`, identity), the fix returns its value"
            )
        elif not _reads_value(module, facts, node, parent):
            reasons.append(f"`{target.id}` is used as an object, and the fix always hands out the same variable")
    return edits, reasons


def _reads_value(module: ModuleAnalysis, facts: ScopeFacts, node: ast.Name, parent: ast.AST | None) -> bool:
    if isinstance(parent, (ast.Attribute, ast.Subscript)):
        return parent.value is node
    if isinstance(parent, (ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.FormattedValue)):
        return True
    if isinstance(parent, ast.AugAssign):
        return parent.value is node  # `total += v` reads the value
    if isinstance(parent, (ast.List, ast.Tuple)):
        node, parent = parent, facts.parents.get(parent)  # type: ignore[assignment]
    if isinstance(parent, ast.keyword):
        parent = facts.parents.get(parent)
    if isinstance(parent, ast.Call) and parent.func is not node:
        name = module.imports.resolve(parent.func) or ""
        return name.startswith("tensorflow.") or (
            isinstance(parent.func, ast.Attribute) and parent.func.attr in _TAPE_METHODS
        )
    return False
