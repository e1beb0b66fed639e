"""`--output-format json`: the findings as one JSON list."""

from __future__ import annotations

import json
from collections.abc import Iterable

from rewriter.results import Diagnostic


def json_report(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([d.to_json() for d in diagnostics], indent=2, ensure_ascii=False) + "\n"
