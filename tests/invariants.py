"""Independent checks of a rewrite: patch and JSON-edit appliers, rows inside graph scopes.

These deliberately do not reuse the engine's own helpers (LineIndex, apply_edits), so a
bug there cannot hide itself.
"""

from __future__ import annotations

import ast
import difflib
import re
import warnings
from collections import Counter

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.project import Incoming
from rewriter.settings import Settings

_LINE_END = re.compile(r"\r\n|\r|\n")
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
IMPORT_LINE = re.compile(r"^(import [\w.]+( as \w+)?|from [\w.]+ import [\w, ]+)?[ \t]*$")


def split_lines(text: str) -> list[str]:
    """Lines with their ends, split only where Python ends a line."""
    lines, start = [], 0
    for match in _LINE_END.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def apply_unified_diff(original: str, patch: str) -> str:
    """Apply a one-file unified diff (as `--diff` prints it) to `original`, strictly."""
    old = split_lines(original)
    out: list[str] = []
    position = 0
    body = split_lines(patch)
    index = 0
    while index < len(body) and not body[index].startswith("@@"):
        index += 1
    while index < len(body):
        match = _HUNK.match(body[index])
        assert match, f"not a hunk header: {body[index]!r}"
        start = int(match[1]) - (0 if match[2] == "0" else 1)
        out.extend(old[position:start])
        position = start
        index += 1
        while index < len(body) and not body[index].startswith("@@"):
            line = body[index]
            tag, content = line[0], line[1:]
            if index + 1 < len(body) and body[index + 1].startswith("\\ No newline"):
                content = content[: len(content) - len(_ending(content))]
                index += 1
            if tag in " -":
                assert old[position] == content, f"context mismatch at line {position + 1}"
                position += 1
            if tag in " +":
                out.append(content)
            index += 1
    out.extend(old[position:])
    return "".join(out)


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :]


def apply_json_edits(original: str, diagnostics: list[dict], applicabilities: set[str]) -> str | None:
    """The text after every edit of the chosen fixes; None when two fixes overlap."""
    starts = [0]
    for line in split_lines(original):
        starts.append(starts[-1] + len(line))

    def offset(location: dict[str, int]) -> int:
        return starts[location["row"] - 1] + location["column"] - 1

    edits = set()
    for diagnostic in diagnostics:
        fix = diagnostic["fix"]
        if fix is None or fix["applicability"] not in applicabilities:
            continue
        edits.update((offset(e["location"]), offset(e["end_location"]), e["content"]) for e in fix["edits"])
    ordered = sorted(edits)
    for (s1, e1, _), (s2, e2, _) in zip(ordered, ordered[1:]):
        if s2 < e1 or (s1 == e1 == s2 == e2):
            return None  # overlapping, or two insertions whose order the engine decides
    text = original
    for start, end, content in reversed(ordered):
        text = text[:start] + content + text[end:]
    return text


