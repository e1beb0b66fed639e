"""The pre-commit hooks, run by `pre-commit try-repo` against a temporary project.

The hook repository is a temporary git repository holding this working tree's package
(pyproject.toml, README.md, rewriter/ and .pre-commit-hooks.yaml) in one commit, so the
hooks tested are the ones in the tree, uncommitted edits included. pre-commit installs
the package into an environment of its own with pip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")

FIXABLE = 'import tensorflow as tf\n\n\n@tf.function\ndef f(x):\n    print("hi")\n    return x\n'
FIXED = (
    "import sys\n\nimport tensorflow as tf\n\n\n@tf.function\ndef f(x):\n"
    '    tf.print("hi", output_stream=sys.stdout)\n    return x\n'
)

# pip's words for "cannot reach or find a package": the environment cannot be built here
# for a reason that has nothing to do with the hooks.
_OUTSIDE_OUR_CONTROL = (
    "No matching distribution found",
    "Could not find a version that satisfies",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "Read timed out",
    "ProxyError",
)


def _git(cwd: Path, *arguments: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
    }
    subprocess.run(["git", *arguments], cwd=cwd, env=env, check=True, capture_output=True)


def _hook_repository(path: Path) -> Path:
    path.mkdir()
    listed = (
        subprocess.run(
            [
                "git",
                "-C",
                str(ROOT),
                "ls-files",
                "--cached",
                "--others",
                "--exclude-standard",
                "-z",
                "--",
                "pyproject.toml",
                "README.md",
                ".pre-commit-hooks.yaml",
                "rewriter",
            ],
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, path / name)
    _git(path, "init", "-q")
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "-m", "hooks")
    return path


def _try_repo(project: Path, hooks: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("PYTHONPATH", None)  # the hooks must run from their own environment
    run = subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(hooks)], cwd=project, env=env, capture_output=True, text=True, timeout=900
    )
    if run.returncode not in (0, 1):
        log = home / "pre-commit.log"
        text = run.stdout + run.stderr + (log.read_text(errors="replace") if log.exists() else "")
        reason = next(
            (line.strip() for line in text.splitlines() if any(m in line for m in _OUTSIDE_OUR_CONTROL)), None
        )
        if reason:
            pytest.skip(f"pre-commit cannot build the hook environment here (pip: {reason})")
    return run


@pytest.mark.skipif(not PRE_COMMIT.exists(), reason="pre-commit is in the dev extra")
@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_hooks_report_then_fix_then_pass(tmp_path: Path) -> None:
    hooks = _hook_repository(tmp_path / "hooks")
    project = tmp_path / "project"
    project.mkdir()
    _git(project, "init", "-q")
    (project / "train.py").write_text(FIXABLE)
    (project / "plain.py").write_text("x = 1\n")
    _git(project, "add", "train.py", "plain.py")

    first = _try_repo(project, hooks, tmp_path / "home")
    output = first.stdout + first.stderr
    assert first.returncode == 1, output
    check, fix = output.split("tfrewrite fix")[0], output.split("tfrewrite fix")[1]
    # tfrewrite-check runs first (hooks run in id order) and reports without changing.
    assert "tfrewrite check" in check and "Failed" in check
    assert "train.py:6:5: AG001 `print` in a graph runs only while tracing" in check
    # tfrewrite-fix applies the safe fix; pre-commit fails the hook because it changed a file.
    assert "Failed" in fix and "files were modified by this hook" in fix
    assert "Found 1 finding (1 fixed, 0 remaining)." in fix
    assert (project / "train.py").read_text() == FIXED
    assert (project / "plain.py").read_text() == "x = 1\n"

    _git(project, "add", "train.py")
    second = _try_repo(project, hooks, tmp_path / "home2")
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout.count("Passed") == 2, second.stdout
