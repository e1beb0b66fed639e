"""The rule codes users write (`AG001`, `print-in-graph`): the one table of them.

Like Ruff's code table, this sits below everything else, so that settings and the
command line can check what a user selects without importing the rules themselves.
Each rule class declares a CODE and NAME that must stand here (checked at import).
"""

from __future__ import annotations

from collections.abc import Iterable

RULE_CODES: dict[str, str] = {
    "AG001": "print-in-graph",
    "AG002": "python-random-in-graph",
    "AG003": "python-range-loop",
    "AG004": "python-bool-state",
    "AG005": "variable-created-in-graph",
    "AG006": "list-append-in-graph-loop",
    "AG007": "outer-state-mutation",
    "AG008": "retracing-python-argument",
    "AG009": "tensor-to-python-conversion",
    "AG010": "tensor-as-python-bool",
    "AG011": "leftover-run-functions-eagerly",
}


def validate_code_prefix(code: str) -> str | None:
    """None when `code` selects at least one rule (`AG`, `AG0`, `AG001`, `ALL`); else why not."""
    code = code.upper()
    if code == "ALL" or any(known.startswith(code) for known in RULE_CODES):
        return None
    return f"unknown rule code {code!r}"


def parse_codes(value: Iterable[str] | str) -> list[str]:
    """Upper-cased codes from a list or a comma-separated string, blanks dropped.

    Raises ValueError naming the first code that selects no rule.
    """
    items = value.split(",") if isinstance(value, str) else list(value)
    codes = [item.strip().upper() for item in items if item.strip()]
    for code in codes:
        problem = validate_code_prefix(code)
        if problem:
            raise ValueError(problem)
    return codes
