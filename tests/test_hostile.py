"""Hostile and broken input, each through the command line in a subprocess.

A bad file gives one line `path: error: reason` on stderr, the other files are still
fixed, the run exits 2, no traceback is printed (unless --verbose), and no file is
ever left half-written: not even when the run is interrupted.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD = 'import tensorflow as tf\n\n\n@tf.function\ndef f(x):\n    print(f"x={x}")\n    return x\n'
FIXED = (
    "import sys\n\nimport tensorflow as tf\n\n\n@tf.function\ndef f(x):\n"
    '    tf.print("x=", x, sep="", summarize=-1, output_stream=sys.stdout)\n    return x\n'
)
GRAPH_PRINT_LINE = '    print("x", 1)\n'


def cli(*args: str, cwd: Path, prefix: tuple[str, ...] = (), timeout: float = 300) -> subprocess.CompletedProcess[str]:
    command = [*prefix, sys.executable, "-m", "rewriter", *args]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, errors="replace", timeout=timeout, env=environment
    )


def fix(
    *paths: str, cwd: Path, extra: tuple[str, ...] = (), prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    return cli("check", "--fix", "--isolated", "--no-cache", "--no-progress", *extra, *paths, cwd=cwd, prefix=prefix)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "good.py").write_text(GOOD)
    return tmp_path


def leftovers(root: Path) -> list[str]:
    return [str(p) for p in root.rglob("*.tfrewrite")] + [str(p) for p in root.rglob(".*.py.*")]


def assert_one_error(result: subprocess.CompletedProcess[str], name: str, reason: str) -> None:
    """Exit 2, exactly one `name: error: ...reason...` line about `name`, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    about = [line for line in result.stderr.splitlines() if line.startswith(f"{name}:")]
    assert len(about) == 1, result.stderr
    assert about[0].startswith(f"{name}: error: "), about[0]
    assert reason in about[0], about[0]


def assert_rest_fixed(tree: Path) -> None:
    assert (tree / "good.py").read_text() == FIXED
    assert not leftovers(tree)


# --- input that cannot be processed: one line, file untouched, the rest goes on ---------

