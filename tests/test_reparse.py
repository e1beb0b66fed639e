"""A tree spliced from the previous version's (`rewriter.reparse`) is the tree `ast.parse`
gives for the whole new text, positions included; or there is none."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest
from random_edits import random_edit

from rewriter.reparse import reparse
from rewriter.source import decode_source

ROOT = Path(__file__).resolve().parent.parent
INPUTS = sorted((ROOT / "golden").glob("*/*.in.py"))


def dump(tree: ast.Module) -> str:
    return ast.dump(tree, include_attributes=True)


def parsed(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except SyntaxError:
        return None


@pytest.mark.parametrize("seed", range(4))
def test_random_edits_give_the_whole_parse(seed: int) -> None:
    rng = random.Random(seed)
    spliced = 0
    for path in INPUTS[seed::4]:
        text = decode_source(path.read_bytes()).text
        tree = parsed(text)
        if tree is None:
            continue
        for _ in range(6):
            new = random_edit(text, rng)
            expected = parsed(new)
            got = reparse(text, tree, new)
            if expected is None:
                assert got is None
                continue
            if got is not None:
                assert dump(got) == dump(expected)
                spliced += 1
            text, tree = new, got if got is not None else expected
    assert spliced > 50


MODULE = "import os\n\n\ndef a():\n    return 1\n\n\ndef b():\n    return 2\n\n\ndef c():\n    return 3\n"


def test_statements_outside_the_edit_are_kept() -> None:
    tree = ast.parse(MODULE)
    a, b, c = tree.body[1:]
    new = MODULE.replace("return 2", "x = 2\n    return x")
    got = reparse(MODULE, tree, new)
    assert got is not None and dump(got) == dump(ast.parse(new))
    assert got.body[1] is a and got.body[2] is not b and got.body[3] is c
    assert c.lineno == 13  # moved down with its lines


@pytest.mark.parametrize(
    "new",
    [
        MODULE.replace("return 2", "return (2"),  # the changed lines do not parse alone
        MODULE.replace("\n", "\r\n"),  # other line ends
    ],
)
def test_no_splice_where_it_could_differ(new: str) -> None:
    assert reparse(MODULE, ast.parse(MODULE), new) is None


def test_a_string_opened_in_the_edit_and_closed_later_is_parsed_whole() -> None:
    # `"""` typed into `b` swallows `c` into a string: the middle alone does not parse.
    new = MODULE.replace("return 2", 'return """2')
    assert reparse(MODULE, ast.parse(MODULE), new) is None


def test_a_line_continued_into_blank_lines_is_parsed_as_the_whole() -> None:
    new = MODULE.replace("return 2", "return 2 \\")
    got = reparse(MODULE, ast.parse(MODULE), new)
    assert got is None or dump(got) == dump(ast.parse(new))
