"""`tfrewrite review`: accept fixes hunk by hunk on a terminal, then write each file once.

Each hunk is shown with the rule codes and messages behind it. A fix is all or nothing:
accepting a hunk also accepts the hunks its fixes need (typically the import a rewritten
line uses), and the reviewer is told. Each file is written once, atomically,
with only its accepted hunks, and only when the result still compiles.
"""

from __future__ import annotations

import os
from typing import TextIO

from rewriter.hunks import Hunk, make_hunks
from rewriter.output.diff import split_lines
from rewriter.results import FileOutcome

HELP = """\
y - apply this hunk
n - do not apply this hunk
a - apply this hunk and all later hunks in the file
d - do not apply this hunk or any later hunk in the file
q - quit; write the hunks accepted so far, do not apply this hunk or any other one
? - print help
"""

REFUSAL = (
    "`tfrewrite review` asks questions and needs a terminal; without one, write a patch "
    "with `tfrewrite check --diff PATH > fixes.patch`, edit it, and apply it with "
    "`tfrewrite apply fixes.patch`"
)


def attribute(hunks: list[Hunk], outcome: FileOutcome) -> None:
    """Name the findings behind each hunk, and which hunks each hunk's fixes need.

    A finding belongs to a hunk when its position or one of its fix's edits lies in the
    rows the hunk changes (for a notebook, rows are mapped from cells to the view). The
    hunk holding a finding's position needs the hunks of the fix's other edits (such as
    the import it adds); a shared import needs nothing back, so accepting one rewritten
    line never pulls in another.
    """
    rows_of = _view_rows(outcome)
    for diagnostic in outcome.found or outcome.diagnostics:
        position = rows_of(diagnostic.cell, diagnostic.location.row)
        rows = {position}
        for edit in diagnostic.fix.edits if diagnostic.fix is not None else ():
            cell = edit.cell if edit.cell is not None else diagnostic.cell
            first, last = rows_of(cell, edit.location.row), rows_of(cell, edit.end_location.row)
            # An insertion sits between two rows; a diff may show it on either side.
            rows |= set(range(first - (edit.location == edit.end_location), last + 1))
        owners = {
            index for index, hunk in enumerate(hunks) if any(hunk.touched[0] <= row <= hunk.touched[1] for row in rows)
        }
        primary = {index for index in owners if hunks[index].touched[0] <= position <= hunks[index].touched[1]}
        for index in sorted(owners):
            hunks[index].diagnostics.append(diagnostic)
            if index in primary or not primary:
                hunks[index].needs |= owners - {index}
                hunks[index].primary = True


def _view_rows(outcome: FileOutcome):  # type: ignore[no-untyped-def]
    if not outcome.path.endswith(".ipynb"):
        return lambda cell, row: row
    from rewriter.cells import view_markers

    markers = dict((number, row) for row, number in view_markers(outcome.original or ""))
    return lambda cell, row: markers.get(cell, 0) + row if cell is not None else row


def apply_selected(original: str, hunks: list[Hunk], accepted: set[int]) -> str:
    """The original text with only the accepted hunks applied."""
    lines = split_lines(original)
    out: list[str] = []
    position = 0
    for index, hunk in enumerate(hunks):
        if index not in accepted:
            continue
        out.extend(lines[position : hunk.old_start])
        out.extend(hunk.new_lines)
        position = hunk.old_start + len(hunk.old_lines)
    out.extend(lines[position:])
    return "".join(out)


def closure(accepted: set[int], hunks: list[Hunk]) -> set[int]:
    result = set(accepted)
    pending = list(accepted)
    while pending:
        for linked in hunks[pending.pop()].needs:
            if linked not in result:
                result.add(linked)
                pending.append(linked)
    return result


