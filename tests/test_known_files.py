"""A warm run knows files by their metadata: unchanged files are not read, edited ones
always are, and cached results are served without a worker or the analysis."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_run import run
from process_counter import Counter

import rewriter.known_files
import rewriter.runner
from rewriter.cache import CACHE_DIR_NAME, open_cache
from rewriter.known_files import KnownFiles, imports_of
from rewriter.settings import Settings

GRAPH = 'import tensorflow as tf\n\n\n@tf.function\ndef f(x):\n    print(f"x={x}")\n    return x\n'
# The same size as GRAPH, and no finding.
QUIET = 'import tensorflow as tf\n\n\n@tf.function\ndef f(x):\n    y = (f"x={x}",)\n    return x\n'
MODEL = "def train_step(x, y):\n    print('x', x)\n    return x + y\n"
TRAIN = (
    "import tensorflow as tf\n\nfrom model import train_step\n\n\n"
    "@tf.function\ndef train(dataset):\n    for x, y in dataset:\n        train_step(x, y)\n"
)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    # The files are written moments before each run: remember them all the same.
    monkeypatch.setattr(rewriter.known_files, "SETTLED_NS", 0)
    (tmp_path / "graph.py").write_text(GRAPH)
    (tmp_path / "plain.py").write_text("x = 1\n")
    return tmp_path


def known(project: Path) -> KnownFiles:
    return KnownFiles(Settings(), open_cache(str(project / CACHE_DIR_NAME), Settings().cache_key()))


def test_an_unchanged_file_is_not_read_again(project: Path, capsys) -> None:
    run(["check", "."], capsys)
    files = known(project)
    assert files.get("graph.py") is not None and files.get("plain.py") is not None
    assert files.read == 0


def test_the_index_of_a_tree_without_graph_code_is_in_a_proper_cache_folder(project: Path, capsys) -> None:
    (project / "graph.py").unlink()
    run(["check", "."], capsys)
    assert list((project / CACHE_DIR_NAME).glob("*/files.json"))
    assert (project / CACHE_DIR_NAME / ".gitignore").is_file()
    assert (project / CACHE_DIR_NAME / "CACHEDIR.TAG").is_file()


def test_an_edit_keeping_size_and_modification_time_is_seen(project: Path, capsys, monkeypatch) -> None:
    counter = Counter(monkeypatch)
    first = run(["check", "--jobs", "1", "."], capsys)
    assert "graph.py:6:5: AG001" in first[1] and counter.take() == ["graph.py"]
    before = os.stat("graph.py")
    Path("graph.py").write_text(QUIET)
    os.utime("graph.py", ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same time
    assert os.stat("graph.py").st_size == before.st_size
    assert run(["check", "--jobs", "1", "."], capsys)[:2] == (0, "All checks passed!\n")
    assert counter.take() == ["graph.py"]


def test_a_file_replaced_by_another_is_seen(project: Path, capsys, monkeypatch) -> None:
    run(["check", "--jobs", "1", "."], capsys)
    Path("new.py").write_text(QUIET)
    os.replace("new.py", "graph.py")  # how editors save: a new inode
    assert run(["check", "--jobs", "1", "."], capsys)[:2] == (0, "All checks passed!\n")


def test_a_file_changed_just_before_the_run_is_read_again(project: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(rewriter.known_files, "SETTLED_NS", 60 * 10**9)
    run(["check", "."], capsys)
    files = known(project)
    files.get("graph.py")
    assert files.read == 1  # its clock tick may not be over: its metadata proves nothing yet


def test_a_callee_whose_caller_changed_is_checked_again(project: Path, capsys, monkeypatch) -> None:
    (project / "graph.py").unlink()
    (project / "model.py").write_text(MODEL)
    (project / "train.py").write_text(TRAIN)
    counter = Counter(monkeypatch)
    first = run(["check", "--jobs", "1", "."], capsys)
    assert "model.py:2:5: AG001" in first[1] and counter.take() == ["model.py", "train.py"]
    # train.py no longer calls from graph code; same size, same modification time.
    before = os.stat("train.py")
    Path("train.py").write_text(TRAIN.replace("@tf.function\n", "#tf.function\n"))
    os.utime("train.py", ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat("train.py").st_size == before.st_size
    assert "model.py" not in run(["check", "--jobs", "1", "."], capsys)[1]
    assert counter.take() == ["train.py"]  # model.py: no graph code left, the prefilter skips it
    # And back: both results are in the cache from the first run.
    Path("train.py").write_text(TRAIN)
    assert run(["check", "--jobs", "1", "."], capsys) == first
    assert counter.take() == []


def test_a_fully_warm_run_starts_no_worker_and_analyses_nothing(project: Path, capsys, monkeypatch) -> None:
    for number in range(3 * rewriter.runner.MIN_FILES_FOR_POOL):
        (project / f"graph_{number}.py").write_text(GRAPH)
    first = run(["check", "--jobs", "2", "."], capsys)

    def no_pool(*args: object) -> None:
        raise AssertionError("a worker pool was started")

    monkeypatch.setattr(rewriter.runner, "_run_pool", no_pool)
    monkeypatch.setattr(rewriter.runner, "_run_here", no_pool)
    counter = Counter(monkeypatch)
    assert run(["check", "--jobs", "2", "."], capsys) == first
    assert counter.take() == []


def test_only_the_files_not_known_go_to_the_workers(project: Path, capsys, monkeypatch) -> None:
    run(["check", "--jobs", "1", "."], capsys)
    (project / "other.py").write_text(GRAPH)
    sent: list[list[str]] = []
    run_here = rewriter.runner._run_here

    def recording(paths, *args):  # type: ignore[no-untyped-def]
        sent.append(list(paths))
        return run_here(paths, *args)

    monkeypatch.setattr(rewriter.runner, "_run_here", recording)
    code, out, _ = run(["check", "--jobs", "1", "."], capsys)
    assert sent == [["other.py"]]
    assert out.index("graph.py:6:5") < out.index("other.py:6:5")  # still in path order


def test_corrupt_known_files_are_ignored(project: Path, capsys) -> None:
    fresh = run(["check", "--no-cache", "."], capsys)
    run(["check", "."], capsys)
    (index,) = (project / CACHE_DIR_NAME).glob("*/files.json")
    stored = json.loads(index.read_text())
    for entry in stored["files"].values():
        entry[5] = 42  # a digest that is not text
    for content in (json.dumps(stored), "{not json", "[]", '{"format": 1, "files": []}'):
        index.write_text(content)
        assert run(["check", "."], capsys) == fresh


def test_facts_of_files_another_run_looked_at_are_kept_within_bounds(project: Path, capsys, monkeypatch) -> None:
    (project / "other").mkdir()
    for number in range(3):
        (project / "other" / f"more_{number}.py").write_text(GRAPH)
    run(["check", "other"], capsys)
    run(["check", "graph.py"], capsys)
    (index,) = (project / CACHE_DIR_NAME).glob("*/files.json")
    assert len(json.loads(index.read_text())["files"]) == 4
    monkeypatch.setattr(rewriter.known_files, "KEEP_FILES", 1)
    (project / "graph.py").write_text(QUIET)  # something to learn, so the index is written
    run(["check", "graph.py"], capsys)
    assert list(json.loads(index.read_text())["files"]) == [str(project / "graph.py")]


def test_imports_of_names_the_first_module_of_each_import() -> None:
    source = b"import os.path as p, pkg.model\nfrom .x import y\nfrom numpy import ones\n  import json  # why\n"
    assert imports_of(source) == (True, ("json", "numpy", "os", "pkg"))
    assert imports_of(b"x = 'import nothing'\n") == (False, ())


def test_a_fully_warm_run_imports_no_analysis(project: Path, capsys) -> None:
    run(["check", "."], capsys)
    probe = (
        "import json, sys, contextlib, io\n"
        "before = set(sys.modules)\n"
        "from rewriter.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['check', '--jobs', '2', '.'])\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    modules = json.loads(result.stdout.strip().splitlines()[-1])
    assert "rewriter.cache" in modules  # the run did use the cache
    assert not [m for m in modules if m.startswith(("rewriter.pipeline", "rewriter.analyze", "rewriter.rules"))]
    assert "concurrent.futures.process" not in modules
    # Nor what only processing, Markdown, notebooks, diffs or writing need.
    unused = ("rewriter.source", "rewriter.markdown", "rewriter.notebook", "difflib", "tempfile", "traceback")
    assert not [m for m in modules if m in unused]
