"""AG011: the eager debugging switch, reported in non-test modules only."""

from __future__ import annotations

from pathlib import Path

import pytest

from rewriter.cli import main
from rewriter.pipeline import might_hold_graph_code, process_source
from rewriter.rules.leftover_run_functions_eagerly import is_test_file
from rewriter.settings import Settings

SWITCH_ONLY = "import tensorflow as tf\n\ntf.config.run_functions_eagerly(True)\n"


@pytest.mark.parametrize(
    "name",
    ["test_model.py", "model_test.py", "conftest.py", "tests/helpers.py", "pkg/test/util.py", "a\\tests\\b.py"],
)
def test_test_files_are_recognised(name: str) -> None:
    assert is_test_file(name)


@pytest.mark.parametrize("name", ["train.py", "<string>", "-", "contest.py", "testing_utils.py", "src/latest.py"])
def test_other_files_are_not_test_files(name: str) -> None:
    assert not is_test_file(name)


def test_reported_in_a_module_without_graph_scopes() -> None:
    assert might_hold_graph_code(SWITCH_ONLY)
    report = process_source(SWITCH_ONLY, Settings(), "train.py")
    assert [(d.code, d.location.row, d.fix) for d in report.diagnostics] == [("AG011", 3, None)]
    assert report.fixed == SWITCH_ONLY


@pytest.mark.parametrize("name", ["tests/test_train.py", "conftest.py", "train_test.py", "debug.ipynb"])
def test_not_reported_in_tests_or_notebooks(name: str) -> None:
    assert process_source(SWITCH_ONLY, Settings(), name).diagnostics == []


def test_other_rules_still_need_a_graph_scope() -> None:
    text = SWITCH_ONLY + "\n\ndef f(x):\n    print(x)\n"
    assert [d.code for d in process_source(text, Settings(), "train.py").diagnostics] == ["AG011"]
    assert process_source(text, Settings(ignore=frozenset({"AG011"})), "train.py").diagnostics == []


def test_the_command_line_finds_it_and_skips_tests(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tests").mkdir()
    (tmp_path / "train.py").write_text(SWITCH_ONLY)
    (tmp_path / "tests" / "helpers.py").write_text(SWITCH_ONLY)
    (tmp_path / "train_test.py").write_text(SWITCH_ONLY)
    code = main(["check", "--no-cache", "--no-progress", "."])
    out = capsys.readouterr().out
    assert code == 1
    assert "train.py:3:1: AG011" in out
    assert "helpers.py" not in out and "train_test.py" not in out
