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

For parsing, IPython-only lines (`%magic`, `!shell`, `obj?`, automagic such as
`pip install x`) become placeholders; `%%` cell magics mask the whole cell. The
placeholders are put back verbatim after fixing. Writing a notebook replaces only the
JSON text of the `source` values of cells that changed: outputs, metadata, execution
counts, other cells, indentation, key order, escapes and the final newline keep their
bytes.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from json.decoder import scanstring  # type: ignore[attr-defined]  # the C scanner, not in the stubs
from typing import TYPE_CHECKING

from rewriter.results import Diagnostic, EditInfo, FileOutcome, FixInfo, Location, Mode, Status

if TYPE_CHECKING:
    import os

    from rewriter.pipeline import SourceReport
    from rewriter.settings import Settings

    Process = Callable[[str, Settings, str], SourceReport]

MARKER = "# %% [cell {number}]"
_MARKER_LINE = re.compile(r"^# %% \[cell (\d+)\]$", re.MULTILINE)
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()

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


class NotebookError(ValueError):
    """The notebook cannot be read, parsed or rebuilt; a one-line reason."""


@dataclass(frozen=True)
class CellText:
    """One piece of code in a document of several (a notebook cell, a Markdown block)."""

    number: int  # 1-based; what the view's marker line names
    source: str

    @property
    def view_text(self) -> str:
        """The source as the view holds it: always ending with a line end when not empty."""
        if self.source and not self.source.endswith(("\n", "\r")):
            return self.source + "\n"
        return self.source

    @property
    def closed(self) -> bool:
        """Whether the view added a line end that the document does not have."""
        return self.view_text != self.source


@dataclass(frozen=True)
class Cell(CellText):
    """One code cell: where its `source` value sits in the JSON text, and what it says."""

    span: tuple[int, int]  # characters of the JSON `source` value
    tokens: tuple[tuple[int, int], ...] | None  # list elements' spans; None: one JSON string


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


class CellView:
    """Pieces of code run in order in one namespace, seen as one module (the *view*).

    Subclasses hold `cells` (CellText values in order); rows of the view map to cells.
    """

    cells: Sequence[CellText]

    # -- the view ---------------------------------------------------------------------

    @cached_property
    def view(self) -> str:
        return join_cells([(c.number, c.view_text) for c in self.cells])

    @cached_property
    def marker_rows(self) -> list[tuple[int, int]]:
        """(view row of the marker, cell number), in order."""
        rows = []
        row = 1
        for cell in self.cells:
            rows.append((row, cell.number))
            row += 1 + _count_lines(cell.view_text)
        return rows

    def cell_position(self, row: int) -> tuple[int, int]:
        """The cell number and the row inside the cell of a view row (both 1-based)."""
        if not self.cells:
            return 0, row
        marker, number = self.marker_rows[0]
        for marker_row, cell_number in self.marker_rows[1:]:
            # A marker row itself is the end of the cell before it (where imports go).
            if marker_row >= row:
                break
            marker, number = marker_row, cell_number
        return number, max(row - marker, 1)

    def relative(self, location: Location, cell: int | None = None) -> tuple[int, Location]:
        """A view location as (cell number, location inside that cell)."""
        if cell is None:
            cell, _ = self.cell_position(location.row)
        row = location.row - self.view_row(cell, 0)
        return cell, Location(max(row, 1), location.column)

    def view_row(self, cell: int, row: int) -> int:
        """The view row of row `row` of cell `cell` (inverse of cell_position)."""
        for marker_row, number in self.marker_rows:
            if number == cell:
                return marker_row + row
        raise KeyError(cell)

    # -- parsing ----------------------------------------------------------------------

    @cached_property
    def masked(self) -> Masked:
        """The view made parsable. Raises NotebookError naming a cell that is not Python."""
        masked = Masked("")
        # Jupyter compiles each cell on its own, so `from __future__` may open any cell;
        # in the joined view only the first may have one.
        late_future = [bool(_future_import_rows(cell.view_text)) for cell in self.cells[1:]]
        if (
            _parses(self.view)
            and not any(late_future)
            and ("await" not in self.view or not _top_level_await_rows(self.view))
        ):
            masked.text = self.view
            return masked
        parts = []
        for index, cell in enumerate(self.cells):
            parts.append((cell.number, _mask_cell(cell, masked, mask_future=index > 0)))
        masked.text = join_cells(parts)
        return masked

    def split_view(self, view: str) -> list[str]:
        """The code cells' sources in a view; the markers must be the notebook's own."""
        markers = list(_MARKER_LINE.finditer(view))
        numbers = [int(m.group(1)) for m in markers]
        if numbers != [c.number for c in self.cells]:
            raise NotebookError("the cell markers (`# %% [cell N]` lines) do not match the notebook's code cells")
        if view[: markers[0].start()] if markers else view:
            raise NotebookError("text before the first cell marker")
        sources = []
        for index, (cell, marker) in enumerate(zip(self.cells, markers)):
            start = marker.end() + view.startswith("\n", marker.end())  # past the marker's line end
            end = markers[index + 1].start() if index + 1 < len(markers) else len(view)
            text = view[start:end]
            if cell.closed and text.endswith("\n"):
                text = text[:-1]
            sources.append(text)
        return sources


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
        return newline + indent + _indent_unit(text), newline + indent + _indent_unit(text), newline + indent


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
        if _MARKER_LINE.search(cell.source):
            raise NotebookError(
                f"cell {cell.number} holds a line like `# %% [cell N]`, "
                "which marks cells in tfrewrite's view of a notebook"
            )
    return Notebook(text, cells, bom, _ensure_ascii(text))


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
        index = _skip(text, 0)
        cells: list[Cell] = []
        for key, start in _members(text, index):
            if key != "cells":
                continue
            cells = []
            for number, cell_start in enumerate(_elements(text, start), 1):
                cell = _cell_at(text, cell_start, number)
                if cell is not None:
                    cells.append(cell)
        return cells
    except (ValueError, IndexError):
        raise NotebookError("unsupported notebook layout") from None


