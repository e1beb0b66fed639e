"""Jupyter notebooks as one module: code cells joined, IPython syntax masked, fixes mapped back.

A notebook's code cells run in one namespace, so a graph function defined in one cell and
called in another is analysed as in a module. The *view* shown to people (diagnostics,
diffs, patches) is the code cells' sources joined in order, each after a marker line:

    # %% [cell 3]
    @tf.function
    def step(x):
        ...

Cell numbers count every cell of the notebook from 1 (markdown cells too), as Jupyter
shows them and as Ruff reports them. Rows in diagnostics are relative to their cell.

For parsing, IPython-only lines are masked (rewriter.ipython_mask) and put back
verbatim after fixing; the view and its rows live in rewriter.cell_view. Writing a
notebook replaces only the JSON text of the `source` values of cells that changed
(rewriter.notebook_json finds them): outputs, metadata, execution counts, other cells,
indentation, key order, escapes and the final newline keep their bytes.
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rewriter import notebook_json
from rewriter.cell_view import CellView, compile_check
from rewriter.cells import MARKER_LINE, CellText, NotebookError
from rewriter.ipython_mask import Masked, mask_cell
from rewriter.results import Diagnostic, EditInfo, FileOutcome, FixInfo, Mode, Status

if TYPE_CHECKING:
    import os

    from rewriter.pipeline import SourceReport
    from rewriter.settings import Settings

    Process = Callable[[str, Settings, str], SourceReport]


@dataclass(frozen=True)
class Cell(CellText):
    """One code cell: where its `source` value sits in the JSON text, and what it says."""

    span: tuple[int, int]  # characters of the JSON `source` value
    tokens: tuple[tuple[int, int], ...] | None  # list elements' spans; None: one JSON string


@dataclass
class Notebook(CellView):
    """A parsed notebook: its JSON text, its code cells and where they are."""

    text: str  # the JSON text, decoded
    cells: list[Cell]
    bom: bool = False
    ensure_ascii: bool = False

    # -- writing ----------------------------------------------------------------------

    def with_view(self, view: str) -> bytes:
        """The notebook's bytes with the code cells' sources taken from `view`.

        Only the `source` values of cells whose text changed are rewritten. The new
        sources must still be Python (magics aside). Raises NotebookError.
        """
        sources = self.split_view(view)
        if sources == [c.source for c in self.cells]:
            return self.encode(self.text)
        changed = self.with_sources(sources)
        compile_check(changed)
        pieces = []
        position = 0
        for old, new in zip(self.cells, changed.cells):
            if old.source == new.source:
                continue
            start, end = old.span
            pieces.append(self.text[position:start])
            pieces.append(self._source_json(old, new.source))
            position = end
        pieces.append(self.text[position:])
        return self.encode("".join(pieces))

    def with_sources(self, sources: list[str]) -> Notebook:
        """This notebook with new code cell sources (spans still point into `text`)."""
        cells = [Cell(c.number, s, c.span, c.tokens) for c, s in zip(self.cells, sources)]
        return Notebook(self.text, cells, self.bom, self.ensure_ascii)

    def encode(self, text: str) -> bytes:
        return ("\ufeff" if self.bom else "").encode() + text.encode("utf-8")

    def _source_json(self, cell: Cell, source: str) -> str:
        if cell.tokens is None:
            return json.dumps(source, ensure_ascii=self.ensure_ascii)
        reuse: dict[str, str] = {}
        for start, end in cell.tokens:
            raw = self.text[start:end]
            reuse.setdefault(json.loads(raw), raw)
        tokens = [
            reuse.get(line) or json.dumps(line, ensure_ascii=self.ensure_ascii)
            for line in _split_like(cell, source, self.text)
        ]
        if not tokens:
            return "[]"
        opening, separator, closing = self._list_layout(cell)
        return "[" + opening + ("," + separator).join(tokens) + closing + "]"

    def _list_layout(self, cell: Cell) -> tuple[str, str, str]:
        """Whitespace after `[`, after each `,`, and before `]` of a cell's source list."""
        text = self.text
        start, end = cell.span
        if cell.tokens:
            opening = text[start + 1 : cell.tokens[0][0]]
            closing = text[cell.tokens[-1][1] : end - 1]
            if len(cell.tokens) > 1:
                separator = text[cell.tokens[0][1] : cell.tokens[1][0]].lstrip(" \t\r\n")[1:]
            else:
                separator = opening
            return opening, separator, closing
        # An empty list: indent one level deeper than the line holding `"source":`.
        line_start = text.rfind("\n", 0, start) + 1
        indent = re.match(r"[ \t]*", text[line_start:]).group()  # type: ignore[union-attr]
        newline = "\r\n" if "\r\n" in text else "\n"
        return (
            newline + indent + notebook_json.indent_unit(text),
            newline + indent + notebook_json.indent_unit(text),
            newline + indent,
        )


