"""`--output-format github`: workflow commands that annotate the files of a pull request."""

from __future__ import annotations

from rewriter.output.notebook_rows import notebook_file_rows
from rewriter.results import FileOutcome


def github(outcomes: list[FileOutcome]) -> str:
    """`::error file=...,line=...,col=...,endLine=...,endColumn=...,title=AG001::message`.

    A notebook's findings point at the JSON line holding the source line (where GitHub
    shows the file), and the message names the cell.
    """
    out = []
    for outcome in outcomes:
        if outcome.failed:
            out.append(f"::error file={_property(outcome.path)},title=tfrewrite::{_data(outcome.error or 'error')}\n")
            continue
        rows = notebook_file_rows(outcome)
        for d in outcome.diagnostics:
            if d.cell is None:
                where = f"line={d.row},col={d.column},endLine={d.end_location.row},endColumn={d.end_location.column}"
                message = d.message
            else:
                line = rows(d.cell, d.row) or 1
                where = f"line={line},endLine={line}"
                message = f"cell {d.cell}:{d.row}:{d.column}: {d.message}"
            out.append(f"::error file={_property(d.filename)},{where},title={_property(d.code)}::{_data(message)}\n")
    return "".join(out)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
