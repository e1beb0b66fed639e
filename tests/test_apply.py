"""`tfrewrite apply`: strict patches from `check --diff`, trimmed or not, notebooks too."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from rewriter.apply import PatchError, apply_hunks, read_patch
from rewriter.cli import main

FILLER = "".join(f"CONSTANT_{i} = {i}\n" for i in range(6))
GRAPH = (
    '"""Steps."""\n\nimport tensorflow as tf\n\n' + FILLER + '\n\n@tf.function\ndef f(x):\n    print(f"x={x}")\n'
    "    return x\n\n" + FILLER + '\n\n@tf.function\ndef g(x):\n    print(f"g={x}")\n    return x\n'
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.py").write_text(GRAPH)
    (tmp_path / "src" / "b.py").write_text(GRAPH.replace("g=", "h="))
    return tmp_path


def run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def make_patch(capsys, *paths: str) -> str:
    code, out, _ = run(["check", "--diff", *paths], capsys)
    assert code == 1
    return out


def fixed_text(project: Path, name: str, capsys) -> str:
    """What --fix makes of a file, computed on a copy."""
    copy = project / "copy.py"
    copy.write_text((project / name).read_text())
    run(["check", "--fix", str(copy)], capsys)
    text = copy.read_text()
    copy.unlink()
    return text


def test_whole_patch_applies_like_fix(project: Path, capsys) -> None:
    expected = fixed_text(project, "src/a.py", capsys)
    (project / "fixes.patch").write_text(make_patch(capsys, "src"))
    code, out, err = run(["apply", "fixes.patch"], capsys)
    assert code == 0, err
    assert out == "Applied 3 hunks to src/a.py\nApplied 3 hunks to src/b.py\n"
    assert (project / "src" / "a.py").read_text() == expected
    # Applying again: nothing matches any more, every file is named and left alone.
    code, _, err = run(["apply", "fixes.patch"], capsys)
    assert code == 1
    assert "src/a.py: rejected (3 hunks; file left as it was): hunk 1" in err
    assert (project / "src" / "a.py").read_text() == expected


def drop_hunk(patch: str, path: str, number: int) -> str:
    """The patch without the `number`th hunk of `path` (a reviewer's deletion)."""
    lines = patch.splitlines(keepends=True)
    out, current, hunk, skipping = [], None, 0, False
    for line in lines:
        if line.startswith("+++ "):
            current, hunk, skipping = line[6:].strip(), 0, False
        elif line.startswith("@@") and current == path:
            hunk += 1
            skipping = hunk == number
        elif line.startswith("--- "):
            skipping = False
        if not skipping:
            out.append(line)
    return "".join(out)


def test_a_reviewer_deletes_a_hunk_and_a_file(project: Path, capsys, monkeypatch) -> None:
    patch = make_patch(capsys, "src")
    trimmed = drop_hunk(patch, "src/a.py", 3)  # keep the import and f's fix, not g's
    trimmed = trimmed[: trimmed.index("--- a/src/b.py")]  # and leave b.py out entirely
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(trimmed.encode())))
    code, out, err = run(["apply", "-"], capsys)
    assert code == 0, err
    assert out == "Applied 2 hunks to src/a.py\n"
    text = (project / "src" / "a.py").read_text()
    assert 'tf.print("x=", x, sep="", summarize=-1, output_stream=sys.stdout)' in text and "import sys\n" in text
    assert 'print(f"g={x}")' in text
    assert (project / "src" / "b.py").read_text() == GRAPH.replace("g=", "h=")


def test_a_file_with_a_stale_hunk_is_untouched_and_others_applied(project: Path, capsys) -> None:
    (project / "fixes.patch").write_text(make_patch(capsys, "src"))
    edited = GRAPH.replace('print(f"x={x}")\n    return x\n', 'print(f"x={x}")\n    return x  # edited\n')
    (project / "src" / "a.py").write_text(edited)
    code, out, err = run(["apply", "fixes.patch"], capsys)
    assert code == 1
    assert out == "Applied 3 hunks to src/b.py\n"
    assert err == (
        "src/a.py: rejected (3 hunks; file left as it was): hunk 2 (@@ -12,7 +14,7 @@) does not match "
        "line 16: expected '    return x', found '    return x  # edited'\n"
    )
    assert (project / "src" / "a.py").read_text() == edited


