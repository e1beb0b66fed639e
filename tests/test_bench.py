"""scripts/bench.py runs end to end on a tiny corpus (its timings are not checked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_bench_runs_on_a_tiny_synthetic_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench.py"),
            "--scale",
            "0.01",
            "--repeat",
            "1",
            "--libcst-lines",
            "300",
            "--tf-upgrade-lines",
            "0",
            "--keep",
            str(corpus),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "synthetic corpus (scale 0.01, seed 6): 18 files" in out
    for row in (
        "tfrewrite check --jobs 1 (no cache)",
        "warm cache",
        "bare ast.parse pass",
        "libcst.parse_module",
        "tfrewrite --version",
        "peak memory",
        "check / bare ast.parse pass",
    ):
        assert row in out, row
    # The check of the baseline revision side by side (when git has it).
    assert "against a49f63a" in out or "no comparison" in result.stderr
    if "against a49f63a" in out:
        assert "--jobs 1, CPU" in out and "CPU, --jobs 1: this tree / a49f63a" in out
    files = sorted(p.relative_to(corpus) for p in corpus.rglob("*.py"))
    assert len(files) == 18
    for path in files:
        compile((corpus / path).read_text(), str(path), "exec")  # the corpus is valid Python
    # The same seed and scale give the same corpus.
    again = tmp_path / "again"
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import bench
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    bench.generate_corpus(again, 0.01, 6)
    assert all((again / p).read_bytes() == (corpus / p).read_bytes() for p in files)


@pytest.mark.timeout(600)
def test_bench_server_runs_end_to_end(capsys) -> None:
    import asyncio

    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import bench
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    assert asyncio.run(bench.bench_server(6, lines_wanted=60, changes=2, edits=4, burst=2)) == 0
    out = capsys.readouterr().out
    assert "diagnostics after a change: median" in out and "memory (RSS)" in out