class Reviewer:
    """The question loop over files; reads answers from `answers`, writes to `out`."""

    def __init__(self, answers: TextIO, out: TextIO, color: bool = True, unsafe_fixes: bool = False) -> None:
        self.answers, self.out, self.color, self.unsafe_fixes = answers, out, color, unsafe_fixes
        self.quit = False
        self.written = self.failed = self.accepted_total = self.offered_total = 0

    def review_file(self, path: str, settings, mode) -> None:  # type: ignore[no-untyped-def]
        from rewriter.files import process_file

        try:
            with open(path, "rb") as handle:
                before = os.fstat(handle.fileno())
                data = handle.read()
        except OSError as exc:
            self._say(f"{path}: error: {exc.strerror or exc}\n")
            self.failed += 1
            return
        outcome = process_file(path, settings, mode)
        if outcome.failed:
            self._say(f"{outcome.path}: error: {outcome.error}\n")
            self.failed += 1
            return
        if outcome.fixed is None or outcome.original == outcome.fixed:
            return
        if _view_of(path, data) != outcome.original:
            self._say(f"{outcome.path}: error: the file changed while it was being reviewed\n")
            self.failed += 1
            return
        hunks = make_hunks(outcome.original or "", outcome.fixed)
        attribute(hunks, outcome)
        # An import hunk goes in only with an accepted fix that needs it, never alone.
        accepted = {index for index in self._ask(outcome, hunks) if not hunks[index].support}
        self.offered_total += len(hunks)
        if not accepted:
            return
        final = closure(accepted, hunks)
        for index in sorted(final - accepted):
            needing = [str(i + 1) for i in sorted(final) if index in hunks[i].needs]
            self._say(
                f"Also applying hunk {index + 1}: the fixes in "
                f"{'hunk' if len(needing) == 1 else 'hunks'} {', '.join(needing)} need it.\n"
            )
        self._write(path, outcome, data, before, hunks, final)

    def _ask(self, outcome: FileOutcome, hunks: list[Hunk]) -> set[int]:
        from rewriter.output.color import colorize_diff
        from rewriter.output.diff import label_cells

        accepted: set[int] = set()
        header = f"--- a/{outcome.path}\n+++ b/{outcome.path}\n"
        self._say("\n" + (colorize_diff(header) if self.color else header))
        index = 0
        while index < len(hunks):
            hunk = hunks[index]
            if hunk.support:
                index += 1  # shown and applied with the fix that needs it
                continue
            for shown in [index, *sorted(i for i in hunk.needs if hunks[i].support)]:
                text = hunks[shown].text
                if outcome.path.endswith(".ipynb"):
                    text = label_cells(header + text, outcome.original or "")[len(header) :]
                if shown != index:
                    self._say(f"  with hunk {shown + 1}, which this fix needs:\n")
                self._say(colorize_diff(text) if self.color else text)
            for line in _explain(hunk, self.unsafe_fixes):
                self._say(line + "\n")
            answer = self._prompt(f"({index + 1}/{len(hunks)}) Apply this hunk to {outcome.path} [y,n,a,d,q,?]? ")
            if answer == "y":
                accepted.add(index)
            elif answer == "a":
                accepted |= set(range(index, len(hunks)))
                break
            elif answer == "d":
                break
            elif answer == "q":
                self.quit = True
                break
            elif answer != "n":
                self._say(HELP)
                continue
            index += 1
        return accepted

    def _prompt(self, question: str) -> str:
        self._say(question)
        line = self.answers.readline()
        if not line:  # end of input: treat as quit
            self._say("\n")
            return "q"
        return line.strip().lower()[:1] or "?"

    def _write(
        self,
        path: str,
        outcome: FileOutcome,
        data: bytes,
        before: os.stat_result,
        hunks: list[Hunk],
        accepted: set[int],
    ) -> None:
        from rewriter.apply import PatchError, check_compiles, unbound_names
        from rewriter.file_kinds import is_markdown
        from rewriter.files import WriteError, write_atomic

        text = apply_selected(outcome.original or "", hunks, accepted)
        try:
            new_data = _encode(path, data, text)
            if not path.endswith(".ipynb") and not is_markdown(path):
                check_compiles(text, path)
                missing = sorted(unbound_names(text) - unbound_names(outcome.original or ""))
                if missing:
                    raise PatchError(
                        f"the accepted hunks use `{missing[0]}`, whose import a declined hunk adds "
                        "or an accepted one removes; accept or decline them together"
                    )
            write_atomic(path, new_data, data, before)
        except (PatchError, ValueError, WriteError, OSError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            self._say(f"{outcome.path}: not written: {reason}\n")
            self.failed += 1
            return
        self.written += 1
        self.accepted_total += len(accepted)
        self._say(f"Wrote {outcome.path} ({len(accepted)} of {len(hunks)} {'hunk' if len(hunks) == 1 else 'hunks'}).\n")

    def _say(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()


def _explain(hunk: Hunk, unsafe_fixes: bool) -> list[str]:
    if not hunk.diagnostics:
        return ["  (follows from the fixes in the hunks around it)"]
    lines = []
    for d in hunk.diagnostics:
        where = f"cell {d.cell}:" if d.cell is not None else ""
        fix = f" -> {d.fix.message} ({d.fix.applicability})" if d.fix is not None else ""
        lines.append(f"  {d.code} {d.name} at {where}{d.row}:{d.column}: {d.message}{fix}")
    return lines


def _view_of(path: str, data: bytes) -> str | None:
    from rewriter import markdown
    from rewriter.file_kinds import is_markdown
    from rewriter.notebook import NotebookError, load
    from rewriter.source import SourceDecodeError, decode_source

    try:
        if is_markdown(path):
            return markdown.load(data).text
        return load(data).view if path.endswith(".ipynb") else decode_source(data).text
    except (NotebookError, SourceDecodeError, markdown.MarkdownError):
        return None


def _encode(path: str, data: bytes, text: str) -> bytes:
    """New bytes for the file: the notebook JSON rebuilt, or the text in its encoding."""
    from rewriter import markdown
    from rewriter.file_kinds import is_markdown
    from rewriter.notebook import load
    from rewriter.source import decode_source

    if path.endswith(".ipynb"):
        return load(data).with_view(text)  # raises NotebookError (a ValueError)
    if is_markdown(path):
        return markdown.check_edited(data, text)  # raises MarkdownError (a ValueError)
    return decode_source(data).encode(text)


def run(paths: list[str], settings, answers: TextIO, out: TextIO, color: bool) -> int:  # type: ignore[no-untyped-def]
    """Review every file in `paths` (already discovered and sorted). Returns an exit code."""
    from rewriter.files import Mode

    reviewer = Reviewer(answers, out, color, settings.unsafe_fixes)
    for path in paths:
        if reviewer.quit:
            break
        reviewer.review_file(path, settings, Mode.DIFF)
    if not reviewer.offered_total and not reviewer.failed:
        out.write("Nothing to review: no fixes apply.\n")
    else:
        out.write(
            f"Applied {reviewer.accepted_total} of {reviewer.offered_total} "
            f"{'hunk' if reviewer.offered_total == 1 else 'hunks'}; wrote {reviewer.written} "
            f"{'file' if reviewer.written == 1 else 'files'}.\n"
        )
    return 2 if reviewer.failed else 0
