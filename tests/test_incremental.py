"""Findings kept between versions of a document (`rewriter.incremental`) are, version for
version, the findings of a whole check: on every golden input, over random edits, and in
the cases where a group's findings depend on more than its own text."""

from __future__ import annotations

import ast
import random
import re
import sys
from pathlib import Path

import pytest
from random_edits import random_edit

from rewriter.analyze.statement_groups import statement_groups
from rewriter.incremental import DocumentFindings
from rewriter.pipeline import SourceError, find_violations, to_diagnostic
from rewriter.results import Diagnostic
from rewriter.settings import Settings
from rewriter.source import decode_source

ROOT = Path(__file__).resolve().parent.parent
INPUTS = sorted((ROOT / "golden").glob("*/*.in.py"))
FOLDERS = sorted({p.parent.name for p in INPUTS})
SETTINGS = Settings()


def read(path: Path) -> str:
    return decode_source(path.read_bytes()).text


def whole_check(text: str, settings: Settings = SETTINGS) -> list[Diagnostic]:
    module, violations = find_violations(text, "m.py", settings)
    return [to_diagnostic(module, v, "m.py") for v in violations]


def assert_versions_agree(text: str, edits: int, seed: int) -> int:
    """Check `edits` random versions of `text` with one DocumentFindings and with whole
    checks; return how many versions parsed."""
    rng = random.Random(seed)
    kept = DocumentFindings()
    last_good, compared = text, 0
    for step in range(edits + 1):
        version = random_edit(last_good, rng) if step else text
        try:
            expected = whole_check(version)
        except SourceError:
            with pytest.raises(SourceError):
                kept.diagnostics(version, "m.py", SETTINGS)
            continue
        assert kept.diagnostics(version, "m.py", SETTINGS) == expected, f"version {step}"
        last_good, compared = version, compared + 1
    return compared


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_first_version_is_the_whole_check(path: Path) -> None:
    text = read(path)
    assert DocumentFindings().diagnostics(text, "m.py", SETTINGS) == whole_check(text)


@pytest.mark.parametrize("folder", FOLDERS)
def test_random_edits_of_golden_inputs(folder: str) -> None:
    compared = 0
    for number, path in enumerate(sorted((ROOT / "golden" / folder).glob("*.in.py"))):
        compared += assert_versions_agree(read(path), 6, number)
    assert compared > 0


@pytest.fixture(scope="module")
def dense_module() -> str:
    """2,000 lines of graph code as `scripts/bench.py --server` checks it."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import bench
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    rng = random.Random(6)
    return bench.server_text(rng, bench.Names(rng), 2000, dense=True)


def test_random_edits_of_a_large_module(dense_module: str) -> None:
    assert assert_versions_agree(dense_module, 25, 1) > 15


def test_an_edit_in_one_function_analyses_its_group_alone(dense_module: str) -> None:
    kept = DocumentFindings()
    kept.diagnostics(dense_module, "m.py", SETTINGS)
    assert kept.work.whole
    lines = dense_module.splitlines(keepends=True)
    row = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].startswith("    return "))
    for version in (
        lines[:row] + ["    _seen = 1\n"] + lines[row:],  # a line added: the rest moves down
        lines[:row] + ["    _seen = 2\n"] + lines[row:],  # the line changed
        lines[:row] + ["    print(x)\n"] + lines[row:],
    ):
        text = "".join(version)
        assert kept.diagnostics(text, "m.py", SETTINGS) == whole_check(text)
        assert not kept.work.whole
        assert 1 <= kept.work.analysed <= 3 < kept.work.groups


FIRST = """\
import tensorflow as tf


@tf.function
def first(x):
    v = tf.Variable(x)
    return v + 1
"""

OTHER = """\


def other(y):
    return y * 2
