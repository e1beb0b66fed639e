"""Running the command line in the test's own process, with what it printed."""

from __future__ import annotations

import pytest

from rewriter.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """`tfrewrite ARGS`: the exit code, standard output and standard error."""
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err