GRAPH = b"import tensorflow as tf\n\n@tf.function\ndef f(x):\n"
BAD_INPUT = {
    "syntax_error": (GRAPH + b"    return x +\n", "SyntaxError: invalid syntax"),
    "unclosed_string": (GRAPH + b'    """never closed\n    return x\n', "unterminated triple-quoted string"),
    "indentation": (GRAPH + b"    x = 1\n      return x\n", "IndentationError"),
    "python2_print": (GRAPH + b'    print "x", x\n', "Missing parentheses in call to 'print'"),
    "python2_except": (GRAPH + b"    try:\n        pass\n    except Exception, e:\n        pass\n", "SyntaxError"),
    "python2_backticks": (GRAPH + b"    return `x`\n", "SyntaxError"),
    "python2_octal": (GRAPH + b"    return 0777\n", "SyntaxError"),
    "parses_but_does_not_compile": (GRAPH + b'    print("x")\nreturn 1\n', "SyntaxError: 'return' outside function"),
    "nonlocal_at_module_level": (GRAPH + b'    print("x")\nnonlocal y\n', "SyntaxError: nonlocal declaration"),
    "latin1_without_cookie": (GRAPH + b"    print('caf\xe9')\n", "cannot decode as utf-8: byte 0xe9"),
    "unknown_cookie": (b"# -*- coding: klingon -*-\n" + GRAPH + b"    print(x)\n", "klingon"),
    "bom_with_latin1_cookie": (b"\xef\xbb\xbf# coding: latin-1\n" + GRAPH + b"    print(x)\n", "encoding problem"),
    "binary_with_nul": (b"\x89PNG\r\n\x1a\n\x00\x00tensorflow function\x00\xff", "binary file"),
    "binary_without_nul": (b"\x89PNG\r\n\x1a\ntensorflow function \xff\xfe\xfd", "cannot decode as utf-8"),
    "nul_in_source": (GRAPH + b"    print(x)\x00\n", "binary file"),
    "nested_parentheses_10000": (
        GRAPH + b"    return " + b"(" * 10_000 + b"x" + b")" * 10_000 + b"\n",
        "too many nested parentheses",
    ),
    "plus_chain_100000": (GRAPH + b"    return " + b" + ".join([b"x"] * 100_000) + b"\n", "too deeply nested"),
    "attribute_chain_100000": (GRAPH + b"    return x" + b".a" * 100_000 + b"\n", "too deeply nested"),
    "not_chain_100000": (GRAPH + b"    return " + b"not " * 100_000 + b"x\n", "too deeply nested"),
    "indentation_too_deep": (
        GRAPH + b"".join(b"    " * (i + 1) + b"if x:\n" for i in range(120)) + b"    " * 121 + b"print(x)\n",
        "too many levels of indentation",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_is_one_line_and_the_rest_is_fixed(tree: Path, case: str) -> None:
    data, reason = BAD_INPUT[case]
    (tree / "bad.py").write_bytes(data)
    result = fix(".", cwd=tree)
    assert_one_error(result, "bad.py", reason)
    assert (tree / "bad.py").read_bytes() == data
    assert_rest_fixed(tree)


def test_verbose_shows_the_traceback_of_an_internal_error(tree: Path) -> None:
    # A rule that crashes: one line without --verbose, the traceback with it.
    probe = (
        "import sys\nfrom rewriter.rules.print_in_graph import PrintInGraph\n"
        "def explode(self, module):\n    raise RuntimeError('boom')\n    yield\n"
        "PrintInGraph.check = explode\nfrom rewriter.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    )
    arguments = ["check", "--isolated", "--no-cache", "--jobs", "1", "good.py"]
    quiet = subprocess.run(
        [sys.executable, "-c", probe, *arguments],
        cwd=tree,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert_one_error(quiet, "good.py", "internal error in AG001 (print-in-graph): RuntimeError: boom")
    loud = subprocess.run(
        [sys.executable, "-c", probe, *arguments, "--verbose"],
        cwd=tree,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert loud.returncode == 2 and "Traceback" in loud.stderr and "RuntimeError: boom" in loud.stderr
    assert (tree / "good.py").read_text() == GOOD


# --- odd but valid input: fixed, every byte of the rest kept ------------------------------


def test_pep263_cookie_is_honoured_both_ways(tree: Path) -> None:
    source = "# vim: set fileencoding=cp1252 :\n" + GOOD.replace('f"x={x}"', 'f"\u20ac {x}"')
    (tree / "cookie.py").write_bytes(source.encode("cp1252"))
    result = fix(".", cwd=tree)
    assert result.returncode == 0, result.stderr
    data = (tree / "cookie.py").read_bytes()
    assert data.startswith(b"# vim: set fileencoding=cp1252 :\nimport sys\n")
    assert b'tf.print("\x80 ", x, sep="", summarize=-1, output_stream=sys.stdout)' in data
    assert_rest_fixed(tree)


def test_bom_is_kept(tree: Path) -> None:
    (tree / "bom.py").write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert fix(".", cwd=tree).returncode == 0
    assert (tree / "bom.py").read_bytes() == b"\xef\xbb\xbf" + FIXED.encode()


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_endings_are_kept(tree: Path, newline: str) -> None:
    (tree / "ends.py").write_bytes(GOOD.replace("\n", newline).encode())
    assert fix(".", cwd=tree).returncode == 0
    assert (tree / "ends.py").read_bytes() == FIXED.replace("\n", newline).encode()


def test_mixed_line_endings_keep_each_line_end(tree: Path) -> None:
    # Most lines end in "\n", so inserted lines do too; the CRLF line keeps its CRLF.
    mixed = GOOD.replace("import tensorflow as tf\n", "import tensorflow as tf\r\n")
    (tree / "mixed.py").write_bytes(mixed.encode())
    assert fix(".", cwd=tree).returncode == 0
    assert (tree / "mixed.py").read_bytes() == FIXED.replace(
        "import tensorflow as tf\n", "import tensorflow as tf\r\n"
    ).encode()


def test_tabs_are_kept(tree: Path) -> None:
    (tree / "tabs.py").write_text(GOOD.replace("    ", "\t"))
    assert fix(".", cwd=tree).returncode == 0
    assert (tree / "tabs.py").read_text() == FIXED.replace("    ", "\t")


def test_form_feeds_are_kept(tree: Path) -> None:
    # A form feed may start a line (page breaks in old code); it resets indentation.
    source = GOOD.replace("\n\n\n@tf", "\n\x0c\n\x0c@tf").replace("    return x", "\x0c    return x")
    (tree / "feeds.py").write_text(source)
    result = fix(".", cwd=tree)
    assert result.returncode == 0, result.stderr
    expected = FIXED.replace("\n\n\n@tf", "\n\x0c\n\x0c@tf").replace("    return x", "\x0c    return x")
    assert (tree / "feeds.py").read_text() == expected


def test_no_trailing_newline_stays_so(tree: Path) -> None:
    (tree / "end.py").write_text(GOOD.rstrip("\n"))
    assert fix(".", cwd=tree).returncode == 0
    assert (tree / "end.py").read_text() == FIXED.rstrip("\n")


def test_empty_file_is_fine(tree: Path) -> None:
    (tree / "empty.py").write_bytes(b"")
    result = fix(".", cwd=tree)
    assert result.returncode == 0 and result.stderr == ""
    assert (tree / "empty.py").read_bytes() == b""
    assert_rest_fixed(tree)


@pytest.mark.timeout(600)  # a hang guard only: it takes seconds
def test_fifty_thousand_lines(tree: Path) -> None:
    # Long plain code with graph functions spread through it, each with a print.
    lines = ["import tensorflow as tf", ""]
    while len(lines) < 50_000:
        if len(lines) % 500 == 2:
            lines += ["@tf.function", f"def g{len(lines)}(x):", '    print("step", 1)', "    return x", ""]
        else:
            lines += [f"def h{len(lines)}(a, b=2):", "    if a > b:", "        return [a, b]", "    return {a: b}", ""]
    source = "\n".join(lines) + "\n"
    (tree / "long.py").write_text(source)
    result = fix(".", cwd=tree)
    assert result.returncode == 0, result.stderr
    fixed = (tree / "long.py").read_text()
    assert fixed.count('tf.print("step", 1, output_stream=sys.stdout)') == 100
    assert fixed.count("\n") == source.count("\n") + 2  # import sys and a blank line


@pytest.mark.timeout(600)  # a hang guard only: it takes seconds
def test_ten_thousand_fixes_in_one_file(tree: Path) -> None:
    lines = ["import tensorflow as tf", ""]
    for i in range(10_000):
        lines += ["@tf.function", f"def f{i}(x):", f'    print("v", {i})', "    return x", ""]
    (tree / "many.py").write_text("\n".join(lines))
    result = fix("many.py", cwd=tree, extra=("--select", "AG001"))
    assert result.returncode == 0, result.stderr
    assert (tree / "many.py").read_text().count("tf.print(") == 10_000


# --- things that are not source files ----------------------------------------------------


def test_directory_named_like_a_source_file_is_walked(tree: Path) -> None:
    (tree / "x.py").mkdir()
    (tree / "x.py" / "inner.py").write_text(GOOD)
    result = fix(".", cwd=tree)
    assert result.returncode == 0, result.stderr
    assert (tree / "x.py" / "inner.py").read_text() == FIXED
    result = fix("x.py", cwd=tree)  # named on the command line: walked too
    assert result.returncode == 0 and result.stderr == ""
    assert_rest_fixed(tree)


def test_symlink_loops(tree: Path) -> None:
    (tree / "self.py").symlink_to("self.py")
    (tree / "a.py").symlink_to("b.py")
    (tree / "b.py").symlink_to("a.py")
    (tree / "pkg").mkdir()
    (tree / "pkg" / "up").symlink_to("..")  # a directory loop: never followed
    (tree / "dangling.py").symlink_to("missing.py")
    result = fix(".", cwd=tree)
    assert result.returncode == 2
    for name in ("self.py", "a.py", "b.py"):
        assert_one_error(result, name, "Too many levels of symbolic links")
    assert_one_error(result, "dangling.py", "No such file or directory")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 4, result.stderr
    assert_rest_fixed(tree)
    assert (tree / "self.py").is_symlink() and os.readlink(tree / "self.py") == "self.py"


def test_file_names_that_are_not_utf8(tree: Path) -> None:
    good, bad = os.path.join(bytes(tree), b"g\xff.py"), os.path.join(bytes(tree), b"b\xfe.py")
    with open(good, "wb") as handle:
        handle.write(GOOD.encode())
    with open(bad, "wb") as handle:
        handle.write(b"import tensorflow as tf\n@tf.function\ndef f(:\n")
    result = fix(".", cwd=tree)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        line for line in result.stderr.splitlines() if line.startswith("b")
    ] and result.stderr.count("error:") == 1
    with open(good, "rb") as handle:
        assert handle.read() == FIXED.encode()
    assert_rest_fixed(tree)


def test_fifo_does_not_hang_the_run(tree: Path) -> None:
    os.mkfifo(tree / "pipe.py")
    result = fix(".", cwd=tree)
    assert_one_error(result, "pipe.py", "not a regular file")
    assert_rest_fixed(tree)
    assert stat.S_ISFIFO(os.lstat(tree / "pipe.py").st_mode)


def test_character_device_named_on_the_command_line(tree: Path) -> None:
    result = fix("/dev/null", "good.py", cwd=tree)
    assert_one_error(result, "/dev/null", "not a regular file")
    assert_rest_fixed(tree)


def _without_root_privileges() -> tuple[str, ...]:
    """A command prefix under which permission bits apply, also when we are root."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and setpriv(1) is missing: permission bits cannot be made to apply")
    # Root reads anything through CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH; drop both.
    prefix = (setpriv, "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-dac_override,-dac_read_search")
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot drop capabilities here: {probe.stderr.decode(errors='replace').strip()}")
    return prefix


def test_unreadable_file(tree: Path) -> None:
    secret = tree / "secret.py"
    secret.write_text(GOOD)
    secret.chmod(0)
    try:
        result = fix(".", cwd=tree, prefix=_without_root_privileges())
        assert_one_error(result, "secret.py", "Permission denied")
        assert_rest_fixed(tree)
    finally:
        secret.chmod(0o644)
    assert secret.read_text() == GOOD


def test_read_only_file_is_reported_and_not_chmodded(tree: Path) -> None:
    locked = tree / "locked.py"
    locked.write_text(GOOD)
    locked.chmod(0o444)
    result = fix(".", cwd=tree)
    assert_one_error(result, "locked.py", "not written: the file is read-only")
    assert stat.S_IMODE(locked.stat().st_mode) == 0o444
    assert locked.read_text() == GOOD
    assert_rest_fixed(tree)


@pytest.mark.parametrize("same_size", [False, True])
def test_file_changed_between_read_and_write_is_not_clobbered(tree: Path, same_size: bool) -> None:
    # Another program edits the file while it is being processed (simulated by a
    # hook inside the run); the edit must survive and the run must say so.
    edited = GOOD.replace("return x", "return 1") if same_size else GOOD + "# edited meanwhile\n"
    probe = (
        "import os, sys\n"
        "import rewriter.files as files\n"
        "real = files.process_source\n"
        "def meddling(text, settings, filename='<string>', **options):\n"
        "    report = real(text, settings, filename, **options)\n"
        "    if filename.endswith('victim.py'):\n"
        "        before = os.stat(filename)\n"
        f"        open(filename, 'w').write({edited!r})\n"
        "        os.utime(filename, ns=(before.st_atime_ns, before.st_mtime_ns))\n"
        "    return report\n"
        "files.process_source = meddling\n"
        "from rewriter.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    (tree / "victim.py").write_text(GOOD)
    result = subprocess.run(
        [sys.executable, "-c", probe, "check", "--fix", "--isolated", "--no-cache", "--jobs", "1", "."],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert_one_error(result, "victim.py", "the file changed while it was being processed")
    assert (tree / "victim.py").read_text() == edited
    assert_rest_fixed(tree)


# --- notebooks (supported once `.ipynb` files are discovered) ------------------------------


def _notebooks_supported() -> None:
    from rewriter import discover

    if ".ipynb" not in discover.SOURCE_SUFFIXES:
        pytest.skip("notebooks (.ipynb) are not processed yet")


def test_notebook_with_invalid_json(tree: Path) -> None:
    _notebooks_supported()
    data = b'{"cells": [{"cell_type": "code", "source": ["import tensorflow as tf\\n@tf.function\\n'
    (tree / "broken.ipynb").write_bytes(data)
    result = fix(".", cwd=tree)
    assert_one_error(result, "broken.ipynb", "")
    assert (tree / "broken.ipynb").read_bytes() == data
    assert_rest_fixed(tree)


def test_notebook_without_code_cells(tree: Path) -> None:
    _notebooks_supported()
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["Uses tensorflow: `@tf.function` and `print`.\n"]}
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    data = json.dumps(notebook, indent=1).encode()
    (tree / "prose.ipynb").write_bytes(data)
    result = fix(".", cwd=tree)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert (tree / "prose.ipynb").read_bytes() == data
    assert_rest_fixed(tree)


# --- interruption ----------------------------------------------------------------------------


def _many_files(root: Path, count: int) -> dict[str, tuple[bytes, bytes]]:
    """`count` files with findings; name -> (old bytes, new bytes)."""
    from rewriter.pipeline import process_source
    from rewriter.settings import Settings

    body = "".join(f'    print("line {i}", x)\n' for i in range(40))
    source = f"import sys\nimport tensorflow as tf\n\n\n@tf.function\ndef f(x):\n{body}    return x\n"
    fixed = process_source(source, Settings(unsafe_fixes=True)).fixed
    assert fixed != source
    root.mkdir(parents=True)
    files = {}
    for index in range(count):
        name = f"m{index:03d}.py"
        (root / name).write_text(source)
        files[name] = (source.encode(), fixed.encode())
    return files


def interrupt_a_run(tmp_path: Path, jobs: str) -> bool:
    """Interrupt `check --fix` over many files; True when some files were left unfixed.

    On a loaded machine the run can finish before the interrupt lands; then there was
    nothing to test, so it tries again with more files (and fails if it never lands).
    """
    for attempt, count in enumerate((300, 1500, 6000)):
        outcome = _interrupt_once(tmp_path / f"attempt{attempt}", jobs, count)
        if outcome is not None:
            return outcome
    pytest.fail("every run finished before the interrupt arrived")


def _interrupt_once(tmp_path: Path, jobs: str, count: int) -> bool | None:
    """One interrupted run over `count` files; None when it finished before the interrupt."""
    tmp_path.mkdir()
    command = [
        sys.executable,
        "-m",
        "rewriter",
        "check",
        "--fix",
        "--unsafe-fixes",
        "--isolated",
        "--no-cache",
        "--no-progress",
        "--jobs",
        jobs,
        "src",
    ]
    files = _many_files(tmp_path / "src", count)
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    # Interrupt as soon as the first file has been written: the run is then halfway.
    first, deadline = tmp_path / "src" / "m000.py", time.monotonic() + 120
    while first.read_bytes() == files["m000.py"][0] and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.005)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=300)
    stderr = err.decode(errors="replace")
    assert "Traceback" not in stderr, stderr
    if process.returncode == 0:
        return None
    new = []
    for name, (old_data, new_data) in files.items():
        data = (tmp_path / "src" / name).read_bytes()
        assert data in (old_data, new_data), f"{name} is neither the old nor the new text"
        new.append(data == new_data)
    assert not leftovers(tmp_path), leftovers(tmp_path)
    assert sorted(p.name for p in (tmp_path / "src").iterdir()) == sorted(files)
    assert any(new), "the run was interrupted before it wrote anything"
    assert process.returncode == 130, (process.returncode, stderr)
    assert stderr.strip().splitlines()[-1].startswith("tfrewrite: interrupted")
    return not all(new)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_interrupted_run_leaves_every_file_old_or_new(tmp_path: Path, jobs: str) -> None:
    interrupt_a_run(tmp_path, jobs)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_interrupted_run_stops_early(tmp_path: Path, jobs: str) -> None:
    assert interrupt_a_run(tmp_path, jobs), "the run went on to fix every file after the interruption"
