#!/usr/bin/env python3
"""Run the property tests (tests/test_properties.py) far longer than the suite does.

    scripts/fuzz.py [--examples N] [--seed S] [--tests PATTERN] [--workers W]

Each property gets N examples (default 2000) with random seeds unless --seed is given;
a failure prints the smallest failing program hypothesis found.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=2000, help="examples per property (default 2000)")
    parser.add_argument("--seed", type=int, help="a fixed seed, to repeat a run")
    parser.add_argument("--tests", default="", metavar="PATTERN", help="only properties matching (pytest -k)")
    parser.add_argument("--workers", type=int, default=0, help="pytest-xdist workers (default: none)")
    arguments = parser.parse_args(argv)
    environment = {**os.environ, "TFREWRITE_FUZZ_EXAMPLES": str(arguments.examples)}
    if arguments.seed is not None:
        environment["TFREWRITE_FUZZ_SEED"] = str(arguments.seed)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--hypothesis-show-statistics",
        str(ROOT / "tests" / "test_properties.py"),
    ]
    if arguments.tests:
        command += ["-k", arguments.tests]
    if arguments.workers:
        command += ["-n", str(arguments.workers)]
    return subprocess.call(command, cwd=ROOT, env=environment)


if __name__ == "__main__":
    sys.exit(main())
