"""`tfrewrite review`, driven through a pseudo-terminal as a person would use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

from rewriter.review import apply_selected, closure, make_hunks  # noqa: E402

FILLER = "".join(f"CONSTANT_{i} = {i}\n" for i in range(6))
GRAPH = (
    '"""Steps."""\n\nimport tensorflow as tf\n\n' + FILLER + '\n\n@tf.function\ndef f(x):\n    print(f"x={x}")\n'
    "    return x\n\n" + FILLER + '\n\n@tf.function\ndef g(x):\n    print(f"g={x}")\n    return x\n'
)
PROMPT = r"\[y,n,a,d,q,\?\]\? "


def spawn(cwd: Path, *args: str):  # -> pexpect.spawn
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", NO_COLOR="")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "rewriter", "review", *args],
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(60, 200),
    )
    return child


def answer(child, *answers: str) -> str:
    """Send each answer at the next prompt; return everything shown until the program ends."""
    shown = []
    for reply in answers:
        child.expect(PROMPT)
        shown.append(child.before + child.after)
        child.sendline(reply)
    child.expect(pexpect.EOF)
    shown.append(child.before)
    child.close()
    return "".join(shown).replace("\r\n", "\n")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "a.py").write_text(GRAPH)
    (tmp_path / "b.py").write_text(GRAPH.replace("g=", "h="))
    return tmp_path


def test_refuses_without_a_terminal(project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rewriter", "review", "."],
        cwd=project,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr
    assert "tfrewrite check --diff" in result.stderr and "tfrewrite apply" in result.stderr
    assert (project / "a.py").read_text() == GRAPH


def test_hunk_by_hunk_with_help_links_and_skip_rest(project: Path) -> None:
    b_before = (project / "b.py").stat()
    child = spawn(project, "--color", "never", ".")
    # a.py: help, accept f's fix (shown with the import hunk it needs), skip g's.
    # b.py: `d` skips every hunk of the file. The import hunk is never asked on its own.
    shown = answer(child, "?", "y", "n", "d")
    assert "(1/3)" not in shown
    assert "  with hunk 1, which this fix needs:\n@@ -1,4 +1,6 @@" in shown
    assert child.exitstatus == 0, shown
    assert "--- a/a.py\n+++ b/a.py\n@@ -12,7 +14,7 @@" in shown
    assert "y - apply this hunk" in shown and "q - quit" in shown
    assert "AG001 print-in-graph at 15:5: `print` in a graph runs only while tracing" in shown
    assert "-> Replace with `tf.print` (safe)" in shown
    assert "(2/3) Apply this hunk to a.py [y,n,a,d,q,?]?" in shown
    assert "Also applying hunk 1: the fixes in hunk 2 need it." in shown
    assert "Wrote a.py (2 of 3 hunks)." in shown
    assert "Applied 2 of 6 hunks; wrote 1 file." in shown
    text = (project / "a.py").read_text()
    assert "import sys\n" in text
    assert 'tf.print("x=", x, sep="", summarize=-1, output_stream=sys.stdout)' in text and 'print(f"g={x}")' in text
    compile(text, "a.py", "exec")
    # b.py was not written at all.
    after = (project / "b.py").stat()
    assert (after.st_ino, after.st_mtime_ns) == (b_before.st_ino, b_before.st_mtime_ns)


def test_all_and_quit_keep_decisions_so_far(project: Path) -> None:
    child = spawn(project, "--color", "never", ".")
    shown = answer(child, "a", "q")  # a.py: everything; b.py: quit at its first question
    assert child.exitstatus == 0, shown
    assert "Wrote a.py (3 of 3 hunks)." in shown
    assert "b.py" in shown and "Wrote b.py" not in shown
    assert (project / "b.py").read_text() == GRAPH.replace("g=", "h=")
    assert 'tf.print("g=", x' in (project / "a.py").read_text()


def test_colours_on_a_terminal_by_default(project: Path) -> None:
    child = spawn(project, "a.py")
    shown = answer(child, "q")
    assert "\x1b[32m+import sys" in shown


def test_notebook_review_writes_the_accepted_cell(tmp_path: Path) -> None:
    cells = [
        {
            "cell_type": "code",
            "execution_count": 1,
            "metadata": {},
            "outputs": [],
            "source": ["import tensorflow as tf"],
        },
        {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [], "source": ["%%time\n", "x = 1"]},
        {
            "cell_type": "code",
            "execution_count": 3,
            "metadata": {},
            "outputs": [],
            "source": ["@tf.function\n", "def f(x):\n", '    print(f"x={x}")\n', "    return x"],
        },
    ]
    original = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"
    (tmp_path / "nb.ipynb").write_text(original)
    child = spawn(tmp_path, "--color", "never", "nb.ipynb")
    shown = answer(child, "y")  # the import hunk comes with the fix, not on its own
    assert child.exitstatus == 0, shown
    assert "@@ -1,4 +1,6 @@ cell 1\n # %% [cell 1]\n+import sys\n" in shown
    assert "@@ -6,5 +8,5 @@ cell 3\n" in shown
    assert "AG001 print-in-graph at cell 3:3:5" in shown
    assert "Also applying hunk 1: the fixes in hunk 2 need it." in shown
    after = json.loads((tmp_path / "nb.ipynb").read_text())
    assert after["cells"][0]["source"] == ["import sys\n", "\n", "import tensorflow as tf"]
    assert after["cells"][1] == cells[1]
    assert after["cells"][2]["source"][2] == '    tf.print("x=", x, sep="", summarize=-1, output_stream=sys.stdout)\n'


def test_hunks_apply_selectively() -> None:
    before = "".join(f"line {i}\n" for i in range(30))
    after = before.replace("line 2\n", "two\n").replace("line 20\n", "twenty\n")
    hunks = make_hunks(before, after)
    assert len(hunks) == 2
    assert apply_selected(before, hunks, {1}) == before.replace("line 20\n", "twenty\n")
    assert apply_selected(before, hunks, {0, 1}) == after
    hunks[1].needs = {0}
    assert closure({1}, hunks) == {0, 1}


def test_an_import_is_never_written_without_a_fix_that_uses_it(project: Path) -> None:
    child = spawn(project, "--color", "never", "a.py")
    shown = answer(child, "n", "n")  # decline both fixes: the import hunk goes too
    assert child.exitstatus == 0, shown
    assert (project / "a.py").read_text() == GRAPH
    child = spawn(project, "--color", "never", "a.py")
    shown = answer(child, "n", "y")  # only g's fix: it needs the import as well
    assert "Also applying hunk 1: the fixes in hunk 3 need it." in shown
    text = (project / "a.py").read_text()
    assert "import sys\n" in text and 'print(f"x={x}")' in text and 'tf.print("g=", x' in text