# -- reading --------------------------------------------------------------------------


def load(data: bytes) -> Notebook:
    """Parse a notebook's bytes. Raises NotebookError with a one-line reason."""
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data[3 if bom else 0 :].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"not UTF-8: byte {exc.object[exc.start]:#04x} at offset {exc.start}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"invalid notebook JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise NotebookError("invalid notebook JSON: nested too deeply") from None
    if not isinstance(document, dict):
        raise NotebookError("not a notebook: the JSON is not an object")
    version = document.get("nbformat")
    if "cells" not in document:
        if version is not None and isinstance(version, int) and version < 4:
            raise NotebookError(
                f"nbformat {version} notebooks are not supported (convert with "
                "`jupyter nbconvert --to notebook --nbformat 4`)"
            )
        raise NotebookError("not a notebook: no `cells` list")
    if not isinstance(document["cells"], list):
        raise NotebookError("not a notebook: `cells` is not a list")
    cells = _locate_code_cells(text)
    expected = [
        (i + 1, _source_text(c.get("source")))
        for i, c in enumerate(document["cells"])
        if isinstance(c, dict) and c.get("cell_type") == "code"
    ]
    if [(c.number, c.source) for c in cells] != expected:
        raise NotebookError("unsupported notebook layout (duplicate keys or non-string sources)")
    for cell in cells:
        if MARKER_LINE.search(cell.source):
            raise NotebookError(
                f"cell {cell.number} holds a line like `# %% [cell N]`, "
                "which marks cells in tfrewrite's view of a notebook"
            )
    return Notebook(text, cells, bom, notebook_json.ensure_ascii(text))


def language(data: bytes) -> str | None:
    """The notebook's kernel language when it names one (`python`, `r`, ...)."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None
    metadata = document.get("metadata") if isinstance(document, dict) else None
    if not isinstance(metadata, dict):
        return None
    for key, inner in (("kernelspec", "language"), ("language_info", "name")):
        value = metadata.get(key)
        if isinstance(value, dict) and isinstance(value.get(inner), str):
            return str(value[inner]).lower()
    return None


def _source_text(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "".join(value)
    return None


def _locate_code_cells(text: str) -> list[Cell]:
    """Code cells with the character spans of their `source` values in the JSON text."""
    try:
        found = notebook_json.code_sources(text)
    except (ValueError, IndexError):
        raise NotebookError("unsupported notebook layout") from None
    return [Cell(s.number, _source_text(s.value) or "", s.span, s.tokens) for s in found]


def _split_like(cell: Cell, source: str, text: str) -> list[str]:
    """`source` cut into list elements the way the cell's original list was cut."""
    if not source:
        return []
    original = [json.loads(text[s:e]) for s, e in cell.tokens or ()]
    if original and original != _split_newlines(cell.source) and original == cell.source.splitlines(keepends=True):
        return source.splitlines(keepends=True)
    return _split_newlines(source)


def _split_newlines(text: str) -> list[str]:
    return [line for line in re.findall(r"[^\n]*\n|[^\n]+$", text) if line]


# -- positions in the JSON file ---------------------------------------------------------


def file_rows(data: bytes) -> Callable[[int, int], int | None]:
    """A function giving the JSON file's row of a cell's row, where one exists.

    Code-scanning services show annotations on the file as stored; in a notebook whose
    sources are lists (the usual layout) each source line has its own row in the JSON.
    """
    try:
        notebook = load(data)
    except NotebookError:
        return lambda cell, row: None
    starts = [0] + [m.end() for m in re.finditer(r"\n", notebook.text)]
    by_number = {c.number: c for c in notebook.cells}

    def row_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset)

    def lookup(cell: int, row: int) -> int | None:
        found = by_number.get(cell)
        if found is None:
            return None
        if found.tokens is None:
            return row_of(found.span[0])
        if not found.tokens:
            return row_of(found.span[0])
        index = min(max(row, 1), len(found.tokens)) - 1
        return row_of(found.tokens[index][0])

    return lookup


