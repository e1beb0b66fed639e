#!/usr/bin/env python3
"""Regenerate golden outputs and findings from the inputs; review the result with git diff.

An input whose output equals it gets no `.out.py` (it must not change).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent.parent / "tests")]

from golden_cases import all_cases, rewrite  # noqa: E402


def main() -> int:
    for case in all_cases():
        result = rewrite(case)
        if result.output != case.input.read_bytes():
            case.output.write_bytes(result.output)
        elif case.output.exists():
            case.output.unlink()
        if result.findings:
            case.findings.write_text(result.findings, encoding="utf-8")
        elif case.findings.exists():
            case.findings.unlink()
        if result.second_pass != result.output:
            print(f"{case.id}: WARNING: a second run changes the output", file=sys.stderr)
    print(f"updated {len(all_cases())} golden cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
