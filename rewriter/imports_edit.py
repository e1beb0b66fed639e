"""Turns a fix's ImportRequests into text edits at one well-defined place."""

from __future__ import annotations

import ast
import re
import sys

from rewriter.analyze.syntax import first_import_run, is_docstring
from rewriter.edits import Edit, ImportRequest
from rewriter.source import LineIndex

_STDLIB = frozenset(sys.stdlib_module_names)


def import_edits(requests: tuple[ImportRequest, ...], tree: ast.Module, lines: LineIndex) -> tuple[Edit, ...]:
    edits = []
    for request in requests:
        offset, needs_break, new_group, after_group = _insertion_point(request.module, tree, lines)
        statement = (
            f"import {request.module}"
            if request.module == request.name
            else f"import {request.module} as {request.name}"
        )
        content = f"\n{statement}" if needs_break else f"{statement}\n"
        if new_group:
            content += "\n"  # the first of its group (standard library, third party)
        if after_group:
            content = "\n" + content  # a section of its own after the last one
        edits.append(Edit(offset, offset, content))
    if edits and not any(isinstance(node, (ast.Import, ast.ImportFrom)) for node in tree.body):
        # The module's first imports: the blank lines isort leaves before the code.
        last = max(range(len(edits)), key=lambda i: edits[i])  # the one applied last
        extra = "\n" * _blank_lines_wanted(tree, lines, edits[last].start)
        edits[last] = Edit(edits[last].start, edits[last].end, edits[last].content + extra)
    return tuple(edits)


def _blank_lines_wanted(tree: ast.Module, lines: LineIndex, offset: int) -> int:
    """Blank lines to add after imports inserted at `offset` before the module's code:
    two before a def or class, one before other code, less those already there."""
    following = next(
        (
            node
            for node in tree.body
            if lines.line_start(min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])) >= offset
        ),
        None,
    )
    if following is None:
        return 0
    first = min([following.lineno] + [d.lineno for d in getattr(following, "decorator_list", [])])
    wanted = 2 if isinstance(following, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else 1
    row = lines.row_col(offset)[0] if offset < len(lines.text) else first
    blank = sum(1 for r in range(row, first) if not lines.line_text(r).strip())
    return max(0, wanted - blank)


def _insertion_point(module: str, tree: ast.Module, lines: LineIndex) -> tuple[int, bool, bool, bool]:
    """Where `import module` goes, roughly where isort would put it.

    In the leading block of top-level imports: before the first import that sorts after
    it (standard library first, then the rest, by name); after the block otherwise.
    With no imports: after the docstring, else after leading comment lines.
    """
    key = _sort_key(module, False)
    block = [tree.body[i] for i in first_import_run(tree.body)]
    previous_group = None
    previous: ast.stmt | None = None
    for node in block:
        name = _imported_module(node)
        node_key = _sort_key(name, isinstance(node, ast.ImportFrom))
        if name != "__future__" and node_key > key:
            if previous is not None and previous_group == key[0] and node_key[0] != key[0]:
                # The last of its own section: right after it, before the blank line.
                return lines.line_start((previous.end_lineno or previous.lineno) + 1), False, False, False
            new_group = previous_group != key[0] and node_key[0] != key[0]
            return lines.line_start(node.lineno), False, new_group, False
        previous_group = None if name == "__future__" else node_key[0]
        previous = node
    anchor: ast.stmt | None = (
        block[-1] if block else (tree.body[0] if tree.body and is_docstring(tree.body[0]) else None)
    )
    if block and previous_group is not None and previous_group != key[0]:
        # After the last group, of another section: a blank line between the sections.
        row = block[-1].end_lineno or block[-1].lineno
        if row < len(lines.line_starts):
            return lines.line_start(row + 1), False, False, True
        return len(lines.text), True, False, True
    if anchor is None:
        # Keep a shebang, coding cookie or licence header first.
        row = 1
        while row < len(lines.line_starts) and lines.line_text(row).lstrip().startswith("#"):
            row += 1
        return lines.line_start(row), False, False, False
    row = anchor.end_lineno or anchor.lineno
    if row < len(lines.line_starts):
        return lines.line_start(row + 1), False, False, False
    return len(lines.text), True, False, False  # the anchor is on the last line, which has no line end


def _imported_module(node: ast.stmt) -> str:
    if isinstance(node, ast.Import):
        return node.names[0].name
    assert isinstance(node, ast.ImportFrom)
    return "." * node.level + (node.module or "")


def _sort_key(module: str, from_import: bool = False) -> tuple[int, bool, str]:
    """isort's and Ruff's order: sections (standard library, third party, local), and
    in each, `import x` before `from x import y` (force-sort-within-sections off), by name."""
    top = module.split(".")[0]
    if module.startswith("."):
        return 2, from_import, module
    return (0 if top in _STDLIB else 1), from_import, module.lower()


def unused_import_removals(original: ast.Module, fixed: ast.Module, fixed_text: str, filename: str) -> list[str]:
    """Names of top-level imports that the fixes left unused, to be removed.

    An import goes when the original used a name it binds and the fixed text no longer
    mentions the name anywhere else (a word check, so comments, strings and a
    notebook's other cells keep it; a notebook with magic lines keeps all). Kept: `__init__.py` files and names listed in
    `__all__` (re-exports), `__future__`, dotted imports, statements that also bind a
    name still in use, and lines with a `noqa` comment.
    """
    if filename.replace("\\", "/").rsplit("/", 1)[-1] == "__init__.py":
        return []
    if "# tfrewrite-masked-" in fixed_text:
        return []  # a notebook's magic lines are masked here; they may use the name
    exported = _exported(fixed)
    if exported is None:
        return []
    used_before = {
        node.id for node in ast.walk(original) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }
    lines = LineIndex(fixed_text)
    names = []
    for node in fixed.body:
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.ImportFrom) and (node.module == "__future__" or any(a.name == "*" for a in node.names)):
            continue
        if isinstance(node, ast.Import) and any("." in a.name and not a.asname for a in node.names):
            continue
        bound = [alias.asname or alias.name for alias in node.names]
        if "noqa" in fixed_text[lines.line_start(node.lineno) : lines.line_start((node.end_lineno or node.lineno) + 1)]:
            continue
        if not all(name in used_before and name not in exported for name in bound):
            continue
        start, end = lines.node_range(node)
        rest = fixed_text[:start] + fixed_text[end:]
        if all(re.search(rf"(?<![\w.]){re.escape(name)}\b", rest) is None for name in bound):
            names.extend(bound)
    return names


