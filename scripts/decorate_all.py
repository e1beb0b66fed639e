#!/usr/bin/env python3
"""Copy a tree, decorating EVERY function with `@tf.function`: a stress test of the analysis.

    scripts/decorate_all.py SOURCE DEST

Every `def` (methods, nested functions, generators; not `async def`, which tf.function
rejects) in `.py` files and in notebooks' code cells gets `@<tf>.function` as its
outermost decorator, where `<tf>` is the module's own alias of tensorflow, else `tf`
(imported when needed), else a fresh alias. Files and cells that do not parse, and other
files, are copied as they are; line endings, encodings and indentation are kept. The
copy is for `scripts/sweep.py`; its code is not expected to run.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import shutil
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rewriter.analyze.imports import ImportTable  # noqa: E402
from rewriter.source import SourceDecodeError, decode_source  # noqa: E402

_LINE = re.compile(r".*?(?:\r\n|\r|\n|$)", re.DOTALL)


def decorate(text: str) -> str | None:
    """`text` with every def decorated; None when it does not parse or holds no def."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    if not functions:
        return None
    lines = [line for line in _LINE.findall(text) if line]
    newline = next((line[len(line.rstrip("\r\n")) :] for line in lines if line.endswith(("\n", "\r"))), "\n")
    alias, import_line = _alias(tree)
    inserts: dict[int, list[str]] = {}  # 0-based line index -> lines to put before it
    for function in functions:
        # A def (or its first decorator) always starts a line; the decorator goes above it.
        first = min([function.lineno] + [d.lineno for d in function.decorator_list])
        line = lines[first - 1]
        indent = line[: len(line) - len(line.lstrip(" \t\f"))]
        inserts.setdefault(first - 1, []).append(f"{indent}@{alias}.function{newline}")
    if import_line is not None:
        inserts.setdefault(_import_row(tree, lines), []).insert(0, import_line + newline)
    if len(lines) in inserts and lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    out: list[str] = []
    for index, line in enumerate(lines):
        out.extend(inserts.get(index, ()))
        out.append(line)
    out.extend(inserts.get(len(lines), ()))
    return "".join(out)


def _alias(tree: ast.Module) -> tuple[str, str | None]:
    table = ImportTable.from_module(tree)
    alias = table.alias_of("tensorflow", "tensorflow.compat.v2")
    if alias is not None:
        return alias, None
    for name in ("tf", "_tf_everywhere"):
        if not table.binds(name) and not _used_anywhere(tree, name):
            return name, f"import tensorflow as {name}"
    raise ValueError("no free name for tensorflow")


def _used_anywhere(tree: ast.Module, name: str) -> bool:
    return any(
        isinstance(n, ast.Name) and n.id == name or isinstance(n, ast.arg) and n.arg == name for n in ast.walk(tree)
    )


def _import_row(tree: ast.Module, lines: list[str]) -> int:
    """0-based line before which the import goes: after the docstring and __future__
    imports, else after the leading comment lines (shebang, coding cookie, licence)."""
    row = None
    for index, node in enumerate(tree.body):
        docstring = (
            index == 0
            and isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        )
        if docstring or isinstance(node, ast.ImportFrom) and node.module == "__future__":
            row = node.end_lineno or node.lineno
        else:
            break
    if row is not None:
        return row
    row = 0
    while row < len(lines) and lines[row].lstrip().startswith("#"):
        row += 1
    return row


def decorate_notebook(data: bytes) -> bytes | None:
    """A notebook with every def of every code cell decorated; None when nothing changes.

    Each cell is decorated on its own (a cell that does not parse, such as one with
    IPython magics, is left alone); the JSON is written back as Jupyter writes it.
    """
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    changed = False
    for cell in document.get("cells", []) if isinstance(document, dict) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        try:
            new = decorate(text)
        except ValueError:
            new = None
        if new is not None and new != text:
            cell["source"] = new.splitlines(keepends=True) if isinstance(source, list) else new
            changed = True
    if not changed:
        return None
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def decorate_tree(source: Path, dest: Path) -> tuple[int, int]:
    """Copy `source` to `dest`; returns (source files, files decorated)."""
    shutil.copytree(source, dest, symlinks=True)
    seen = decorated = 0
    for path in sorted(dest.rglob("*.ipynb")):
        if path.is_symlink() or not path.is_file():
            continue
        seen += 1
        new_data = decorate_notebook(path.read_bytes())
        if new_data is not None:
            path.write_bytes(new_data)
            decorated += 1
    for path in sorted(dest.rglob("*.py")):
        if path.is_symlink() or not path.is_file():
            continue
        seen += 1
        data = path.read_bytes()
        try:
            source_text = decode_source(data)
        except SourceDecodeError:
            continue
        try:
            text = decorate(source_text.text)
        except ValueError:
            text = None
        if text is not None and text != source_text.text:
            try:
                path.write_bytes(source_text.encode(text))
            except UnicodeEncodeError:
                continue
            decorated += 1
    return seen, decorated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path)
    parser.add_argument("dest", type=Path)
    arguments = parser.parse_args(argv)
    if arguments.dest.exists():
        parser.error(f"{arguments.dest} exists")
    seen, decorated = decorate_tree(arguments.source, arguments.dest)
    print(f"{arguments.dest}: decorated {decorated} of {seen} source files (.py and .ipynb)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
