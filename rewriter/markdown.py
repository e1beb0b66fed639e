"""Markdown documents as one module: Python code blocks joined, IPython syntax masked.

Tutorials and books hold their code in fenced blocks (```` ```python ````, `~~~ py`,
Quarto's ```` ```{python} ````), run top to bottom as in one session. Their blocks are
treated like a notebook's code cells (see rewriter.notebook): joined in order into one
module view, IPython lines masked, analysed and fixed as one module. Unlike a notebook,
what people see is the Markdown file itself: findings carry the row and column of the
`.md` file, diffs show its lines, and fixes change only the inside of code blocks.
Everything else (front matter, prose, HTML, tables, line ends, trailing whitespace) keeps
its bytes.

Fences are found with markdown-it-py, which follows CommonMark: fences inside list items
and block quotes, fences longer than three characters, unclosed fences. A block's code is
what follows each line's container prefix (the list item's indentation, `> `); lines a
fix adds get the prefix of the block's first code line. Blocks that are not Python after masking (`>>>` console
sessions, pseudo-code, output pasted under a `python` fence) are left out of the module
and named in the outcome's notes.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from rewriter.cell_view import CellView
from rewriter.cells import MARKER_LINE, CellText, NotebookError
from rewriter.ipython_mask import Masked, mask_cell
from rewriter.results import Diagnostic, EditInfo, FileOutcome, FixInfo, Location, Mode, Status
from rewriter.source import compile_error

if TYPE_CHECKING:
    import os

    from rewriter.cache import Cache
    from rewriter.notebook import Process
    from rewriter.settings import Settings

# Fence languages holding Python (the first word of the info string, `{python}` and
# `{.python}` spellings too); `pycon` and `pytb` are console sessions and tracebacks.
LANGUAGES = frozenset({"python", "py", "python3", "py3", "ipython", "ipython3"})

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_PREFIX = re.compile(r"[ \t>]*\Z")


class MarkdownError(ValueError):
    """The document cannot be read or rebuilt; a one-line reason."""


@dataclass(frozen=True)
class Block(CellText):
    """One Python code block: its code, and where its lines are in the document."""

    first_row: int  # the document's row of the block's first code line (1-based)
    span: tuple[int, int]  # characters of the block's code lines (prefixes included)
    prefixes: tuple[str, ...]  # what precedes the code on each line (indentation, `>`)
    indent: str  # the prefix of lines a fix adds
    newline: str  # the line end of lines a fix adds

    @property
    def end_row(self) -> int:
        """The document's row after the last code line (the closing fence, if any)."""
        return self.first_row + len(self.prefixes)


@dataclass
class Markdown(CellView):
    """A parsed Markdown document: its text and its Python code blocks."""

    text: str
    cells: list[Block]
    bom: bool = False
    notes: list[str] = field(default_factory=list)  # blocks left out, and why

    def block(self, number: int) -> Block:
        return self.cells[number - 1]

    # -- positions --------------------------------------------------------------------

    def location(self, location: Location, cell: int | None = None) -> tuple[int, Location]:
        """A view location as (block number, the document's location)."""
        number, inside = self.relative(location, cell)
        block = self.block(number)
        index = inside.row - 1
        if index >= len(block.prefixes):
            return number, Location(block.end_row, 1)
        return number, Location(block.first_row + index, inside.column + len(block.prefixes[index]))

    def diagnostic(self, diagnostic: Diagnostic) -> Diagnostic:
        """A diagnostic on the view, with the document's rows and columns."""
        number, start = self.location(diagnostic.location)
        _, end = self.location(diagnostic.end_location, number)
        fix = diagnostic.fix
        if fix is not None:
            fix = FixInfo(fix.applicability, fix.message, tuple(self._edit(e) for e in fix.edits))
        return dataclasses.replace(diagnostic, location=start, end_location=end, fix=fix)

    def _edit(self, edit: EditInfo) -> EditInfo:
        number, inside = self.relative(edit.location)
        block = self.block(number)
        _, start = self.location(edit.location, number)
        _, end = self.location(edit.end_location, number)
        # Every line the edit starts gets the block's prefix; an edit at the row after the
        # code (lines added at the end of a block) starts at the fence's margin.
        blank = block.indent.rstrip(" \t")  # the prefix of an empty line, as fixes write it
        content = _NEWLINE.sub(
            lambda m: block.newline + (blank if edit.content.startswith(("\n", "\r"), m.end()) else block.indent),
            edit.content,
        )
        if inside.row > len(block.prefixes):
            content = block.indent + content
        if end.row == block.end_row and end.column == 1 and content.endswith(block.indent):
            content = content[: len(content) - len(block.indent)]
        return EditInfo(content, start, end)

    # -- writing ----------------------------------------------------------------------

    def with_view(self, view: str) -> str:
        """The document's text with the blocks' code taken from `view`. Only blocks whose
        code changed are rewritten; the code must still compile. Raises MarkdownError."""
        try:
            sources = self.split_view(view)
        except NotebookError as exc:
            raise MarkdownError(str(exc).replace("cell", "block")) from None
        if sources == [b.source for b in self.cells]:
            return self.text
        _compile_check(self, sources)
        pieces = []
        position = 0
        for block, source in zip(self.cells, sources):
            if source == block.source:
                continue
            pieces.append(self.text[position : block.span[0]])
            pieces.append(_rebuild(self.text[block.span[0] : block.span[1]], block, source))
            position = block.span[1]
        pieces.append(self.text[position:])
        return "".join(pieces)

    def encode(self, text: str) -> bytes:
        return ("\ufeff" if self.bom else "").encode() + text.encode("utf-8")


