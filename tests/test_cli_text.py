"""What the command line says: summaries that never hide failures, warnings, help text."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from rewriter.cli import build_parser, main

BROKEN = "import tensorflow as tf\n\n\n@tf.function\ndef f(:\n"
CLEAN = "import tensorflow as tf\n\n\ndef f(x):\n    return x\n"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_failed_file_is_never_all_checks_passed(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.py").write_text(BROKEN)
    (tmp_path / "good.py").write_text(CLEAN)
    for flags in ([], ["--fix"]):
        code, out, err = run(["check", "--no-cache", *flags, "."], capsys)
        assert code == 2
        assert "All checks passed" not in out
        assert "1 file could not be checked" in out
        assert "bad.py: error:" in err


def test_no_files_found_warns_on_stderr(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("nothing to see\n")
    code, out, err = run(["check", "."], capsys)
    assert code == 0
    assert err.startswith("warning: No Python files or notebooks found")
    assert "warning" not in out


def test_check_help_lists_exit_codes_and_file_types(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = capsys.readouterr().out
    assert "exit codes:" in out and "0  nothing left to report" in out and "2  a usage error" in out
    assert "*.ipynb" in out and "*.py" in out


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _parsers(sub)
    return found


def test_every_option_has_help_text() -> None:
    missing = [
        f"{parser.prog} {', '.join(action.option_strings)}"
        for parser in _parsers(build_parser())
        for action in parser._actions
        if action.option_strings and not action.help
    ]
    assert missing == []