"""
# Unrelated functions, so that an edit of one group is analysed alone (in a small
# module, one whole analysis is cheaper).
FILLER = "".join(f"\n\ndef filler_{n}(z):\n    return z - {n}\n" for n in range(8))


def test_a_new_name_for_a_fix_is_free_in_the_whole_module() -> None:
    # AG005 declares a holder named after the function and the variable (`_first_v`);
    # when another function starts using that name, the fix must pick another one.
    # (`first` comes after `other`: a declaration right below the imports is placed by
    # the blank lines there, and such findings are never kept.)
    header, first = FIRST.split("\n\n\n", 1)
    kept = DocumentFindings()
    text = header + OTHER + "\n\n" + first + FILLER
    before = kept.diagnostics(text, "m.py", SETTINGS)
    assert before == whole_check(text)
    assert any("_first_v = None" in e.content for d in before if d.fix for e in d.fix.edits)
    text = text.replace("return y * 2", "_first_v = y\n    return _first_v * 2")
    after = kept.diagnostics(text, "m.py", SETTINGS)
    assert after == whole_check(text)
    assert any("_first_v_2 = None" in e.content for d in after if d.fix for e in d.fix.edits)
    # `first` analysed alone must still see the name taken elsewhere.
    text = text.replace("    return v + 1", "    w = v + 1\n    return w")
    assert kept.diagnostics(text, "m.py", SETTINGS) == whole_check(text)
    assert not kept.work.whole and kept.work.analysed == 1


def test_a_statement_that_moves_next_to_the_imports() -> None:
    # A declaration above a function right below the imports goes after their blank
    # line; when the function between goes away, the kept findings must not be reused.
    middle = "\n\ndef between(z):\n    return z\n"
    text = FIRST.replace("\n\n@tf.function", middle + "\n\n@tf.function")
    kept = DocumentFindings()
    assert kept.diagnostics(text, "m.py", SETTINGS) == whole_check(text)
    assert kept.diagnostics(FIRST, "m.py", SETTINGS) == whole_check(FIRST)


def test_a_message_naming_a_line_moves_with_it() -> None:
    loop = (
        "import tensorflow as tf\n"
        + OTHER
        + "\n\n@tf.function\ndef grow(n):\n"
        + "    total = 0.0\n    for i in range(3):\n        v = tf.Variable(1.0)\n        total += v\n    return total\n"
        + FILLER
    )
    kept = DocumentFindings()
    first = kept.diagnostics(loop, "m.py", SETTINGS)
    assert any(re.search(r"\bline \d", d.message) for d in first)
    moved = loop.replace("    return y * 2", "    y = y + 1\n    return y * 2")  # `grow` moves down
    assert kept.diagnostics(moved, "m.py", SETTINGS) == whole_check(moved)
    assert not kept.work.whole and kept.work.analysed == 2  # `other`, and `grow` for its message


def test_rule_messages_name_lines_as_the_kept_findings_expect() -> None:
    # Kept findings are moved with their lines, except those whose message names a line,
    # which `rewriter.incremental` finds by "line <number>": every message that puts a
    # line number in must say it that way.
    sources = [*(ROOT / "rewriter" / "rules").glob("*.py"), *(ROOT / "rewriter" / "analyze").glob("*.py")]
    for path in sources:
        for match in re.finditer(r"\{[^{}]*\b(?:lineno|row)\}", path.read_text(encoding="utf-8")):
            before = path.read_text(encoding="utf-8")[: match.start()]
            assert before.endswith("line "), f"{path.name}: {match.group()} is not written as `line {{...}}`"


def test_a_module_without_imports_is_checked_whole() -> None:
    text = "def f(x):\n    return x\n"
    kept = DocumentFindings()
    assert kept.diagnostics(text, "m.py", SETTINGS) == whole_check(text)
    assert kept.work.whole and kept.work.groups == 0


def test_other_settings_start_afresh() -> None:
    kept = DocumentFindings()
    text = FIRST + OTHER
    assert kept.diagnostics(text, "m.py", SETTINGS) == whole_check(text)
    quiet = Settings(ignore=frozenset({"AG005"}))
    assert kept.diagnostics(text, "m.py", quiet) == whole_check(text, quiet) == []


# -- the groups ------------------------------------------------------------------------------


def groups_of(text: str) -> list[list[str]]:
    tree = ast.parse(text)
    found = statement_groups(tree)
    assert found is not None

    def label(index: int) -> str:
        node = tree.body[index]
        return getattr(node, "name", None) or ast.unparse(node).split("\n")[0]

    return sorted(sorted(label(i) for i in members) for members in found.groups)


HEADER = "import os\nimport tensorflow as tf\n\n"


def test_names_link_statements() -> None:
    text = HEADER + (
        "def helper(x):\n    return x\n"
        "def step(x):\n    return helper(x)\n"  # a call
        "def alone(x):\n    return x\n"
        "def wrapped(x):\n    return x\n"
        "compiled = tf.function(wrapped)\n"  # a wrapper
        "class Base:\n    pass\n"
        "class Child(Base):\n    pass\n"  # a base class
        "class Layer:\n    def run(self):\n        return 1\n"
        "def caller(obj):\n    return obj.run()\n"  # an attribute
        "def by_name(obj):\n    return getattr(obj, 'method')\n"
        "class Owner:\n    def method(self):\n        return 2\n"  # a string passed to a call
        "counter = []\n"
        "def count():\n    global counter\n    counter = [1]\n"  # a global declaration
    )
    assert groups_of(text) == [
        ["Base", "Child"],
        ["Layer", "caller"],
        ["Owner", "by_name"],
        ["alone"],
        ["compiled = tf.function(wrapped)", "wrapped"],
        ["count", "counter = []"],
        ["helper", "step"],
    ]


def test_own_and_imported_attributes_do_not_link() -> None:
    text = HEADER + (
        "class A:\n    def __init__(self):\n        self.scale = 1\n        super().__init__()\n"
        "    def get(self):\n        return self.scale\n"
        "class B:\n    def __init__(self):\n        self.scale = 2\n"
        "def join(a):\n    return os.path.join(a)\n"
        "class Holder:\n    def __init__(self):\n        self.path = ''\n"
    )
    assert groups_of(text) == [["A"], ["B"], ["Holder"], ["join"]]


def test_the_imports_are_the_context_of_every_group() -> None:
    tree = ast.parse('"""Doc."""\nimport os\nx = 1\nimport sys\ny = 2\n')
    found = statement_groups(tree)
    assert found is not None
    # The docstring, both imports, and `x = 1`, which ends the first run of imports.
    assert found.context == (0, 1, 2, 3)
    assert sorted(found.groups) == [(2,), (4,)]
    assert statement_groups(ast.parse("x = 1\n")) is None
