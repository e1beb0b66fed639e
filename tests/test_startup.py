"""Start-up stays light: what `import rewriter`, `--version` and a check import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("libcst", "tensorflow", "numpy", "rich", "tqdm", "unidiff", "hypothesis")

PROBE = """
import json, sys
before = set(sys.modules)
{code}
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def imported_by(code: str, cwd: Path | None = None) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(code=code)], capture_output=True, text=True, timeout=120, cwd=cwd
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def heavy(modules: list[str]) -> list[str]:
    return sorted({m.split(".")[0] for m in modules} & set(HEAVY))


def test_importing_the_package_imports_nothing_heavy() -> None:
    assert heavy(imported_by("import rewriter")) == []


def test_version_imports_no_rewriting_machinery() -> None:
    modules = imported_by("from rewriter.cli import main\ntry:\n    main(['--version'])\nexcept SystemExit:\n    pass")
    assert heavy(modules) == []
    assert not [m for m in modules if m.startswith(("rewriter.pipeline", "rewriter.rules", "rewriter.analyze"))]


def test_a_check_run_imports_neither_libcst_nor_tensorflow(tmp_path: Path) -> None:
    (tmp_path / "graph.py").write_text("import tensorflow as tf\n\n\n@tf.function\ndef f(x):\n    print(x)\n")
    code = (
        "from rewriter.cli import main\nimport contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    main(['check', '--no-cache', '.'])"
    )
    modules = imported_by(code, cwd=tmp_path)
    assert "rewriter.pipeline" in modules  # the file really was processed
    assert heavy(modules) == []
