"""Finding identifiers in source text without a regex over every word.

`LineIndex.rows_naming`, `whole_word_offsets` and the evidence's word counts must give
what the regular expressions they replace give (`\\w+` words, `\\bdef\\s+(\\w+)`), on
every golden input and on hand-made edge cases.
"""

from __future__ import annotations

import re
from collections import Counter
from types import SimpleNamespace

import pytest
from golden_cases import all_cases

from rewriter.analyze.evidence import EvidenceCache, _word_count
from rewriter.source import LineIndex, whole_word_offsets

WORD = re.compile(r"\w+")
DEF_NAME = re.compile(r"\bdef\s+(\w+)")

EDGES = [
    "def f(): f()",
    "xdef f",
    "def\nf",
    "def  f",
    "f",
    "ff f f_ _f f1 1f",
    "def f\ndef f",
    "adef f",
    "d def f",
    "call(x)\nself.call = __call__\n  def call(self):",
    "",
]


def _texts() -> list[str]:
    texts = [case.text() for case in all_cases()]
    return [text for text in texts if text.isascii()] + EDGES


def _names(text: str) -> list[str]:
    words = sorted(set(WORD.findall(text)) - {w for w in WORD.findall(text) if w[0].isdigit()})
    return [*words[:40], "f", "call", "missing_name"]


def test_whole_word_offsets_are_the_regex_words() -> None:
    for text in _texts():
        for name in _names(text):
            expected = [m.start() for m in WORD.finditer(text) if m.group() == name]
            assert list(whole_word_offsets(text, name)) == expected, (name, text[:80])


@pytest.mark.parametrize("count", [1, 3, 40])  # a few names are found one by one; many by one scan
def test_rows_naming_are_the_rows_of_the_regex_words(count: int) -> None:
    for text in _texts():
        lines = LineIndex(text)
        names = set(_names(text)[:count])
        expected = sorted({lines.row_col(m.start())[0] for m in WORD.finditer(text) if m.group() in names})
        assert lines.rows_naming(names) == expected


def test_word_counts_are_the_regex_counts() -> None:
    for text in _texts():
        words, defined = Counter(WORD.findall(text)), Counter(DEF_NAME.findall(text))
        # One cache per module: the first names are searched for, the later ones counted.
        module = SimpleNamespace(text=text, evidence_cache=EvidenceCache())
        for name in _names(text):
            assert _word_count(module, name) == (words[name], defined[name]), (name, text[:80])  # type: ignore[arg-type]


def test_non_ascii_text_is_not_counted() -> None:
    module = SimpleNamespace(text="def ｆ(): pass\n", evidence_cache=EvidenceCache())
    assert _word_count(module, "f") is None  # type: ignore[arg-type]
