"""`# tfrewrite: ignore` and `# tfrewrite: ignore[AG001, AG003]` comments, by line."""

from __future__ import annotations

import io
import re
import tokenize

_MARKER = "tfrewrite:"
_COMMENT = re.compile(r"#.*?\btfrewrite:\s*ignore(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)


def suppressions(text: str) -> dict[int, frozenset[str] | None]:
    """Row -> suppressed codes (None: every code). Only real comments count, not strings."""
    if _MARKER not in text:
        return {}
    result: dict[int, frozenset[str] | None] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type != tokenize.COMMENT:
                continue
            match = _COMMENT.search(token.string)
            if match is None:
                continue
            codes = match["codes"]
            row = token.start[0]
            if codes is None:
                result[row] = None
            elif result.get(row, frozenset()) is not None:
                named = frozenset(c.strip().upper() for c in codes.split(",") if c.strip())
                result[row] = (result.get(row) or frozenset()) | named
    except (tokenize.TokenError, SyntaxError):
        return result
    return result


def is_suppressed(table: dict[int, frozenset[str] | None], rows: tuple[int, ...], code: str) -> bool:
    for row in rows:
        if row in table:
            codes = table[row]
            if codes is None or code in codes:
                return True
    return False