# -- reading ----------------------------------------------------------------------------


def load(data: bytes) -> Markdown:
    """Parse a document's bytes (UTF-8). Raises MarkdownError with a one-line reason."""
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data[3 if bom else 0 :].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MarkdownError(f"not UTF-8: byte {exc.object[exc.start]:#04x} at offset {exc.start}") from None
    return parse(text, bom)


def parse(text: str, bom: bool = False) -> Markdown:
    from markdown_it import MarkdownIt

    lines = _LINE.findall(text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    blocks: list[Block] = []
    notes: list[str] = []
    for token in MarkdownIt("commonmark").parse(text):
        if token.type != "fence" or token.map is None or _language(token.info) not in LANGUAGES:
            continue
        opening = token.map[0]
        code = token.content.split("\n")
        if code[-1] == "":
            code.pop()
        rows = range(opening + 1, opening + 1 + len(code))
        if not code or rows.stop > len(lines):
            continue
        prefixes = []
        parts = []
        for row, wanted in zip(rows, code):
            body = lines[row].rstrip("\r\n")
            prefix = body[: len(body) - len(wanted)]
            if not body.endswith(wanted) or not _PREFIX.match(prefix):
                break  # a tab split by the container, a NUL byte: not mapped line for line
            prefixes.append(prefix)
            parts.append(wanted + ("\n" if lines[row] != body else ""))  # the view's line ends are \n
        where = f"line {opening + 1}"
        if len(prefixes) != len(code):
            notes.append(f"{where}: code block skipped: its lines cannot be mapped back to the file")
            continue
        # New lines are indented like the block's first code line, else like the fence (a
        # list item's marker counting as spaces).
        fence_line = lines[opening].rstrip("\r\n")
        fence_prefix = re.sub(r"[^ \t>]", " ", fence_line[: max(fence_line.find(token.markup), 0)])
        indent = next((p for p, c in zip(prefixes, code) if c.strip()), fence_prefix)
        newline = next((m.group() for m in _NEWLINE.finditer("".join(lines[opening : rows.stop]))), "\n")
        block = Block(
            number=len(blocks) + 1,
            source="".join(parts),
            first_row=opening + 2,
            span=(starts[rows.start], starts[rows.stop]),
            prefixes=tuple(prefixes),
            indent=indent,
            newline=newline,
        )
        reason = _not_python(block)
        if reason:
            notes.append(f"{where}: code block skipped: {reason}")
            continue
        blocks.append(block)
    return Markdown(text, blocks, bom, notes)


def _language(info: str) -> str:
    words = info.strip().strip("{}").split()
    return words[0].lstrip(".").rstrip(",").lower() if words else ""


def _not_python(block: Block) -> str | None:
    """Why the block cannot join the module view, or None when it can."""
    if MARKER_LINE.search(block.source):
        return "it holds a line like `# %% [cell N]`, which tfrewrite uses to mark blocks"
    try:
        mask_cell(block, Masked(""), mask_future=True)
    except NotebookError as exc:
        return "not Python (" + str(exc).split(": ", 1)[-1] + ")"
    return None


def _compile_check(document: Markdown, sources: list[str]) -> None:
    changed = Markdown(document.text, [dataclasses.replace(b, source=s) for b, s in zip(document.cells, sources)])
    try:
        problem = compile_error(changed.masked.text, "<markdown>", top_level_await=True)
    except NotebookError as exc:
        raise MarkdownError(str(exc).replace("cell", "block")) from None
    if isinstance(problem, SyntaxError):
        number, row = changed.cell_position(problem.lineno or 1)
        where = document.block(number).first_row + row - 1 if number else problem.lineno
        raise MarkdownError(f"{type(problem).__name__}: {problem.msg} (line {where})")
    if problem is not None:
        raise MarkdownError(f"does not compile: {problem}")


def _rebuild(original: str, block: Block, source: str) -> str:
    """A block's lines with new code: lines whose code is unchanged keep their prefix and
    line end; new lines get the block's prefix and line end."""
    old_lines = _LINE.findall(original)
    old_code = [line[len(prefix) :].rstrip("\r\n") for line, prefix in zip(old_lines, block.prefixes)]
    new_lines = _LINE.findall(source)
    new_code = [line.rstrip("\r\n") for line in new_lines]
    kept: dict[int, int] = {}
    matcher = SequenceMatcher(None, old_code, new_code, autojunk=False)
    for tag, i1, i2, j1, _ in matcher.get_opcodes():
        if tag == "equal":
            kept.update((j1 + k, i1 + k) for k in range(i2 - i1))
    out = []
    for index, (line, code) in enumerate(zip(new_lines, new_code)):
        ended = len(line) != len(code)
        if index in kept:
            old = old_lines[kept[index]]
            ending = old[len(old.rstrip("\r\n")) :] or block.newline
            out.append(block.prefixes[kept[index]] + code + (ending if ended else ""))
        else:
            prefix = block.indent if code.strip() else block.indent.rstrip(" \t")
            out.append(prefix + code + (block.newline if ended else ""))
    return "".join(out)


def check_edited(data: bytes, text: str) -> bytes:
    """The bytes of the document `data` with its text replaced by `text`, when `text`
    changes only the code of Python blocks and that code still compiles. MarkdownError."""
    document = load(data)
    edited = parse(text, document.bom)
    if [b.number for b in edited.cells] != [b.number for b in document.cells] or _outside(document) != _outside(edited):
        raise MarkdownError("the change is not confined to the Python code blocks")
    if text != document.text:
        _compile_check(document, [b.source for b in edited.cells])
    return document.encode(text)


def _outside(document: Markdown) -> list[str]:
    pieces = []
    position = 0
    for block in document.cells:
        pieces.append(document.text[position : block.span[0]])
        position = block.span[1]
    pieces.append(document.text[position:])
    return pieces


# -- one document from bytes to outcome ---------------------------------------------------


def markdown_outcome(
    shown: str,
    data: bytes,
    settings: Settings,
    mode: Mode,
    cache: Cache | None = None,
    process: Process | None = None,
) -> tuple[FileOutcome, bytes]:
    """A document's outcome and, with --fix, its new bytes (else `data`). Never raises
    for a bad document; writes nothing. `original` and `fixed` are the document's text.
    `process` replaces `process_source` (the editor server finds without fixing)."""
    from rewriter.pipeline import InternalError, SourceError, might_hold_graph_code, process_source

    if b"tensorflow" not in data or b"function" not in data:
        # Cannot hold graph code (the prefilter's test, on any bytes): a README in another
        # encoding that never names TensorFlow is no error.
        return FileOutcome(shown, Status.SKIPPED), data
    try:
        document = load(data)
        if not document.cells or not might_hold_graph_code(document.view):
            return FileOutcome(shown, Status.SKIPPED, notes=document.notes), data
        masked = document.masked
        cache = cache if process is None else None  # the cache holds whole results only
        key = cache.key(shown, data) if cache is not None else ""
        report = cache.get(key, masked.text, shown) if cache is not None else None
        if report is None or (mode is Mode.FIX and report.fixed != masked.text):
            report = (process or process_source)(masked.text, settings, shown)
            if cache is not None:
                cache.put(key, masked.text, report, shown)
        fixed_view = masked.unmask(report.fixed) if report.fixed != masked.text else document.view
        fixed_text = document.with_view(fixed_view)
        fixed = parse(fixed_text) if fixed_text != document.text else document
    except (MarkdownError, NotebookError, SourceError) as exc:
        return FileOutcome(shown, Status.FAILED, error=str(exc)), data
    except InternalError as exc:
        return FileOutcome(shown, Status.FAILED, error=str(exc), detail=exc.detail), data
    changed = fixed_text != document.text
    found = [document.diagnostic(d) for d in report.diagnostics]
    outcome = FileOutcome(
        shown,
        Status.CHANGED if changed else Status.UNCHANGED,
        diagnostics=[fixed.diagnostic(d) for d in report.remaining] if mode is Mode.FIX else found,
        fixed_count=report.fixed_count if changed else 0,
        original=document.text,
        fixed=fixed_text,
        found=found,
        notes=document.notes,
    )
    new_data = document.encode(fixed_text) if mode is Mode.FIX and changed else data
    return outcome, new_data


def process_markdown(
    path: str,
    shown: str,
    data: bytes,
    before: os.stat_result,
    settings: Settings,
    mode: Mode,
    cache: Cache | None = None,
) -> FileOutcome:
    """Like `rewriter.files.process_file` for a Markdown document; never raises for a bad
    document. With --fix only the changed blocks' lines are rewritten in the file."""
    from rewriter.atomic import write_outcome

    outcome, new_data = markdown_outcome(shown, data, settings, mode, cache)
    return write_outcome(path, shown, outcome, data, new_data, before)
