"""IPython syntax in code cells, masked so that the cells parse as Python.

IPython-only lines (`%magic`, `!shell`, `obj?`, automagic such as `pip install x`) become
placeholders: a comment at the left margin, `pass` where indented; a `%%` cell magic masks
its whole cell. After fixing, the placeholders are put back verbatim, and a fix that
removed or duplicated one is refused.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass, field

from rewriter.cells import CellText, NotebookError

# Placeholders for masked lines: a comment at the left margin, `pass` where indented.
_PLACEHOLDER = "tfrewrite-masked-{key}"
_PLACEHOLDER_LINE = re.compile(r"^([ \t]*)(?:pass  )?# tfrewrite-masked-(\d+)[ \t]*$", re.MULTILINE)

# Line magics IPython runs without `%` (automagic), masked when the line is not Python.
_AUTOMAGIC = frozenset(
    {
        "alias",
        "autoreload",
        "cd",
        "conda",
        "config",
        "env",
        "history",
        "load",
        "load_ext",
        "ls",
        "matplotlib",
        "mkdir",
        "pip",
        "pwd",
        "reload_ext",
        "reset",
        "rm",
        "run",
        "set_env",
        "tensorboard",
        "time",
        "timeit",
        "who",
        "whos",
    }
)
# A magic's name and a space, or alone; `config = RunConfig(...)` is an assignment, not
# the `%config` automagic (IPython does not treat `name = ...` as a magic either).
_AUTOMAGIC_LINE = re.compile(r"^[ \t]*([A-Za-z_]\w*)(?:[ \t]++(?!=(?!=))|$)")
_MAGIC_ASSIGNMENT = re.compile(r"^[ \t]*[\w.,() \t]+=[ \t]*[%!]")


@dataclass
class Masked:
    """The view with IPython lines replaced by placeholders, and how to put them back."""

    text: str
    originals: dict[int, tuple[str, bool]] = field(default_factory=dict)  # key -> (line, verbatim)

    def unmask(self, text: str) -> str:
        """`text` (the masked text after fixes) with every placeholder restored.

        Raises NotebookError when a fix removed or duplicated a placeholder.
        """
        seen: set[int] = set()

        def restore(match: re.Match[str]) -> str:
            key = int(match.group(2))
            if key not in self.originals or key in seen:
                raise NotebookError("a fix changed an IPython magic or shell line")
            seen.add(key)
            line, verbatim = self.originals[key]
            return line if verbatim else match.group(1) + line.lstrip(" \t")

        restored = _PLACEHOLDER_LINE.sub(restore, text)
        if len(seen) != len(self.originals):
            raise NotebookError("a fix removed an IPython magic or shell line")
        return restored


def parses(text: str) -> bool:
    return _tree(text) is not None


def _tree(text: str) -> ast.Module | None:
    """The text's syntax tree, or None when it does not parse (warnings silenced)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def mask_cell(cell: CellText, masked: Masked, mask_future: bool = False) -> str:
    """The cell's view text with IPython-only lines replaced by placeholders.

    With `mask_future`, its `from __future__` imports are kept verbatim too (they are
    valid at the top of a cell, not in the middle of the joined module).
    """
    text = cell.view_text
    awaiting = top_level_await_rows(text) if "await" in text else set()
    if mask_future:
        awaiting |= future_import_rows(text)
    if not awaiting and parses(text):
        return text
    lines = text.splitlines(keepends=True)
    opaque = bool(lines) and lines[0].lstrip(" \t").startswith("%%")
    result, originals = _placeholders(lines, len(masked.originals), opaque, awaiting)
    if not awaiting and "await" in result:
        awaiting = top_level_await_rows(result)
        if awaiting:
            result, originals = _placeholders(lines, len(masked.originals), opaque, awaiting)
    first = next((line for line in lines if line.strip()), "")
    if not parses(result) and not opaque and first[:1] in (" ", "\t"):
        # timid: IPython strips a leading indent common to the cell before running it;
        # analysing the cell dedented would shift every column, so it is kept verbatim
        # and not analysed.
        result, originals = _placeholders(lines, len(masked.originals), True)
    if not parses(result):
        try:
            ast.parse(result)
        except SyntaxError as exc:
            where = f" (line {exc.lineno}, column {exc.offset})" if exc.lineno else ""
            raise NotebookError(f"cell {cell.number}: {type(exc).__name__}: {exc.msg}{where}") from None
        except (ValueError, RecursionError, MemoryError) as exc:
            raise NotebookError(f"cell {cell.number}: cannot parse: {exc}") from None
    masked.originals.update(originals)
    return result


def _placeholders(
    lines: list[str], used: int, opaque: bool, whole: frozenset[int] | set[int] = frozenset()
) -> tuple[str, dict[int, tuple[str, bool]]]:
    """The lines with IPython ones (every one when `opaque`, and the 1-based rows in
    `whole`) replaced by placeholders numbered after `used`, and the replaced lines."""
    originals: dict[int, tuple[str, bool]] = {}
    out = []
    continued = False
    for row, line in enumerate(lines, 1):
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        verbatim = opaque or continued or row in whole
        if verbatim or _is_ipython_line(body):
            key = used + len(originals) + 1
            originals[key] = (body, verbatim)
            indent = "" if verbatim else body[: len(body) - len(body.lstrip(" \t"))]
            placeholder = _PLACEHOLDER.format(key=key)
            out.append((f"{indent}pass  # {placeholder}" if indent else f"# {placeholder}") + ending)
            continued = not opaque and body.endswith("\\")
        else:
            out.append(line)
    return "".join(out), originals


def future_import_rows(text: str) -> set[int]:
    """Rows of the top-level `from __future__ import ...` statements of a cell."""
    tree = _tree(text) if "__future__" in text else None
    if tree is None:
        return set()
    return {
        row
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "__future__"
        for row in range(node.lineno, (node.end_lineno or node.lineno) + 1)
    }


def top_level_await_rows(text: str) -> set[int]:
    """Rows of the top-level statements that `await` outside any function.

    IPython runs them (top-level await), but a module with them does not compile, which
    is how every fixed text is checked; they are kept verbatim and not analysed.
    """
    tree = _tree(text)
    if tree is None:
        return set()
    rows: set[int] = set()
    for statement in tree.body:
        pending: list[ast.AST] = [statement]
        while pending:
            node = pending.pop()
            if isinstance(node, (ast.Await, ast.AsyncFor, ast.AsyncWith)) or (
                isinstance(node, ast.comprehension) and node.is_async
            ):
                rows.update(range(statement.lineno, (statement.end_lineno or statement.lineno) + 1))
                break
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                pending.extend(ast.iter_child_nodes(node))
    return rows


def _is_ipython_line(line: str) -> bool:
    stripped = line.strip(" \t")
    if not stripped or stripped.startswith("#"):
        return False
    if stripped[0] in "%!?":
        return True
    if _MAGIC_ASSIGNMENT.match(line) and not parses(stripped):
        return True  # `files = !ls`, `t = %timeit -o f()`
    if stripped.endswith("?") and not parses(stripped):
        return True  # `tf.function?`, `obj??`
    match = _AUTOMAGIC_LINE.match(line)
    if match and match.group(1) in _AUTOMAGIC and not parses(stripped):
        return True  # `pip install -q tensorflow`
    return False