def _cell_at(text: str, start: int, number: int) -> Cell | None:
    if text[start] != "{":
        return None
    cell_type = None
    source: tuple[int, int] | None = None
    tokens: tuple[tuple[int, int], ...] | None = None
    for key, value_start in _members(text, start):
        value_end = _value_end(text, value_start)
        if key == "cell_type":
            cell_type = _DECODER.raw_decode(text, value_start)[0]
        elif key == "source":
            source = (value_start, value_end)
            tokens = None
            if text[value_start] == "[":
                tokens = tuple((s, _value_end(text, s)) for s in _elements(text, value_start))
    if cell_type != "code" or source is None:
        return None
    value = json.loads(text[source[0] : source[1]])
    return Cell(number, _source_text(value) or "", source, tokens)


def _skip(text: str, index: int) -> int:
    return _WHITESPACE.match(text, index).end()  # type: ignore[union-attr]


def _value_end(text: str, index: int) -> int:
    if text[index] == '"':
        return scanstring(text, index + 1)[1]
    return _DECODER.raw_decode(text, index)[1]


def _members(text: str, index: int):  # type: ignore[no-untyped-def]
    """(key, value start) of each member of the object starting at `index`."""
    if text[index] != "{":
        raise ValueError("object expected")
    index = _skip(text, index + 1)
    if text[index] == "}":
        return
    while True:
        if text[index] != '"':
            raise ValueError("key expected")
        key, index = scanstring(text, index + 1)
        index = _skip(text, index)
        if text[index] != ":":
            raise ValueError("colon expected")
        value_start = _skip(text, index + 1)
        yield key, value_start
        index = _skip(text, _value_end(text, value_start))
        if text[index] == "}":
            return
        if text[index] != ",":
            raise ValueError("comma expected")
        index = _skip(text, index + 1)


def _elements(text: str, index: int):  # type: ignore[no-untyped-def]
    """The start of each element of the array starting at `index`."""
    if text[index] != "[":
        raise ValueError("array expected")
    index = _skip(text, index + 1)
    if text[index] == "]":
        return
    while True:
        yield index
        index = _skip(text, _value_end(text, index))
        if text[index] == "]":
            return
        if text[index] != ",":
            raise ValueError("comma expected")
        index = _skip(text, index + 1)