def _exported(tree: ast.Module) -> set[str] | None:
    """The names `__all__` lists; None when it is built in a way we cannot read."""
    exported: set[str] = set()
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, (ast.AugAssign, ast.AnnAssign))
            else []
        )
        if not any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            continue
        value = getattr(node, "value", None)
        if not isinstance(value, (ast.List, ast.Tuple)) or not all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts
        ):
            return None
        exported |= {e.value for e in value.elts}  # type: ignore[attr-defined]
    return exported


def import_removal(tree: ast.Module, lines: LineIndex, name: str) -> Edit | None:
    """The edit deleting the top-level import statement that binds `name`, with a blank
    line after it when it stood alone between blank lines (its group goes with it)."""
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)) and name in [a.asname or a.name for a in node.names]:
            start = lines.line_start(node.lineno)
            last = node.end_lineno or node.lineno
            if last >= len(lines.line_starts):
                return Edit(start, len(lines.text), "")
            end = lines.line_start(last + 1)
            before_blank = node.lineno == 1 or not lines.line_text(node.lineno - 1).strip()
            if before_blank and last + 1 < len(lines.line_starts) and not lines.line_text(last + 1).strip():
                end = lines.line_start(last + 2)
            return Edit(start, end, "")
    return None


def without_unused_imports(original: str, fixed: str, filename: str = "<string>") -> tuple[str, list[str]]:
    """`fixed` without the imports its fixes left unused (see `unused_import_removals`),
    and the names removed."""
    from rewriter.fix import apply_edits
    from rewriter.source import dominant_newline

    tree = ast.parse(fixed)
    names = unused_import_removals(ast.parse(original), tree, fixed, filename)
    if not names:
        return fixed, []
    lines = LineIndex(fixed)
    newline = dominant_newline(fixed)
    edits = []
    for name in names:
        edit = import_removal(tree, lines, name)
        if edit is not None and edit not in edits:
            edits.append(Edit(edit.start, edit.end, edit.content.replace("\n", newline)))
    return apply_edits(fixed, edits), names