def test_edited_added_lines_are_taken_but_must_compile(project: Path, capsys) -> None:
    patch = make_patch(capsys, "src/a.py")
    patch = patch.replace(
        '+    tf.print("x=", x, sep="", summarize=-1, output_stream=sys.stdout)',
        '+    tf.print("x is", x, summarize=-1, output_stream=sys.stdout)',
    )
    (project / "ok.patch").write_text(patch)
    assert run(["apply", "--check", "ok.patch"], capsys)[1] == "Would apply 3 hunks to src/a.py\n"
    assert (project / "src" / "a.py").read_text() == GRAPH  # --check writes nothing
    assert run(["apply", "ok.patch"], capsys)[0] == 0
    assert 'tf.print("x is", x, summarize=-1, output_stream=sys.stdout)' in (project / "src" / "a.py").read_text()

    (project / "src" / "b.py").write_text(GRAPH)
    broken = make_patch(capsys, "src/b.py").replace('+    tf.print("x=", x,', '+    tf.print("x=", x,,')
    (project / "broken.patch").write_text(broken)
    code, _, err = run(["apply", "broken.patch"], capsys)
    assert code == 1
    assert "src/b.py: rejected (3 hunks; file left as it was): the result does not compile: invalid syntax" in err
    assert (project / "src" / "b.py").read_text() == GRAPH


def test_crlf_and_no_final_newline(project: Path, capsys) -> None:
    text = GRAPH.replace("\n", "\r\n").removesuffix("\r\n")
    (project / "src" / "a.py").write_bytes(text.encode())
    patch = make_patch(capsys, "src/a.py")
    assert "\\ No newline at end of file" in patch
    (project / "p.patch").write_bytes(patch.encode())
    assert run(["apply", "p.patch"], capsys)[0] == 0
    result = (project / "src" / "a.py").read_bytes().decode()
    assert not result.endswith("\n") and result.count("\r\n") == result.count("\n")
    assert 'tf.print("g=", x, sep="", summarize=-1, output_stream=sys.stdout)\r\n    return x' in result


def test_notebook_patch_maps_back_into_the_json(project: Path, capsys) -> None:
    cells = [
        {
            "cell_type": "code",
            "execution_count": 1,
            "metadata": {},
            "outputs": [],
            "source": ["import tensorflow as tf"],
        },
        {"cell_type": "markdown", "metadata": {}, "source": ["Steps — two of them."]},
        {
            "cell_type": "code",
            "execution_count": 2,
            "metadata": {},
            "outputs": [],
            "source": ["@tf.function\n", "def f(x):\n", '    print(f"x={x}")\n', "    return x"],
        },
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": FILLER.splitlines(keepends=True),
        },
        {
            "cell_type": "code",
            "execution_count": 3,
            "metadata": {},
            "outputs": [],
            "source": ["@tf.function\n", "def g(x):\n", '    print(f"g={x}")\n', "    return x"],
        },
    ]
    original = (
        json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1, ensure_ascii=False)
        + "\n"
    )
    (project / "nb.ipynb").write_text(original, encoding="utf-8")
    patch = make_patch(capsys, "nb.ipynb")
    assert patch.startswith("--- a/nb.ipynb\n+++ b/nb.ipynb\n")
    # Keep the import and f's fix; drop g's (its hunk is the last one).
    assert patch.count("\n@@ -") == 2, patch
    (project / "nb.patch").write_text(drop_hunk(patch, "nb.ipynb", 2))
    code, out, err = run(["apply", "nb.patch"], capsys)
    assert code == 0, err
    after = json.loads((project / "nb.ipynb").read_text(encoding="utf-8"))
    assert "".join(after["cells"][0]["source"]) == "import sys\n\nimport tensorflow as tf"
    assert after["cells"][2]["source"][2] == '    tf.print("x=", x, sep="", summarize=-1, output_stream=sys.stdout)\n'
    assert after["cells"][4]["source"] == cells[4]["source"]
    assert after["cells"][1] == cells[1]