# -- one notebook file from bytes to outcome --------------------------------------------


def process_notebook(
    path: str, shown: str, data: bytes, before: os.stat_result, settings: Settings, mode: Mode
) -> FileOutcome:
    """Like `rewriter.files.process_file` for a notebook; never raises for a bad notebook.

    The outcome's `original` and `fixed` are views (what diffs show and patches change);
    with --fix only the changed cells' `source` values are rewritten in the file.
    """
    from rewriter.atomic import write_outcome

    outcome, new_data = notebook_outcome(shown, data, settings, mode)
    return write_outcome(path, shown, outcome, data, new_data, before)


def notebook_outcome(
    shown: str, data: bytes, settings: Settings, mode: Mode, process: Process | None = None
) -> tuple[FileOutcome, bytes]:
    """A notebook's outcome and, with --fix, its new bytes (else `data`). Never raises
    for a bad notebook; writes nothing. `process` replaces `process_source` (the editor
    server finds without fixing)."""
    from rewriter.pipeline import InternalError, SourceError, might_hold_graph_code, process_source

    kernel = language(data)
    if kernel is not None and kernel != "python":
        return FileOutcome(shown, Status.SKIPPED), data
    notes: list[str] = []
    try:
        notebook = load(data)
        if not notebook.cells or not might_hold_graph_code(notebook.view, settings.graph_decorators):
            return FileOutcome(shown, Status.SKIPPED), data
        notebook, notes = python_cells(notebook)
        masked = notebook.masked
        report = (process or process_source)(masked.text, settings, shown)
        fixed_view = masked.unmask(report.fixed) if report.fixed != masked.text else notebook.view
        fixed = notebook.with_sources(notebook.split_view(fixed_view))
        new_data = notebook.with_view(fixed_view) if mode is Mode.FIX and fixed_view != notebook.view else data
    except (NotebookError, SourceError) as exc:
        return FileOutcome(shown, Status.FAILED, error=str(exc)), data
    except InternalError as exc:
        return FileOutcome(shown, Status.FAILED, error=str(exc), detail=exc.detail), data
    changed = fixed_view != notebook.view
    found = [in_cells(d, notebook) for d in report.diagnostics]
    outcome = FileOutcome(
        shown,
        Status.CHANGED if changed else Status.UNCHANGED,
        diagnostics=[in_cells(d, fixed) for d in report.remaining] if mode is Mode.FIX else found,
        fixed_count=report.fixed_count if changed else 0,
        original=notebook.view,
        fixed=fixed_view,
        found=found,
        notes=notes,
    )
    return outcome, new_data


def python_cells(notebook: Notebook) -> tuple[Notebook, list[str]]:
    """The notebook with only its code cells that are Python (IPython syntax aside), and
    a note for each cell left out: an exercise's `x = # YOUR CODE HERE`, pseudo-code.

    As Jupyter runs each cell on its own, the other cells are still checked, and the
    cells left out are kept byte for byte.
    """
    try:
        notebook.masked  # noqa: B018  (every cell is Python: the usual case, one parse)
        return notebook, []
    except NotebookError:
        pass
    kept: list[Cell] = []
    notes: list[str] = []
    for cell in notebook.cells:
        try:
            mask_cell(cell, Masked(""), mask_future=True)
        except NotebookError as exc:
            notes.append(f"{exc}: cell skipped")
            continue
        kept.append(cell)
    return dataclasses.replace(notebook, cells=kept), notes


def in_cells(diagnostic: Diagnostic, notebook: Notebook) -> Diagnostic:
    """A diagnostic on the view, with rows made relative to the cell that holds it."""
    cell, location = notebook.relative(diagnostic.location)
    _, end = notebook.relative(diagnostic.end_location, cell)
    fix = diagnostic.fix
    if fix is not None:
        edits = []
        for edit in fix.edits:
            edit_cell, start = notebook.relative(edit.location)
            _, stop = notebook.relative(edit.end_location, edit_cell)
            edits.append(EditInfo(edit.content, start, stop, edit_cell))
        fix = FixInfo(fix.applicability, fix.message, tuple(edits))
    return dataclasses.replace(diagnostic, location=location, end_location=end, fix=fix, cell=cell)
