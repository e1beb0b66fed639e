"""The promises about files: atomic writes, bytes kept, nothing written without cause."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from rewriter.files import Mode, process_file, write_atomic
from rewriter.results import Status
from rewriter.settings import Settings

SOURCE = 'import tensorflow as tf\n\n\n@tf.function\ndef f(x):\n    print(f"x={x}")\n    return x\n'
FIXED_LINE = 'tf.print("x=", x, sep="", summarize=-1, output_stream=sys.stdout)'


def fix(path: Path):
    return process_file(str(path), Settings(), Mode.FIX)


def test_crlf_stays_crlf(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(SOURCE.replace("\n", "\r\n").encode())
    assert fix(path).status is Status.CHANGED
    data = path.read_bytes()
    assert FIXED_LINE.encode() in data
    assert data.count(b"\r\n") == data.count(b"\n")  # every line end, the new ones too


def test_bom_and_encoding_cookie_kept(tmp_path: Path) -> None:
    bom = tmp_path / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbf" + SOURCE.replace("x={x}", "caf\u00e9 {x}").encode())
    fix(bom)
    assert bom.read_bytes().startswith(b"\xef\xbb\xbfimport sys")
    assert "café ".encode() in bom.read_bytes()
    latin = tmp_path / "latin.py"
    latin.write_bytes(b"# -*- coding: latin-1 -*-\n" + SOURCE.replace("x={x}", "caf\u00e9 {x}").encode("latin-1"))
    fix(latin)
    data = latin.read_bytes()
    assert b'"caf\xe9 "' in data and data.startswith(b"# -*- coding: latin-1 -*-\n")


def test_mode_kept(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    path.chmod(0o751)
    fix(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o751
    assert FIXED_LINE in path.read_text()


def test_file_without_findings_is_never_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(SOURCE.replace('print(f"x={x}")', "pass"))
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    outcome = fix(path)
    assert outcome.status is Status.UNCHANGED
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_second_fix_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    assert fix(path).status is Status.CHANGED
    first = path.read_bytes()
    assert fix(path).status is Status.UNCHANGED
    assert path.read_bytes() == first


def test_read_only_file_is_reported_not_chmodded(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    path.chmod(0o444)
    outcome = fix(path)
    assert outcome.status is Status.FAILED and "read-only" in (outcome.error or "")
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert path.read_text() == SOURCE


def test_file_changed_between_read_and_write_is_not_clobbered(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    before = os.stat(path)
    path.write_text(SOURCE + "# edited meanwhile\n")
    with pytest.raises(OSError, match="changed while"):
        write_atomic(str(path), b"new", SOURCE.encode(), before)
    assert path.read_text().endswith("# edited meanwhile\n")
    assert [p.name for p in tmp_path.iterdir()] == ["m.py"]  # no temporary file left


def test_symlink_target_is_written_and_link_kept(tmp_path: Path) -> None:
    target = tmp_path / "real.py"
    target.write_text(SOURCE)
    link = tmp_path / "link.py"
    link.symlink_to(target)
    fix(link)
    assert link.is_symlink()
    assert FIXED_LINE in target.read_text()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"import tensorflow as tf\n@tf.function\ndef f(:\n", "SyntaxError"),
        (b"import tensorflow as tf\n@tf.function\ndef f(x):\n    print('\xff\xfe')\n", "cannot decode as utf-8"),
        (b"import tensorflow\x00 function", "binary file"),
    ],
)
def test_bad_input_fails_with_a_reason_and_is_untouched(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.py"
    path.write_bytes(content)
    outcome = fix(path)
    assert outcome.status is Status.FAILED
    assert reason in (outcome.error or "")
    assert "\n" not in (outcome.error or "")
    assert path.read_bytes() == content


def test_unreadable_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # Permission bits do not stop root; a directory where a file is expected does.
        path = tmp_path / "x.py"
        path.mkdir()
        assert fix(path).error == "is a directory"
        return
    path = tmp_path / "secret.py"
    path.write_text(SOURCE)
    path.chmod(0)
    outcome = fix(path)
    assert outcome.status is Status.FAILED and "Permission denied" in (outcome.error or "")


def test_output_that_does_not_compile_is_never_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rewriter.edits import Edit
    from rewriter.rules import print_in_graph

    def broken_edits(*args, **kwargs):
        return [Edit(0, 0, "def (:\n")]

    monkeypatch.setattr(print_in_graph, "rebuilt_call", broken_edits)
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    outcome = fix(path)
    assert outcome.status is Status.FAILED
    assert "AG001 (print-in-graph)" in (outcome.error or "") and "does not compile" in (outcome.error or "")
    assert path.read_text() == SOURCE


def test_rule_crash_names_the_rule_and_leaves_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rewriter.rules.print_in_graph import PrintInGraph

    def explode(self, module):
        raise RuntimeError("boom")
        yield

    monkeypatch.setattr(PrintInGraph, "check", explode)
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    outcome = fix(path)
    assert outcome.status is Status.FAILED
    assert outcome.error == "internal error in AG001 (print-in-graph): RuntimeError: boom"
    assert outcome.detail and "Traceback" in outcome.detail
    assert path.read_text() == SOURCE
