"""Imports a fix adds go where isort / Ruff's `I` rules put them, so a clean file stays clean."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from golden_cases import all_cases, rewrite

import rewriter
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
    # A module without imports (a helper that another file's graph code calls).
    ("def f(x):\n    return x\n", [TF], "import tensorflow as tf\n\n\ndef f(x):\n    return x\n"),
    ("x = 1\n", [TF], "import tensorflow as tf\n\nx = 1\n"),
    (
        '"""Doc."""\n\n\n@dec\ndef f(x):\n    return x\n',
        [TF],
        '"""Doc."""\nimport tensorflow as tf\n\n\n@dec\ndef f(x):\n    return x\n',
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


CASES = [c for c in all_cases() if c.output.exists()]


def _ruff_isort(files: list[str]) -> subprocess.CompletedProcess[str]:
    """Ruff's import-sorting rules (I) over `files`, one finding a line."""
    command = [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "I", "--quiet"]
    return subprocess.run([*command, "--output-format", "concise", *files], capture_output=True, text=True)


def test_fixed_golden_files_that_were_isort_clean_stay_clean(tmp_path: Path) -> None:
    clean_before = []
    for case in CASES:
        path = tmp_path / f"{case.input.parent.name}__{case.input.name}"
        path.write_bytes(case.input.read_bytes())
        clean_before.append((case, path))
    files = [str(p) for _, p in clean_before]
    listing = _ruff_isort(files).stdout
    clean = [(case, path) for case, path in clean_before if str(path) not in listing]
    assert len(clean) > 20
    for case, path in clean:
        path.write_bytes(rewrite(case).output)
    fixed_files = [str(p) for _, p in clean]
    run = _ruff_isort(fixed_files)
    assert run.returncode == 0, run.stdout


RANDOM_ONE = """import numpy as np
import tensorflow as tf


@tf.function
def noisy(x):
    return x + tf.cast(np.random.uniform(size=[3]), tf.float32)
"""

RANDOM_TWO = (
    RANDOM_ONE
    + """

@tf.function
def noisy_too(x):
    return x * tf.cast(np.random.uniform(size=[3]), tf.float32)
"""
)


def _fixed(text: str, filename: str = "m.py") -> rewriter.Result:
    return rewriter.rewrite_source(text, filename=filename, unsafe_fixes=True)


def _ruff_f401_clean(tmp_path: Path, text: str) -> bool:
    path = tmp_path / "m.py"
    path.write_text(text)
    run = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "F401,I", "--quiet", str(path)],
        capture_output=True,
        text=True,
    )
    return run.returncode == 0


def test_an_import_the_fix_leaves_unused_is_removed_with_that_fix(tmp_path: Path) -> None:
    result = _fixed(RANDOM_ONE)
    assert result.code.startswith("import tensorflow as tf\n\n\n@tf.function")
    assert "np." not in result.code
    assert _ruff_f401_clean(tmp_path, result.code)
    [diagnostic] = result.diagnostics
    assert diagnostic.fix is not None
    removal = [e for e in diagnostic.fix.edits if e.content == ""]
    assert [(e.location.row, e.end_location.row) for e in removal] == [(1, 2)]


def test_an_import_several_fixes_leave_unused_is_removed_by_fix(tmp_path: Path) -> None:
    result = _fixed(RANDOM_TWO)
    assert "import numpy" not in result.code and _ruff_f401_clean(tmp_path, result.code)
    # neither fix alone removes every use, so neither carries the removal
    assert all(e.content for d in result.diagnostics if d.fix for e in d.fix.edits)


@pytest.mark.parametrize(
    ("text", "filename"),
    [
        (RANDOM_ONE, "__init__.py"),
        (RANDOM_ONE + '\n__all__ = ["np", "noisy"]\n', "m.py"),
        (RANDOM_ONE + "\n\nSEED = np.int64(0)\n", "m.py"),
        (RANDOM_ONE.replace("import numpy as np", "import numpy as np  # noqa: F401"), "m.py"),
        (RANDOM_ONE + "\n# np.random is seeded by the caller\n", "m.py"),
    ],
    ids=["init", "all", "used", "noqa", "mentioned"],
)
def test_re_exported_or_still_used_imports_stay(text: str, filename: str) -> None:
    result = _fixed(text, filename)
    assert result.changed and "import numpy as np" in result.code


def test_a_name_another_notebook_cell_uses_keeps_its_import(tmp_path: Path) -> None:
    import json

    cells = [
        ["import numpy as np\n", "import tensorflow as tf"],
        ["@tf.function\n", "def noisy(x):\n", "    return x + tf.cast(np.random.uniform(size=[3]), tf.float32)"],
        ["print(np.pi)"],
    ]
    notebook = {
        "cells": [
            {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": s} for s in cells
        ],
        "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(notebook))
    [outcome] = rewriter.rewrite_paths([str(path)], fix=True, unsafe_fixes=True)
    after = json.loads(path.read_text())
    assert outcome.fixed_count == 1
    assert "tf.random.uniform" in "".join(after["cells"][1]["source"])
    assert after["cells"][0]["source"] == cells[0]
    # without the other cell's use, the import goes
    notebook["cells"].pop()
    path.write_text(json.dumps(notebook))
    rewriter.rewrite_paths([str(path)], fix=True, unsafe_fixes=True)
    assert json.loads(path.read_text())["cells"][0]["source"] == ["import tensorflow as tf"]
