"""Imports a fix adds go where isort / Ruff's `I` rules put them, so a clean file stays clean."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from golden_cases import all_cases, rewrite

from rewriter.edits import ImportRequest
from rewriter.fix import apply_edits
from rewriter.imports_edit import import_edits
from rewriter.source import LineIndex

SYS = ImportRequest("sys", "sys")
TF = ImportRequest("tensorflow", "tf")
NP = ImportRequest("numpy", "np")

LAYOUTS = [
    ("import tensorflow as tf\n\nx = 1\n", [SYS], "import sys\n\nimport tensorflow as tf\n\nx = 1\n"),
    (
        "import os\n\nimport tensorflow as tf\n\nx = 1\n",
        [SYS],
        "import os\nimport sys\n\nimport tensorflow as tf\n\nx = 1\n",
    ),
    (
        "from tensorflow import function\n\nx = 1\n",
        [SYS, TF],
        "import sys\n\nimport tensorflow as tf\nfrom tensorflow import function\n\nx = 1\n",
    ),
    ("import sys\n\nx = 1\n", [TF], "import sys\n\nimport tensorflow as tf\n\nx = 1\n"),
    (
        '"""Doc."""\n\nfrom __future__ import annotations\n\nimport numpy as np\n\nx = 1\n',
        [SYS],
        '"""Doc."""\n\nfrom __future__ import annotations\n\nimport sys\n\nimport numpy as np\n\nx = 1\n',
    ),
    (
        "import abc\nimport zlib\n\nimport numpy as np\nimport tensorflow as tf\n\nx = 1\n",
        [SYS],
        "import abc\nimport sys\nimport zlib\n\nimport numpy as np\nimport tensorflow as tf\n\nx = 1\n",
    ),
    (
        "import numpy as np\nfrom tensorflow import keras\n\nx = 1\n",
        [TF],
        "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\nx = 1\n",
    ),
]


def _ruff_isort_clean(tmp_path: Path, text: str) -> bool:
    path = tmp_path / "m.py"
    path.write_text(text)
    run = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "I", "--quiet", str(path)],
        capture_output=True,
        text=True,
    )
    return run.returncode == 0


@pytest.mark.parametrize(("before", "requests", "after"), LAYOUTS)
def test_added_imports_are_sorted_as_isort_sorts_them(
    tmp_path: Path, before: str, requests: list[ImportRequest], after: str
) -> None:
    assert _ruff_isort_clean(tmp_path, before)
    edits = import_edits(tuple(requests), ast.parse(before), LineIndex(before))
    fixed = apply_edits(before, edits)
    assert fixed == after
    assert _ruff_isort_clean(tmp_path, fixed)


# AG005's holder lines after the imports are laid out by that rule, not by import placement.
CASES = [c for c in all_cases() if c.output.exists() and c.input.parent.name != "variable_created_in_graph"]


def test_fixed_golden_files_that_were_isort_clean_stay_clean(tmp_path: Path) -> None:
    clean_before = []
    for case in CASES:
        path = tmp_path / f"{case.input.parent.name}__{case.input.name}"
        path.write_bytes(case.input.read_bytes())
        clean_before.append((case, path))
    files = [str(p) for _, p in clean_before]
    listing = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--select",
            "I",
            "--quiet",
            "--output-format",
            "concise",
            *files,
        ],
        capture_output=True,
        text=True,
    ).stdout
    clean = [(case, path) for case, path in clean_before if str(path) not in listing]
    assert len(clean) > 20
    for case, path in clean:
        path.write_bytes(rewrite(case).output)
    fixed_files = [str(p) for _, p in clean]
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--select",
            "I",
            "--quiet",
            "--output-format",
            "concise",
            *fixed_files,
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout
