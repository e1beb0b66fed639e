"""`--statistics`: a count per rule, most frequent first."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable

from rewriter.results import Diagnostic


def statistics(diagnostics: Iterable[Diagnostic], unsafe_fixes: bool, as_json: bool = False) -> str:
    """A count per rule, most frequent first (Ruff's `--statistics`)."""
    diagnostics = list(diagnostics)
    counts = Counter(d.code for d in diagnostics)
    names = {d.code: d.name for d in diagnostics}
    fixable = Counter(d.code for d in diagnostics if d.fix_applicable(unsafe_fixes))
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if as_json:
        return (
            json.dumps(
                [
                    {
                        "code": code,
                        "name": names[code],
                        "count": count,
                        "fixable": fixable[code] == count,
                        "fixable_count": fixable[code],
                    }
                    for code, count in rows
                ],
                indent=2,
            )
            + "\n"
        )
    if not rows:
        return ""
    width = max(len(str(count)) for _, count in rows)
    return "".join(
        f"{count:>{width}}\t{code}\t{'[*] ' if fixable[code] == count else '[-] ' if fixable[code] else '    '}"
        f"{names[code]}\n"
        for code, count in rows
    )
