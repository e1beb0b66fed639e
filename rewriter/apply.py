"""`tfrewrite apply PATCH`: apply a unified diff made by `check --diff`, strictly.

The patch may have been trimmed by a reviewer (hunks or whole files deleted) or its added
lines edited. Each hunk's context and removed lines must match the file exactly, at the
line the hunk names; a file with any hunk that does not match is left untouched and named
with the reason, and the other files are still written (atomically). Every result must
compile before it is written. A notebook's diff is over tfrewrite's view of its code
cells (see rewriter.notebook); the patched view is mapped back into the JSON. A Markdown
document's diff is over its own lines; the patch may change only its Python code blocks.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from rewriter.output.diff import split_lines
from rewriter.source import compile_error


class PatchError(ValueError):
    """The patch as a whole cannot be read; a one-line reason."""


@dataclass
class FilePatch:
    """The hunks for one file, as (start, old lines, new lines) with 1-based starts."""

    path: str
    hunks: list[tuple[int, list[str], list[str], str]] = field(default_factory=list)  # + header
    problem: str | None = None  # set when the patch itself cannot apply to any file


@dataclass
class Applied:
    path: str
    hunks: int
    reason: str | None = None  # None: applied (or would apply)
    new_data: bytes | None = None
    data: bytes | None = None  # the file as it was read
    before: os.stat_result | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None


def read_patch(text: str) -> list[FilePatch]:
    """The files and hunks of a unified diff. Raises PatchError."""
    from unidiff import PatchSet
    from unidiff.errors import UnidiffParseError

    try:
        patch = PatchSet(text)
    except UnidiffParseError as exc:
        raise PatchError(f"not a unified diff: {exc}") from None
    if not patch and text.strip():
        raise PatchError("not a unified diff: no `--- a/...` / `+++ b/...` file headers")
    files: list[FilePatch] = []
    seen: dict[str, FilePatch] = {}
    for patched in patch:
        path = _target_path(patched.source_file, patched.target_file)
        entry = FilePatch(path)
        if patched.is_added_file or patched.is_removed_file:
            entry.problem = "the patch creates or deletes the file; tfrewrite patches only change files"
        elif patched.is_rename:
            entry.problem = "the patch renames the file; tfrewrite patches only change files"
        elif path in seen:
            seen[path].problem = "the file appears more than once in the patch"
            continue
        for hunk in patched:
            old: list[str] = []
            new: list[str] = []
            last = ""
            for line in hunk:
                kind = line.line_type
                if kind == "\\":
                    # "\ No newline at end of file": the line before it has no line end.
                    if last in " -" and old:
                        old[-1] = old[-1].removesuffix("\n")
                    if last in " +" and new:
                        new[-1] = new[-1].removesuffix("\n")
                    continue
                if kind in (" ", "-"):
                    old.append(line.value)
                if kind in (" ", "+"):
                    new.append(line.value)
                last = kind
            start = hunk.source_start if hunk.source_length else hunk.source_start + 1
            header = f"@@ -{hunk.source_start},{hunk.source_length} +{hunk.target_start},{hunk.target_length} @@"
            entry.hunks.append((start, old, new, header))
        seen[path] = entry
        files.append(entry)
    return files


def _target_path(source: str, target: str) -> str:
    source, target = _unquote(source), _unquote(target)
    if source.startswith("a/") and target.startswith("b/"):
        return target[2:]
    return target if target != "/dev/null" else source


def _unquote(name: str) -> str:
    if len(name) >= 2 and name[0] == name[-1] == '"':
        return (
            name[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape").encode("latin-1").decode("utf-8")
        )
    return name


def check_file(patch: FilePatch) -> Applied:
    """Whether the file's hunks all apply, and the file's new bytes when they do."""
    count = len(patch.hunks)
    if patch.problem:
        return Applied(patch.path, count, patch.problem)
    try:
        with open(patch.path, "rb") as handle:
            before = os.fstat(handle.fileno())
            data = handle.read()
    except FileNotFoundError:
        return Applied(patch.path, count, "no such file")
    except OSError as exc:
        return Applied(patch.path, count, exc.strerror or str(exc))
    try:
        return Applied(patch.path, count, new_data=_patched(patch, data), data=data, before=before)
    except PatchError as exc:
        return Applied(patch.path, count, str(exc))


def _patched(patch: FilePatch, data: bytes) -> bytes:
    from rewriter.file_kinds import is_markdown
    from rewriter.markdown import MarkdownError, check_edited
    from rewriter.markdown import load as load_markdown
    from rewriter.notebook import NotebookError, load
    from rewriter.source import SourceDecodeError, decode_source

    if is_markdown(patch.path):
        try:
            return check_edited(data, apply_hunks(load_markdown(data).text, patch.hunks))
        except MarkdownError as exc:
            raise PatchError(str(exc)) from None
    notebook = None
    try:
        if patch.path.endswith(".ipynb"):
            notebook = load(data)
            text = notebook.view
        else:
            source = decode_source(data)
            text = source.text
    except (NotebookError, SourceDecodeError) as exc:
        raise PatchError(str(exc)) from None
    new_text = apply_hunks(text, patch.hunks)
    if notebook is not None:
        try:
            return notebook.with_view(new_text)
        except NotebookError as exc:
            raise PatchError(f"the result is not a valid notebook: {exc}") from None
    check_compiles(new_text, patch.path)
    check_imports(text, new_text, patch.hunks)
    try:
        return source.encode(new_text)
    except UnicodeEncodeError as exc:
        raise PatchError(f"cannot encode the result as {source.encoding}: {exc.reason}") from None


def apply_hunks(text: str, hunks: list[tuple[int, list[str], list[str], str]]) -> str:
    """`text` with every hunk applied; each must match exactly where it says. PatchError."""
    lines = split_lines(text)
    out: list[str] = []
    position = 0  # lines[:position] are done
    for number, (start, old, new, header) in enumerate(hunks, 1):
        index = start - 1
        if index < position:
            raise PatchError(f"hunk {number} ({header}) overlaps the hunk before it")
        for offset, expected in enumerate(old):
            row = index + offset
            found = lines[row] if row < len(lines) else None
            if found != expected:
                shown = "the end of the file" if found is None else repr(found.rstrip("\r\n"))
                if found is not None and found.rstrip("\r\n") == expected.rstrip("\r\n"):
                    shown += " (line ends differ)"
                raise PatchError(
                    f"hunk {number} ({header}) does not match line {row + 1}: "
                    f"expected {expected.rstrip(chr(13) + chr(10))!r}, found {shown}"
                )
        if index > len(lines):
            raise PatchError(f"hunk {number} ({header}) starts past the end of the file")
        out.extend(lines[position:index])
        out.extend(new)
        position = index + len(old)
    out.extend(lines[position:])
    return "".join(out)


def check_compiles(text: str, path: str) -> None:
    problem = compile_error(text, path)
    if isinstance(problem, SyntaxError):
        raise PatchError(f"the result does not compile: {problem.msg} (line {problem.lineno})")
    if problem is not None:
        raise PatchError(f"the result does not compile: {problem}")


def check_imports(text: str, new_text: str, hunks: list[tuple[int, list[str], list[str], str]]) -> None:
    """Refuse a patch that keeps a fix and drops the import it needs (PatchError).

    A name the patched file uses and nothing binds, where the original had none such,
    comes from a kept hunk whose import hunk was deleted from the patch.
    """

    missing = sorted(unbound_names(new_text) - unbound_names(text))
    if not missing:
        return
    name = missing[0]
    word = re.compile(rf"\b{re.escape(name)}\b")
    user = next(
        (
            f"hunk {n} ({header})"
            for n, (_, _, new, header) in enumerate(hunks, 1)
            if any(word.search(line) for line in new)
        ),
        "a hunk",
    )
    importer = _import_hunk(text, name)
    raise PatchError(
        f"{user} uses `{name}`, but {importer or 'the hunk that imports it'} is not in the patch; "
        "keep both hunks or drop both"
    )


def unbound_names(text: str) -> set[str]:
    """Names loaded somewhere in the module that nothing in it binds (builtins aside)."""
    import ast
    import builtins

    tree = ast.parse(text)
    bound: set[str] = set(dir(builtins)) | {"__file__", "__name__", "__doc__", "__spec__"}
    loaded: set[str] = set()
    for node in ast.walk(tree):  # type: ignore[arg-type]
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
    if any(isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names) for node in ast.walk(tree)):  # type: ignore[arg-type]
        return set()  # `from x import *` may bind anything
    return loaded - bound


def _import_hunk(text: str, name: str) -> str | None:
    """The hunk of the full fix that adds the import binding `name`, as `hunk N (@@ ...)`."""
    from rewriter.hunks import make_hunks
    from rewriter.pipeline import InternalError, SourceError, process_source
    from rewriter.settings import Settings

    try:
        fixed = process_source(text, Settings(unsafe_fixes=True)).fixed
    except (SourceError, InternalError):
        return None
    pattern = re.compile(rf"^\+\s*import \S+(?: as {re.escape(name)})?\s*$|^\+\s*import {re.escape(name)}\s*$")
    for hunk in make_hunks(text, fixed):
        for line in hunk.text.splitlines():
            if pattern.match(line) and re.search(rf"\b{re.escape(name)}\s*$", line):
                return f"the hunk {hunk.text.splitlines()[0]} of the full diff (`{line[1:].strip()}`)"
    return None


def apply_patch(text: str, write: bool = True) -> list[Applied]:
    """Check every file of the patch, then write those whose hunks all apply.

    Returns one result per file in the order of the patch. Raises PatchError when the
    patch cannot be read at all.
    """
    from rewriter.files import WriteError, write_atomic

    results = []
    for patch in read_patch(text):
        result = check_file(patch)
        if result.ok and write and result.new_data != result.data:
            assert result.new_data is not None and result.data is not None and result.before is not None
            try:
                # Refuses when the file changed since it was read and checked.
                write_atomic(patch.path, result.new_data, result.data, result.before)
            except (WriteError, OSError) as exc:
                result.reason = f"not written: {exc.strerror or exc}"
        results.append(result)
    return results
