"""The library API: rewrite_source, check_source, rewrite_paths, and a cheap `import rewriter`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import rewriter
from rewriter import Diagnostic, FileOutcome, Result, Settings, SourceError, Status

ROOT = Path(__file__).resolve().parents[1]

GRAPH_PRINT = """import tensorflow as tf


@tf.function
def step(x):
    print("step")  # keep this comment
    return x + 1
"""

FIXED_PRINT = """import sys

import tensorflow as tf


@tf.function
def step(x):
    tf.print("step", output_stream=sys.stdout)  # keep this comment
    return x + 1
"""

NO_GRAPH = 'import tensorflow as tf\n\n\ndef step(x):\n    print("eager only")\n'


def test_rewrite_source_applies_safe_fixes_and_reports_them() -> None:
    result = rewriter.rewrite_source(GRAPH_PRINT, filename="train.py")
    assert isinstance(result, Result)
    assert result.changed
    assert result.code == FIXED_PRINT
    assert result.fixed_count == 1
    assert result.remaining == []
    [diagnostic] = result.diagnostics
    assert isinstance(diagnostic, Diagnostic)
    assert (diagnostic.code, diagnostic.filename) == ("AG001", "train.py")
    assert (diagnostic.location.row, diagnostic.location.column) == (6, 5)
    assert (diagnostic.end_location.row, diagnostic.end_location.column) == (6, 18)  # just past the call
    assert diagnostic.fix is not None and diagnostic.fix.applicability == "safe"


def test_diff_is_a_patch_of_the_change() -> None:
    diff = rewriter.rewrite_source(GRAPH_PRINT, filename="src/train.py").diff()
    assert diff.startswith("--- a/src/train.py\n+++ b/src/train.py\n")
    assert '-    print("step")  # keep this comment\n' in diff
    assert '+    tf.print("step", output_stream=sys.stdout)  # keep this comment\n' in diff
    assert rewriter.rewrite_source(NO_GRAPH).diff() == ""


def test_code_outside_graph_scopes_is_unchanged() -> None:
    result = rewriter.rewrite_source(NO_GRAPH)
    assert (result.changed, result.code, result.diagnostics) == (False, NO_GRAPH, [])


def test_select_and_ignore_choose_rules() -> None:
    assert rewriter.rewrite_source(GRAPH_PRINT, ignore=["AG001"]).changed is False
    assert rewriter.rewrite_source(GRAPH_PRINT, select="AG001").changed is True
    assert rewriter.check_source(GRAPH_PRINT, select=["AG0"])[0].code == "AG001"
    with pytest.raises(ValueError, match="unknown rule code 'XY9'"):
        rewriter.rewrite_source(GRAPH_PRINT, select=["XY9"])


def test_unsafe_fixes_are_applied_only_when_asked() -> None:
    text = 'import tensorflow as tf\n\n\n@tf.function\ndef f(x):\n    print(f"{x:.2f}")\n    return x\n'
    safe_only = rewriter.rewrite_source(text)
    assert not safe_only.changed
    [diagnostic] = safe_only.diagnostics
    assert diagnostic.fix is not None and diagnostic.fix.applicability == "unsafe"
    assert not diagnostic.fix_applicable(unsafe_fixes=False)
    assert rewriter.rewrite_source(text, unsafe_fixes=True).changed
    settings = Settings(unsafe_fixes=True)
    assert rewriter.rewrite_source(text, settings=settings).changed


def test_check_source_reports_without_changing() -> None:
    [diagnostic] = rewriter.check_source(GRAPH_PRINT, filename="t.py")
    assert diagnostic.code == "AG001" and diagnostic.fix is not None


def test_syntax_errors_raise_source_error_with_one_line() -> None:
    with pytest.raises(SourceError) as caught:
        rewriter.rewrite_source("def broken(:\n    pass\n", filename="bad.py")
    assert "\n" not in str(caught.value)
    assert "line 1" in str(caught.value)
    assert issubclass(rewriter.SourceError, Exception)


def test_rewrite_paths_reports_every_file_and_never_raises(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(GRAPH_PRINT)
    (tmp_path / "bad.py").write_text("import tensorflow as tf\n@tf.function\ndef f(:\n")
    (tmp_path / "plain.py").write_text("x = 1\n")
    outcomes = rewriter.rewrite_paths([tmp_path, tmp_path / "missing.py"])
    assert all(isinstance(o, FileOutcome) for o in outcomes)
    by_name = {Path(o.path).name: o for o in outcomes}
    assert by_name["missing.py"].status is Status.FAILED
    assert by_name["missing.py"].error == "no such file or directory"
    assert by_name["bad.py"].status is Status.FAILED and "SyntaxError" in (by_name["bad.py"].error or "")
    assert by_name["plain.py"].status is Status.SKIPPED
    good = by_name["good.py"]
    assert good.status is Status.CHANGED and good.fixed == FIXED_PRINT
    assert (tmp_path / "good.py").read_text() == GRAPH_PRINT, "nothing is written without fix=True"


def test_rewrite_paths_with_fix_writes(tmp_path: Path) -> None:
    target = tmp_path / "good.py"
    target.write_text(GRAPH_PRINT)
    [outcome] = rewriter.rewrite_paths([str(target)], fix=True)
    assert outcome.status is Status.CHANGED and outcome.fixed_count == 1
    assert target.read_text() == FIXED_PRINT
    [again] = rewriter.rewrite_paths([str(target)], fix=True)
    assert again.status is Status.UNCHANGED


def test_rewrite_paths_honours_exclude(tmp_path: Path) -> None:
    (tmp_path / "skip_me.py").write_text(GRAPH_PRINT)
    assert rewriter.rewrite_paths([tmp_path], exclude=["skip_*"]) == []


def test_project_settings_reads_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.tfrewrite]\nignore = ["AG001"]\n')
    settings = rewriter.project_settings(tmp_path)
    assert "AG001" in settings.ignore
    assert not rewriter.rewrite_source(GRAPH_PRINT, settings=settings).changed


def test_import_is_cheap_and_never_imports_tensorflow_or_libcst() -> None:
    code = (
        "import sys, rewriter\n"
        "before = set(sys.modules)\n"
        "rewriter.rewrite_source('import tensorflow as tf\\n@tf.function\\ndef f():\\n    print(1)\\n')\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'libcst', 'numpy'))\n"
        "print(sorted(m for m in before if m.startswith('rewriter')), heavy)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "['rewriter', 'rewriter._version'] []"


def test_public_names_are_listed() -> None:
    for name in (
        "rewrite_source",
        "check_source",
        "rewrite_paths",
        "Result",
        "Diagnostic",
        "FileOutcome",
        "Settings",
        "SourceError",
        "InternalError",
        "project_settings",
    ):
        assert name in rewriter.__all__ and name in dir(rewriter)
        assert getattr(rewriter, name) is not None
    with pytest.raises(AttributeError):
        rewriter.no_such_name  # noqa: B018
    assert (ROOT / "rewriter" / "py.typed").is_file()
