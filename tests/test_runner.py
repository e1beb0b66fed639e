"""Many files at once: --jobs, deterministic order, crashed workers, the progress bar."""

from __future__ import annotations

import functools
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from rewriter.cli import main
from rewriter.files import Mode, display_path, process_file
from rewriter.progress import Progress
from rewriter.results import FileOutcome, Status
from rewriter.runner import MIN_FILES_FOR_POOL, WithoutTexts, run_files
from rewriter.settings import Settings

GRAPH = 'import tensorflow as tf\n\n\n@tf.function\ndef f{n}(x):\n    print(f"x={{x}}")\n    return x\n'
PLAIN = "def g{n}(x):\n    return x + {n}\n"


def make_tree(root: Path, count: int) -> list[str]:
    """`count` files in nested folders, every third one with a finding."""
    for n in range(count):
        folder = root / f"pkg{n % 3}" / f"sub{n % 2}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"m{n:03d}.py").write_text((GRAPH if n % 3 == 0 else PLAIN).format(n=n))
    return sorted(str(p) for p in root.rglob("*.py"))


def _summary(outcomes: list[FileOutcome]) -> list[tuple[str, str, list[tuple[int, int, str]]]]:
    return [(o.path, o.status.value, [(d.row, d.column, d.code) for d in o.diagnostics]) for o in outcomes]


@pytest.mark.parametrize("jobs", [1, 2])
def test_outcomes_come_back_in_path_order(tmp_path: Path, jobs: int) -> None:
    paths = make_tree(tmp_path, 3 * MIN_FILES_FOR_POOL)
    work = functools.partial(process_file, settings=Settings(), mode=Mode.CHECK)
    outcomes = run_files(paths, work, jobs=jobs)
    assert [o.path for o in outcomes] == [display_path(p) for p in paths]
    expected = [process_file(p, Settings(), Mode.CHECK) for p in paths]
    assert _summary(outcomes) == _summary(expected)
    assert sum(o.status is Status.CHANGED for o in outcomes) == len(paths) // 3


@pytest.mark.parametrize("jobs", [1, 2])
def test_known_outcomes_are_merged_in_path_order(tmp_path: Path, jobs: int) -> None:
    paths = make_tree(tmp_path, 3 * MIN_FILES_FOR_POOL)
    work = functools.partial(process_file, settings=Settings(), mode=Mode.CHECK)

    def known(path: str) -> FileOutcome | None:
        number = int(Path(path).stem[1:])
        if number % 4 == 1:
            raise RuntimeError("a bug in the lookup costs time, not the file")
        return FileOutcome(display_path(path), Status.SKIPPED, notes=["known"]) if number % 4 == 3 else None

    outcomes = run_files(paths, work, jobs=jobs, known=known)
    assert [o.path for o in outcomes] == [display_path(p) for p in paths]
    for path, outcome in zip(paths, outcomes):
        if int(Path(path).stem[1:]) % 4 == 3:
            assert outcome.notes == ["known"]
        else:
            assert _summary([outcome]) == _summary([process_file(path, Settings(), Mode.CHECK)])


def test_cli_output_is_identical_for_one_and_two_jobs(tmp_path: Path, monkeypatch, capsys) -> None:
    make_tree(tmp_path, 3 * MIN_FILES_FOR_POOL)
    monkeypatch.chdir(tmp_path)
    outputs = []
    for jobs in ("1", "2"):
        code = main(["check", "--no-cache", "--jobs", jobs, "."])
        out, err = capsys.readouterr()
        outputs.append((code, out, err))
    assert outputs[0] == outputs[1]
    code, out, _ = outputs[0]
    assert code == 1
    rows = [line.split(":")[0] for line in out.splitlines() if ": AG001 " in line]
    assert rows == sorted(rows) and len(rows) == MIN_FILES_FOR_POOL


def test_bad_jobs_value_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--jobs", "0", "."])
    assert exit_info.value.code == 2
    assert "--jobs" in capsys.readouterr().err


# Module-level so that worker processes can unpickle them.
def crash_on_marked(path: str) -> FileOutcome:
    if path.endswith("m004.py"):
        os._exit(3)  # a hard crash, as a segfault in an extension would be
    return process_file(path, Settings(), Mode.CHECK)


def raise_on_marked(path: str) -> FileOutcome:
    if path.endswith("m004.py"):
        raise RuntimeError("boom")
    return process_file(path, Settings(), Mode.CHECK)


@pytest.mark.parametrize("jobs", [1, 2])
def test_exception_in_work_becomes_failed_outcome(tmp_path: Path, jobs: int) -> None:
    paths = make_tree(tmp_path, 2 * MIN_FILES_FOR_POOL)
    outcomes = run_files(paths, raise_on_marked, jobs=jobs)
    failed = [o for o in outcomes if o.failed]
    assert len(failed) == 1 and failed[0].path.endswith("m004.py")
    assert "RuntimeError: boom" in (failed[0].error or "")
    assert len(outcomes) == len(paths)