def _ensure_ascii(text: str) -> bool:
    """Whether the file escapes non-ASCII characters (`\\u00e9`) rather than writing them."""
    if not text.isascii():
        return False
    return re.search(r"\\u(?:00[89a-fA-F]|0[1-9a-fA-F]|[1-9a-fA-F])[0-9a-fA-F]{2}", text) is not None


def _indent_unit(text: str) -> str:
    """The indentation step of the JSON text (nbformat writes one space)."""
    match = re.search(r"\n([ \t]+)\"", text)
    return match.group(1) if match else " "


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


# -- masking --------------------------------------------------------------------------


def view_markers(view: str) -> list[tuple[int, int]]:
    """(row, cell number) of every marker line of a view text."""
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", view)]
    import bisect

    return [(bisect.bisect_right(starts, m.start()), int(m.group(1))) for m in _MARKER_LINE.finditer(view)]


def join_cells(parts: list[tuple[int, str]]) -> str:
    return "".join(MARKER.format(number=number) + "\n" + text for number, text in parts)


def _count_lines(text: str) -> int:
    return len(re.findall(r"\r\n|\r|\n", text))


def _parses(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _mask_cell(cell: CellText, masked: Masked, mask_future: bool = False) -> str:
    """The cell's view text with IPython-only lines replaced by placeholders.

    With `mask_future`, its `from __future__` imports are kept verbatim too (they are
    valid at the top of a cell, not in the middle of the joined module).
    """
    text = cell.view_text
    awaiting = _top_level_await_rows(text) if "await" in text else set()
    if mask_future:
        awaiting |= _future_import_rows(text)
    if not awaiting and _parses(text):
        return text
    lines = text.splitlines(keepends=True)
    opaque = bool(lines) and lines[0].lstrip(" \t").startswith("%%")
    result, originals = _placeholders(lines, len(masked.originals), opaque, awaiting)
    if not awaiting and "await" in result:
        awaiting = _top_level_await_rows(result)
        if awaiting:
            result, originals = _placeholders(lines, len(masked.originals), opaque, awaiting)
    first = next((line for line in lines if line.strip()), "")
    if not _parses(result) and not opaque and first[:1] in (" ", "\t"):
        # timid: IPython strips a leading indent common to the cell before running it;
        # analysing the cell dedented would shift every column, so it is kept verbatim
        # and not analysed.
        result, originals = _placeholders(lines, len(masked.originals), True)
    if not _parses(result):
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


def _future_import_rows(text: str) -> set[int]:
    """Rows of the top-level `from __future__ import ...` statements of a cell."""
    if "__future__" not in text:
        return set()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    return {
        row
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "__future__"
        for row in range(node.lineno, (node.end_lineno or node.lineno) + 1)
    }


def _top_level_await_rows(text: str) -> set[int]:
    """Rows of the top-level statements that `await` outside any function.

    IPython runs them (top-level await), but a module with them does not compile, which
    is how every fixed text is checked; they are kept verbatim and not analysed.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
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
    if _MAGIC_ASSIGNMENT.match(line) and not _parses(stripped):
        return True  # `files = !ls`, `t = %timeit -o f()`
    if stripped.endswith("?") and not _parses(stripped):
        return True  # `tf.function?`, `obj??`
    match = _AUTOMAGIC_LINE.match(line)
    if match and match.group(1) in _AUTOMAGIC and not _parses(stripped):
        return True  # `pip install -q tensorflow`
    return False


def compile_check(notebook: CellView) -> None:
    """The notebook's code (magics masked) must compile. Raises NotebookError."""
    text = notebook.masked.text
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "<notebook>", "exec", dont_inherit=True, flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    except SyntaxError as exc:
        cell, row = notebook.cell_position(exc.lineno or 1)
        raise NotebookError(f"cell {cell}: {type(exc).__name__}: {exc.msg} (line {row})") from None
    except (ValueError, RecursionError) as exc:
        raise NotebookError(f"does not compile: {exc}") from None


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
        import bisect

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
    try:
        notebook = load(data)
        if not notebook.cells or not might_hold_graph_code(notebook.view, settings.graph_decorators):
            return FileOutcome(shown, Status.SKIPPED), data
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
    )
    return outcome, new_data


def in_cells(diagnostic: Diagnostic, notebook: Notebook) -> Diagnostic:
    """A diagnostic on the view, with rows made relative to the cell that holds it."""
    import dataclasses

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
