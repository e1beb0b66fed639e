"""Display-only fixes that move a statement above the loop or function around it.

`fast = tf.function(f)` made on every iteration or every call can be made once,
before the loop or at module level, when it reads nothing bound there; these helpers
find the names a statement reads and the names the code around it binds.
"""

from __future__ import annotations

import ast

from rewriter.analyze import ModuleAnalysis
from rewriter.rules._base import Applicability, Edit, Fix
from rewriter.source import has_comment


def hoist_to_module(module: ModuleAnalysis, statement: ast.Assign, outer: ast.FunctionDef) -> Fix | None:
    """Moving `statement` out of the module-level function `outer`, just above it, when it
    reads only module names bound above `outer` and its target is no module name."""
    if outer not in module.tree.body:
        return None
    target = statement.targets[0]
    assert isinstance(target, ast.Name)
    args = outer.args
    local = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg] if a}
    local |= stored_names(outer.body)
    free = free_names(statement.value)
    top = min([outer.lineno, *(d.lineno for d in outer.decorator_list)])
    above = _module_bindings([n for n in module.tree.body if n.lineno < top])
    module_names = _module_bindings(module.tree.body)
    declared = {n for s in ast.walk(outer) if isinstance(s, (ast.Global, ast.Nonlocal)) for n in s.names}
    if free & local or not free <= above or target.id in module_names or declared:
        return None
    if sum(1 for n in stored_nodes(outer.body) if n.id == target.id) != 1:
        return None
    return move_before(module, statement, outer, f"Create it once, above `{outer.name}`", blank_lines=2)


def move_before(
    module: ModuleAnalysis, statement: ast.stmt, anchor: ast.stmt, title: str, blank_lines: int = 0
) -> Fix | None:
    """A display-only fix moving the one-line-or-more `statement` to just above `anchor`
    (its decorators included), at `anchor`'s indentation."""
    lines = module.lines
    first_row = min([anchor.lineno, *(d.lineno for d in getattr(anchor, "decorator_list", []))])
    end_row = statement.end_lineno or statement.lineno
    line = lines.line_text(statement.lineno)
    tail = lines.line_text(end_row)
    own_line = line[: statement.col_offset].strip() == "" and tail[statement.end_col_offset or 0 :].strip() in (
        "",
        "\\",
    )
    if not own_line or has_comment(lines.segment(statement)):
        return None  # timid: shares its line with another statement, or holds a comment
    indent = lines.line_text(first_row)[: anchor.col_offset]
    text = lines.segment(statement)
    start = lines.line_start(statement.lineno)
    end = lines.line_start(end_row + 1) if end_row < len(lines.line_starts) else len(lines.text)
    insertion = lines.line_start(first_row)
    moved = indent + text + "\n" + "\n" * blank_lines
    return Fix(
        Applicability.DISPLAY_ONLY,
        f"{title} (eager code is not changed; assumes the function reads no Python state that changes between calls)",
        (Edit(insertion, insertion, moved), Edit(start, end, "")),
    )


def stored_nodes(nodes: list[ast.AST] | list[ast.stmt] | list[ast.expr]) -> list[ast.Name]:
    return [n for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]


def stored_names(nodes: list[ast.AST] | list[ast.stmt] | list[ast.expr]) -> set[str]:
    names = {n.id for n in stored_nodes(nodes)}
    for node in nodes:
        for part in ast.walk(node):
            names |= _defined_names(part)
    return names


def _module_bindings(statements: list[ast.stmt]) -> set[str]:
    """Names module-level statements bind (not looking into functions or classes)."""
    names: set[str] = set()
    pending: list[ast.AST] = list(statements)
    while pending:
        node = pending.pop()
        names |= _defined_names(node)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            pending.extend(ast.iter_child_nodes(node))
    return names


def _defined_names(node: ast.AST) -> set[str]:
    """Names a def, class or import statement binds."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    return set()


def free_names(node: ast.AST) -> set[str]:
    """Names `node` reads that it does not bind itself (a lambda's parameters are bound)."""
    bound: set[str] = set()
    for part in ast.walk(node):
        if isinstance(part, ast.Lambda):
            arguments = part.args
            bound |= {a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]}
            bound |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a}
        elif isinstance(part, ast.comprehension):
            bound |= {n.id for n in ast.walk(part.target) if isinstance(n, ast.Name)}
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - bound