def test_crashed_worker_fails_only_its_file(tmp_path: Path) -> None:
    paths = make_tree(tmp_path, 2 * MIN_FILES_FOR_POOL)
    outcomes = run_files(paths, crash_on_marked, jobs=2)
    assert len(outcomes) == len(paths)
    failed = [o for o in outcomes if o.failed]
    assert [o.path for o in failed] == [o.path for o in outcomes if o.path.endswith("m004.py")]
    assert "worker process died" in (failed[0].error or "")
    good = [o for o in outcomes if not o.failed]
    assert _summary(good) == _summary(
        [process_file(p, Settings(), Mode.CHECK) for p in paths if not p.endswith("m004.py")]
    )


# --- the progress bar ----------------------------------------------------------------


class FakeTerminal:
    encoding = "utf-8"

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_progress_line_shows_counts_rate_and_eta() -> None:
    bar = Progress(200, FakeTerminal(), delay=0)  # type: ignore[arg-type]
    bar.done = 50
    line = bar.line(bar.start + 2.0, width=100)
    assert line.startswith(" 50/200 files [")
    assert "25%" in line and "25 files/s" in line and "ETA 00:06" in line
    assert len(line) <= 100
    assert len(bar.line(bar.start + 2.0, width=30)) <= 30


def test_progress_width_falls_back_when_the_terminal_size_is_unknown(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "72")
    bar = Progress(10, FakeTerminal(), delay=0)  # type: ignore[arg-type]  # no fileno()
    assert bar.width() == 71
    line = bar.line(bar.start + 1.0, bar.width())
    assert line.endswith("ETA 00:00") or "ETA" in line and len(line) <= 71


def test_progress_waits_for_its_delay_and_erases_itself() -> None:
    quiet = FakeTerminal()
    bar = Progress(10, quiet, delay=60)  # type: ignore[arg-type]
    bar.advance(10)
    bar.close()
    assert quiet.text == ""
    shown = FakeTerminal()
    bar = Progress(10, shown, delay=0)  # type: ignore[arg-type]
    bar.advance(1)
    bar.close()
    assert "1/10 files" in shown.text and shown.text.endswith("\r\x1b[K")


def _run_cli(args: list[str], cwd: Path, stderr_tty: bool) -> tuple[int, bytes, bytes]:
    env = dict(os.environ, TFREWRITE_PROGRESS_DELAY="0", COLUMNS="100")
    if not stderr_tty:
        result = subprocess.run(
            [sys.executable, "-m", "rewriter", *args], cwd=cwd, env=env, capture_output=True, timeout=120
        )
        return result.returncode, result.stdout, result.stderr
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "rewriter", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=slave,
        stdin=subprocess.DEVNULL,
    )
    os.close(slave)
    err = b""
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other side closed: the process is gone
            break
        if not chunk:
            break
        err += chunk
    os.close(master)
    assert process.stdout is not None
    out = process.stdout.read()
    return process.wait(timeout=120), out, err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_progress_bar_on_a_terminal_only_on_stderr(tmp_path: Path, jobs: str) -> None:
    make_tree(tmp_path, 3 * MIN_FILES_FOR_POOL)
    code, out, err = _run_cli(["check", "--no-cache", "--jobs", jobs, "."], tmp_path, stderr_tty=True)
    assert code == 1
    total = 3 * MIN_FILES_FOR_POOL
    assert f"/{total} files".encode() in err and b"files/s" in err and b"ETA" in err
    assert err.endswith(b"\r\x1b[K")  # erased at the end
    assert b"files/s" not in out and b"\r" not in out
    assert b"AG001" in out


def test_no_progress_bar_when_piped_or_disabled(tmp_path: Path) -> None:
    make_tree(tmp_path, 3 * MIN_FILES_FOR_POOL)
    _, out, err = _run_cli(["check", "--no-cache", "--jobs", "1", "."], tmp_path, stderr_tty=False)
    assert b"files/s" not in err and b"\r" not in err and b"AG001" in out
    _, out, err = _run_cli(["check", "--no-cache", "--no-progress", "--jobs", "1", "."], tmp_path, stderr_tty=True)
    assert b"files/s" not in err and b"\r" not in err and b"AG001" in out


class Cycle:
    """Garbage that only the cyclic collector frees, as analyses sometimes leave."""

    alive = 0

    def __init__(self) -> None:
        Cycle.alive += 1
        self.me = self
        self.payload = [object() for _ in range(50)]

    def __del__(self) -> None:
        Cycle.alive -= 1


def leave_a_cycle(path: str) -> FileOutcome:
    Cycle()
    return FileOutcome(path, Status.SKIPPED)


def test_garbage_of_one_file_does_not_pile_up() -> None:
    Cycle.alive = 0
    run_files([f"f{n}.py" for n in range(2000)], leave_a_cycle, jobs=1)
    # Collected as the run goes (at most a young generation's worth is waiting), not
    # kept until the end.
    assert Cycle.alive < 400


def test_texts_are_dropped_for_callers_that_only_report(tmp_path: Path) -> None:
    paths = make_tree(tmp_path, 3)
    work = WithoutTexts(functools.partial(process_file, settings=Settings(), mode=Mode.CHECK))
    outcomes = run_files(paths, work, jobs=1)
    assert all(o.original is None and o.fixed is None for o in outcomes)
    assert [d.code for o in outcomes for d in o.diagnostics] == ["AG001"]
