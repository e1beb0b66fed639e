"""Where a notebook finding is in the notebook's JSON file, for services that show the file."""

from __future__ import annotations

from collections.abc import Callable

from rewriter.results import FileOutcome


def notebook_file_rows(outcome: FileOutcome) -> Callable[[int, int], int | None]:
    """For notebooks: the JSON file's row of a cell row (the file as it is now)."""
    if not outcome.path.endswith(".ipynb"):
        return lambda cell, row: None
    from rewriter.notebook import file_rows  # (a run without notebooks need not import it)

    try:
        with open(outcome.path, "rb") as handle:
            return file_rows(handle.read())
    except OSError:
        return lambda cell, row: None
