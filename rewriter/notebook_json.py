"""Where things are in a notebook's JSON text, so that a fix rewrites only what changed.

`json.loads` gives values but not where they sit in the text. This scanner walks the
text of the `cells` list and gives the character span of each code cell's `source`
value (and of each element when it is a list), so that writing a fixed notebook replaces
those characters only: outputs, metadata, indentation, key order and escapes keep their
bytes. Values are decoded with `json.JSONDecoder.raw_decode(text, index)`, which also
returns where the value ends; no public API gives positions otherwise (its `index`
argument is in the signature, not in the documentation).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class SourceSpan:
    """A code cell's `source` value: its characters in the JSON text, and its value."""

    number: int  # the cell's 1-based position among all cells
    value: object  # the decoded `source` value (a string or a list of strings, if valid)
    span: tuple[int, int]
    tokens: tuple[tuple[int, int], ...] | None  # list elements' spans; None: one JSON string


def code_sources(text: str) -> list[SourceSpan]:
    """The `source` values of the code cells in a notebook's JSON text, in order.

    Raises ValueError (or IndexError) when the text is not laid out as a notebook.
    """
    found: list[SourceSpan] = []
    for key, start in members(text, skip(text, 0)):
        if key != "cells":
            continue
        found = []  # a later duplicate `cells` key wins, as in json.loads
        for number, cell_start in enumerate(elements(text, start), 1):
            source = _code_source(text, cell_start, number)
            if source is not None:
                found.append(source)
    return found


def _code_source(text: str, start: int, number: int) -> SourceSpan | None:
    if text[start] != "{":
        return None
    cell_type = None
    source: tuple[int, int] | None = None
    tokens: tuple[tuple[int, int], ...] | None = None
    for key, value_start in members(text, start):
        value_end = value_end_at(text, value_start)
        if key == "cell_type":
            cell_type = _DECODER.raw_decode(text, value_start)[0]
        elif key == "source":
            source = (value_start, value_end)
            tokens = None
            if text[value_start] == "[":
                tokens = tuple((s, value_end_at(text, s)) for s in elements(text, value_start))
    if cell_type != "code" or source is None:
        return None
    return SourceSpan(number, json.loads(text[source[0] : source[1]]), source, tokens)


def skip(text: str, index: int) -> int:
    """The index past the JSON whitespace at `index`."""
    return _WHITESPACE.match(text, index).end()  # type: ignore[union-attr]


def value_end_at(text: str, index: int) -> int:
    """Where the JSON value starting at `index` ends."""
    return int(_DECODER.raw_decode(text, index)[1])


def members(text: str, index: int) -> Iterator[tuple[str, int]]:
    """(key, value start) of each member of the object starting at `index`."""
    if text[index] != "{":
        raise ValueError("object expected")
    index = skip(text, index + 1)
    if text[index] == "}":
        return
    while True:
        if text[index] != '"':
            raise ValueError("key expected")
        key, index = _DECODER.raw_decode(text, index)
        index = skip(text, index)
        if text[index] != ":":
            raise ValueError("colon expected")
        value_start = skip(text, index + 1)
        yield key, value_start
        index = skip(text, value_end_at(text, value_start))
        if text[index] == "}":
            return
        if text[index] != ",":
            raise ValueError("comma expected")
        index = skip(text, index + 1)


def elements(text: str, index: int) -> Iterator[int]:
    """The start of each element of the array starting at `index`."""
    if text[index] != "[":
        raise ValueError("array expected")
    index = skip(text, index + 1)
    if text[index] == "]":
        return
    while True:
        yield index
        index = skip(text, value_end_at(text, index))
        if text[index] == "]":
            return
        if text[index] != ",":
            raise ValueError("comma expected")
        index = skip(text, index + 1)


def ensure_ascii(text: str) -> bool:
    """Whether the file escapes non-ASCII characters (`\\u00e9`) rather than writing them."""
    if not text.isascii():
        return False
    return re.search(r"\\u(?:00[89a-fA-F]|0[1-9a-fA-F]|[1-9a-fA-F])[0-9a-fA-F]{2}", text) is not None


def indent_unit(text: str) -> str:
    """The indentation step of the JSON text (nbformat writes one space)."""
    match = re.search(r"\n([ \t]+)\"", text)
    return match.group(1) if match else " "