def graph_rows(text: str, incoming: Incoming | None = None) -> set[int]:
    """Rows (1-based) of graph code: the graph scopes' own statements, headers and decorators.

    Bodies of nested functions that are not graph scopes themselves are excluded.
    `incoming`: the facts other files of the run give (`rewriter.project_index`).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(text)
    module = ModuleAnalysis(text, tree, Settings(), "<graph_rows>", incoming)
    rows: set[int] = set()
    for scope in module.graph_scopes:
        function = scope.node
        first = min([function.lineno] + [d.lineno for d in function.decorator_list])
        rows.update(range(first, function.body[0].lineno))
        for node in scope.nodes():
            if not isinstance(node, (ast.stmt, ast.expr)) or not hasattr(node, "end_lineno"):
                continue
            body = getattr(node, "body", None)
            if isinstance(node, ast.stmt) and isinstance(body, list) and body:
                # A compound statement: its header rows only; its blocks are walked too.
                rows.update(range(node.lineno, body[0].lineno))
                for name in ("orelse", "finalbody"):
                    block = getattr(node, name, None) or []
                    if block:
                        rows.update(range(block[0].lineno - 1, block[0].lineno))
                for handler in getattr(node, "handlers", []):
                    rows.update(range(handler.lineno, handler.body[0].lineno))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            else:
                rows.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return rows


def eager_body_rows(text: str) -> dict[int, int]:
    """Rows inside the bodies of functions that are not graph scopes -> the body's indent."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(text)
    graph = {scope.node for scope in ModuleAnalysis(text, tree, Settings(), "<rows>").graph_scopes}
    lines = split_lines(text)
    rows: dict[int, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node not in graph:
            first = lines[node.body[0].lineno - 1]
            indent = len(first) - len(first.lstrip(" \t\f"))
            for row in range(node.body[0].lineno, (node.end_lineno or node.lineno) + 1):
                rows[row] = max(rows.get(row, 0), indent)
    return rows


def inserted_into_eager_body(before: int, inserted: list[str], eager: dict[int, int]) -> bool:
    """Whether lines inserted after row `before` land in an eager function's body."""
    if before + 1 in eager:
        return True  # between two rows of a body, or right after its `def` line
    if before in eager:
        # After a body's last row: inside when indented as deep as that body.
        text = next((line for line in inserted if line.strip()), "")
        return len(text) - len(text.lstrip(" \t\f")) >= eager[before]
    return False


def rows_changed_outside(original: str, fixed: str, incoming: Incoming | None = None) -> list[int]:
    """Original rows changed outside graph code, or lines inserted into eager function bodies.

    Added imports are allowed anywhere, and removed ones (left unused); so are new definitions at module or class level
    (a rule may add a holder for state), as long as no existing line changes.
    """
    rows = graph_rows(original, incoming)
    eager = eager_body_rows(original)
    old, new = split_lines(original), split_lines(fixed)
    outside: list[int] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag in ("delete", "replace") and all(
            IMPORT_LINE.match(line.rstrip("\r\n")) for line in old[i1:i2] + new[j1:j2]
        ):
            continue  # imports the fixes left unused, or these and imports the fixes need (IMPORT_LINE matches blank lines too)
        if tag == "insert":
            if all(IMPORT_LINE.match(line.rstrip("\r\n")) for line in new[j1:j2]):
                continue
            if not ({i1, i1 + 1} & rows) and inserted_into_eager_body(i1, new[j1:j2], eager):
                outside.append(i1 + 1)
            continue
        outside.extend(row for row in range(i1 + 1, i2 + 1) if row not in rows)
    return outside


NAME_CODES = "F821,F841,F811"  # undefined name, unused local, redefinition of an unused name


def ruff_executable() -> str | None:
    import shutil
    import sys
    from pathlib import Path

    return shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")


def name_findings(folder: object) -> dict[str, Counter[tuple[str, str]]]:
    """Ruff's name findings per file (relative path) under `folder`, without locations."""
    import json
    import subprocess
    from pathlib import Path

    ruff = ruff_executable()
    assert ruff is not None, "ruff is not installed"
    root = Path(str(folder))
    completed = subprocess.run(
        [ruff, "check", "--isolated", "--no-cache", "--select", NAME_CODES, "--output-format", "json", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"ruff failed: {completed.stderr.strip()[:300]}")
    found: dict[str, Counter[tuple[str, str]]] = {}
    for item in json.loads(completed.stdout or "[]"):
        relative = Path(item["filename"]).resolve().relative_to(root.resolve()).as_posix()
        found.setdefault(relative, Counter())[(item["code"], item["message"])] += 1
    return found


def new_name_findings(before: object, after: object) -> dict[str, list[tuple[str, str]]]:
    """Name findings in the files under `after` that the same file under `before` lacks."""
    old, new = name_findings(before), name_findings(after)
    return {
        name: sorted((counts - old.get(name, Counter())).elements())
        for name, counts in new.items()
        if counts - old.get(name, Counter())
    }