def test_unreadable_and_odd_patches(project: Path, capsys) -> None:
    (project / "junk.patch").write_text("this is not a diff\n")
    code, _, err = run(["apply", "junk.patch"], capsys)
    assert code == 2 and err.startswith("junk.patch: error: not a unified diff")
    (project / "empty.patch").write_text("")
    assert run(["apply", "empty.patch"], capsys)[:2] == (0, "Nothing to apply: the patch is empty.\n")
    assert run(["apply", "missing.patch"], capsys)[0] == 2
    new_file = "--- /dev/null\n+++ b/src/new.py\n@@ -0,0 +1 @@\n+x = 1\n"
    (project / "new.patch").write_text(new_file)
    code, _, err = run(["apply", "new.patch"], capsys)
    assert code == 1 and "creates or deletes the file" in err
    assert not (project / "src" / "new.py").exists()


def test_apply_hunks_checks_context_and_position() -> None:
    text = "a\nb\nc\nd\n"
    assert apply_hunks(text, [(2, ["b\n", "c\n"], ["B\n", "c\n"], "@@")]) == "a\nB\nc\nd\n"
    assert apply_hunks(text, [(3, [], ["x\n"], "@@")]) == "a\nb\nx\nc\nd\n"  # an insertion
    with pytest.raises(PatchError, match="does not match line 3: expected 'b', found 'c'"):
        apply_hunks(text, [(3, ["b\n"], ["B\n"], "@@")])
    with pytest.raises(PatchError, match="line ends differ"):
        apply_hunks("a\r\nb\r\n", [(1, ["a\n"], ["A\n"], "@@")])
    with pytest.raises(PatchError, match="overlaps"):
        apply_hunks(text, [(2, ["b\n", "c\n"], ["x\n"], "@@"), (3, ["c\n"], ["y\n"], "@@")])


def test_read_patch_strips_prefixes_and_keeps_line_ends() -> None:
    [entry] = read_patch("--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\r\n+b\r\n")
    assert entry.path == "x.py" and entry.hunks == [(1, ["a\r\n"], ["b\r\n"], "@@ -1,1 +1,1 @@")]
    [entry] = read_patch("--- x.py\n+++ x.py\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n")
    assert entry.path == "x.py" and entry.hunks[0][1:3] == (["a"], ["b\n"])


def _drop_hunk(patch: str, number: int) -> str:
    """The patch without its hunk `number` (1-based)."""
    head, *hunks = patch.split("\n@@ ")
    kept = [h for i, h in enumerate(hunks, 1) if i != number]
    text = "\n@@ ".join([head, *kept])
    return text if text.endswith("\n") else text + "\n"


def test_a_kept_fix_without_its_import_is_refused_naming_both_hunks(project: Path, capsys) -> None:
    patch = make_patch(capsys, "src/a.py")
    (project / "no_import.patch").write_text(_drop_hunk(patch, 1))
    code, out, err = run(["apply", "no_import.patch"], capsys)
    assert code == 1 and out == ""
    assert err.startswith("src/a.py: rejected (2 hunks; file left as it was): hunk 1 (@@ -12,7 +14,7 @@) uses `sys`")
    assert "but the hunk @@ -1,4 +1,6 @@ of the full diff (`import sys`) is not in the patch" in err
    assert (project / "src" / "a.py").read_text() == GRAPH
    # dropping the fixes too, the import alone would be unused: drop it with them
    only_f = _drop_hunk(patch, 3)
    (project / "f.patch").write_text(only_f)
    code, _, err = run(["apply", "f.patch"], capsys)
    assert code == 0, err
    text = (project / "src" / "a.py").read_text()
    assert "import sys\n" in text and 'print(f"g={x}")' in text
