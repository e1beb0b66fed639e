"""Decoding, encoding and position bookkeeping for one Python source text."""

from __future__ import annotations

import ast
import bisect
import io
import itertools
import re
import tokenize
import warnings
from collections.abc import Collection, Iterator
from dataclasses import dataclass

_NEWLINE = re.compile(r"\r\n|\r|\n")
_WORD = re.compile(r"\w+")
# Up to this many names, each is found on its own; more are looked up in one scan of
# every word of the text (a regex alternation of many names is slower than both).
_NAMES_FOUND_ONE_BY_ONE = 32


class SourceDecodeError(ValueError):
    """The bytes are not a Python source text we can decode."""


@dataclass(frozen=True)
class DecodedSource:
    """A source text with what is needed to write it back byte for byte."""

    text: str
    encoding: str  # "utf-8-sig" when the file starts with a BOM
    newline: str  # the dominant line ending, used for inserted lines

    def encode(self, text: str) -> bytes:
        return text.encode(self.encoding)


def decode_source(data: bytes) -> DecodedSource:
    """Decode `data` the way the interpreter would (BOM, PEP 263 cookie).

    Raises SourceDecodeError with a one-line reason; never anything else.
    """
    if b"\x00" in data:
        raise SourceDecodeError("binary file (contains NUL bytes)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        # "invalid or missing encoding declaration" means the first lines are not UTF-8;
        # name the byte, as for any other undecodable file.
        encoding, reason = "utf-8", str(exc)
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            pass
        else:
            raise SourceDecodeError(reason) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SourceDecodeError(
            f"cannot decode as {encoding}: byte {exc.object[exc.start]:#04x} at offset {exc.start}"
        ) from None
    except LookupError:
        raise SourceDecodeError(f"unknown encoding {encoding!r}") from None
    return DecodedSource(text=text, encoding=encoding, newline=dominant_newline(text))


def dominant_newline(text: str) -> str:
    crlf = text.count("\r\n")
    if text.count("\r") == crlf:
        # No lone "\r" (the usual case): the counts decide, and a tie goes to "\n".
        return "\r\n" if crlf > text.count("\n") - crlf else "\n"
    counts: dict[str, int] = {}
    for match in _NEWLINE.finditer(text):
        counts[match.group()] = counts.get(match.group(), 0) + 1
    if not counts:
        return "\n"
    return max(counts, key=lambda nl: (counts[nl], nl == "\n"))


class LineIndex:
    """Maps between character offsets and (row, column) positions.

    Rows are 1-based like `ast`; the interpreter counts "\\r\\n", "\\r" and "\\n" as line
    ends (and nothing else: form feeds and U+2028 are not), so this does too. `ast`
    reports columns in UTF-8 bytes; `offset_from_ast` converts them.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        if "\r" in text:
            self.line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        else:  # the same, faster: each line start is one past the previous line's "\n"
            self.line_starts = [0, *itertools.accumulate(map((1).__add__, map(len, text.split("\n"))))][:-1]

    def line_start(self, row: int) -> int:
        return self.line_starts[row - 1]

    def line_text(self, row: int) -> str:
        start = self.line_starts[row - 1]
        end = self.line_starts[row] if row < len(self.line_starts) else len(self.text)
        return self.text[start:end]

    def offset_from_ast(self, row: int, byte_col: int) -> int:
        start = self.line_starts[row - 1]
        line = self.line_text(row)
        if line.isascii():
            return start + byte_col
        return start + len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))

    def rows_naming(self, names: Collection[str]) -> list[int]:
        """Sorted rows on which one of `names` (identifiers) occurs as a whole word;
        for ASCII text, where a word is a run of letters, digits and underscores."""
        if len(names) > _NAMES_FOUND_ONE_BY_ONE:
            offsets: Iterator[int] = (m.start() for m in _WORD.finditer(self.text) if m.group() in names)
        else:
            offsets = (offset for name in names for offset in whole_word_offsets(self.text, name))
        starts = self.line_starts
        return sorted({bisect.bisect_right(starts, offset) for offset in offsets})

    def row_col(self, offset: int) -> tuple[int, int]:
        """1-based row and 1-based character column of `offset` (Ruff's convention)."""
        row = bisect.bisect_right(self.line_starts, offset)
        return row, offset - self.line_starts[row - 1] + 1

    def node_range(self, node: object) -> tuple[int, int]:
        """Character offsets spanning an `ast` node."""
        start = self.offset_from_ast(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = self.offset_from_ast(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        return start, end

    def segment(self, node: object) -> str:
        start, end = self.node_range(node)
        return self.text[start:end]


def has_comment(source: str) -> bool:
    """Whether a piece of code holds a comment (a `#` inside a string does not count).

    A fix that regenerates this text would drop the comment. Text that does not
    tokenize counts as holding one, so callers stay timid.
    """
    if "#" not in source:
        return False
    try:
        return any(t.type == tokenize.COMMENT for t in tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return True


def compile_error(text: str, filename: str, top_level_await: bool = False) -> Exception | None:
    """Why `text` does not compile (a SyntaxError, ValueError, ...), or None when it does.

    Every fixed text goes through this check before it is written; `top_level_await`
    accepts `await` outside functions, as IPython runs it in notebooks.
    """
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if top_level_await else 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, filename, "exec", dont_inherit=True, flags=flags)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return exc
    return None


def whole_word_offsets(text: str, name: str) -> Iterator[int]:
    """Where identifier `name` occurs in ASCII `text` other than inside a longer word."""
    size, length = len(name), len(text)
    start = text.find(name)
    while start != -1:
        end = start + size
        if (start == 0 or not is_word_character(text[start - 1])) and (
            end == length or not is_word_character(text[end])
        ):
            yield start
        # An occurrence overlapping this one starts after a word character: not whole.
        start = text.find(name, end)


def is_word_character(character: str) -> bool:
    """A letter, digit or underscore: what `\\w` matches in ASCII text."""
    return character.isalnum() or character == "_"
