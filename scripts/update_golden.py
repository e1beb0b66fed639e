#!/usr/bin/env python3
"""Regenerate golden outputs and findings from the inputs; review the result with git diff.

Usage: scripts/update_golden.py [FOLDER ...]   (e.g. print_in_graph; default: all)
An input whose output equals it gets no `.out.py` (it must not change).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent.parent / "tests")]

from golden_cases import all_cases, rewrite  # noqa: E402


def main() -> int:
    folders = {name.rstrip("/").rsplit("/", 1)[-1] for name in sys.argv[1:]}
    cases = [c for c in all_cases() if not folders or c.input.parent.name in folders]
    if folders and not cases:
        print(f"no golden cases in {', '.join(sorted(folders))}", file=sys.stderr)
        return 2
    for case in cases:
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
    print(f"updated {len(cases)} golden cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
