"""The hunks of a fix's diff, with the rows they touch: what `review` asks and `apply` names."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from rewriter.output.diff import split_lines
from rewriter.results import Diagnostic


@dataclass
class Hunk:
    """One hunk of the diff between a file's text and its fixed text."""

    old_start: int  # 0-based index of the first line the hunk covers (context included)
    old_lines: list[str]
    new_lines: list[str]
    text: str  # the hunk as a unified diff shows it, header included
    touched: tuple[int, int]  # 1-based rows of the original the change itself spans
    diagnostics: list[Diagnostic] = field(default_factory=list)
    needs: set[int] = field(default_factory=set)  # hunks its fixes cannot do without
    primary: bool = False  # holds the position of a finding (not only an import it needs)

    @property
    def support(self) -> bool:
        """Only what other hunks' fixes need (an added import): never asked on its own,
        applied with an accepted hunk that needs it, dropped otherwise."""
        return bool(self.diagnostics) and not self.primary


def make_hunks(original: str, fixed: str, context: int = 3) -> list[Hunk]:
    """The hunks `--diff` would show for this change, with their line ranges."""
    a, b = split_lines(original), split_lines(fixed)
    hunks = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        body = []
        changed_rows: list[int] = []
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                body += [" " + line for line in a[a1:a2]]
                continue
            # Rows this change touches; an insertion touches the rows on both sides of it
            # (where a blank line goes, the diff may line it up on either side).
            changed_rows += list(range(a1 + 1, a2 + 1)) if a2 > a1 else [a1, a1 + 1]
            body += ["-" + line for line in a[a1:a2]]
            body += ["+" + line for line in b[b1:b2]]
        header = f"@@ -{_range(i1, i2)} +{_range(j1, j2)} @@\n"
        text = header + "".join(
            line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in body
        )
        hunks.append(Hunk(i1, a[i1:i2], b[j1:j2], text, (min(changed_rows), max(changed_rows))))
    return hunks


def _range(start: int, stop: int) -> str:
    length = stop - start
    first = start + 1 if length else start
    return f"{first}" if length == 1 else f"{first},{length}"
