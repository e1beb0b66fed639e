"""Notebooks: the joined-cells view, masking of IPython syntax, byte-exact write-back."""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rewriter import cells, notebook
from rewriter.cli import main
from rewriter.files import Mode, process_file
from rewriter.results import Status
from rewriter.settings import Settings

IMPORTS = "import numpy as np\nimport tensorflow as tf"
STEP = '@tf.function\ndef step(x):\n    print(f"x={x}")\n    return x + 1'
CALL = "for i in range(3):\n    step(tf.constant(i))"
# With the CALL cell, `x` is a scalar tensor (`tf.constant(i)`), which `tf.print` shows whole.
FIXED_STEP = '@tf.function\ndef step(x):\n    tf.print("x=", x, sep="", output_stream=sys.stdout)\n    return x + 1'
# Without a call, `x` may have more than six items a dimension: `summarize=-1` keeps them all.
FIXED_STEP_ALONE = FIXED_STEP.replace('sep=""', 'sep="", summarize=-1')


def code(source: str, count: int | None = None, outputs: list | None = None) -> dict:
    return {
        "cell_type": "code",
        "execution_count": count,
        "metadata": {"tags": ["t"]},
        "outputs": outputs or [],
        "source": source.splitlines(keepends=True),
    }


def markdown(source: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source.splitlines(keepends=True)}


def document(*cells: dict, language: str = "python") -> dict:
    return {
        "cells": list(cells),
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": language, "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def dumps(
    doc: dict, indent: int | None = 1, ensure_ascii: bool = False, newline: bool = True, sort_keys: bool = True
) -> str:
    return json.dumps(doc, indent=indent, ensure_ascii=ensure_ascii, sort_keys=sort_keys) + ("\n" if newline else "")


def standard() -> dict:
    """A tutorial-shaped notebook: magics, imports, a graph function, its call elsewhere."""
    return document(
        markdown("# Título — a notebook\n\nText with ünïcode."),
        code(
            "%matplotlib inline\n!pip install -q tensorflow-cpu",
            1,
            [{"name": "stdout", "output_type": "stream", "text": ["done ✓\n"]}],
        ),
        code(IMPORTS, 2),
        code(STEP, 3),
        markdown("Run it."),
        code(
            CALL,
            4,
            [
                {
                    "data": {"image/png": "iVBORw0KGgo=", "text/plain": ["<Figure>"]},
                    "metadata": {"needs_background": "light"},
                    "output_type": "display_data",
                }
            ],
        ),
    )


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code_ = main(args)
    out, err = capsys.readouterr()
    return code_, out, err


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


# --- the view --------------------------------------------------------------------------


def test_view_joins_code_cells_after_markers_numbered_like_jupyter() -> None:
    nb = notebook.load(dumps(standard()).encode())
    assert [c.number for c in nb.cells] == [2, 3, 4, 6]
    assert nb.view == (
        "# %% [cell 2]\n%matplotlib inline\n!pip install -q tensorflow-cpu\n"
        f"# %% [cell 3]\n{IMPORTS}\n# %% [cell 4]\n{STEP}\n# %% [cell 6]\n{CALL}\n"
    )
    assert nb.cell_position(1) == (2, 1)
    assert nb.cell_position(10) == (4, 3)  # the print line: row 3 of cell 4
    assert nb.cell_position(7) == (3, 3)  # a marker row ends the cell before it
    assert nb.view_row(4, 3) == 10


def test_unchanged_view_rebuilds_the_same_bytes() -> None:
    data = dumps(standard()).encode()
    nb = notebook.load(data)
    assert nb.with_view(nb.view) == data


def test_magics_are_masked_for_parsing_and_restored_verbatim() -> None:
    source = (
        "%load_ext autoreload\n!ls -la\nfiles = !ls\npip install -q tensorflow\ntf.function?\n"
        "!pip install a \\\n    b\nimport tensorflow as tf\n"
        "@tf.function\ndef f(x):\n    print(x)\n    return x"
    )
    nb = notebook.load(dumps(document(code(source), code("%%bash\nfor i in 1 2; do echo $i; done"))).encode())
    masked = nb.masked
    compile(masked.text, "<masked>", "exec")
    assert "!ls" not in masked.text and "%%bash" not in masked.text
    assert masked.unmask(masked.text) == nb.view
    # The Python lines are untouched, so positions in them are the view's positions.
    assert masked.text.splitlines()[9:13] == nb.view.splitlines()[9:13]


def test_a_cell_that_is_not_python_is_left_out_and_the_others_are_checked(tmp_path: Path, capsys) -> None:
    exercise = "@tf.function\ndef f(:\n    pass"
    graph = "@tf.function\ndef g(x):\n    print(x)\n    return x"
    write(tmp_path / "exercise.ipynb", dumps(document(code(IMPORTS), code(exercise), code(graph))))
    code_, out, err = run(["check", "--verbose", "."], capsys)
    assert code_ == 1
    assert "exercise.ipynb:cell 3:3:5: AG001" in out  # the cell's own rows, as without the bad cell
    assert "exercise.ipynb: note: cell 2: SyntaxError: invalid syntax (line 2, column 7): cell skipped" in err
    assert "error" not in err
    before = (tmp_path / "exercise.ipynb").read_bytes()
    code_, _, _ = run(["check", "--fix", "."], capsys)
    after = json.loads((tmp_path / "exercise.ipynb").read_text())
    assert "".join(after["cells"][1]["source"]) == exercise  # left as it was
    assert "tf.print(x" in "".join(after["cells"][2]["source"])
    assert before != (tmp_path / "exercise.ipynb").read_bytes()


# --- check, diff and fix through the command line --------------------------------------


def test_check_names_the_cell_and_rows_are_relative_to_it(tmp_path: Path, capsys) -> None:
    write(tmp_path / "nb.ipynb", dumps(standard()))
    code_, out, _ = run(["check", "nb.ipynb"], capsys)
    assert code_ == 1
    assert out.splitlines()[0] == (
        "nb.ipynb:cell 4:3:5: AG001 `print` in a graph runs only while tracing; later calls print nothing [*]"
    )
    code_, out, _ = run(["check", "--output-format", "json", "nb.ipynb"], capsys)
    [item] = json.loads(out)
    assert item["cell"] == 4 and item["location"] == {"row": 3, "column": 5}
    edits = {(e["cell"], e["location"]["row"]) for e in item["fix"]["edits"]}
    assert edits == {(3, 1), (4, 3)}  # the import goes into the imports cell


def test_fix_changes_only_the_changed_cells_source_lines(tmp_path: Path, capsys) -> None:
    original = dumps(standard())
    path = write(tmp_path / "nb.ipynb", original)
    code_, out, _ = run(["check", "--fix", "nb.ipynb"], capsys)
    assert code_ == 0, out
    fixed = path.read_bytes().decode("utf-8")
    before, after = json.loads(original), json.loads(fixed)
    sources = {i: "".join(c["source"]) for i, c in enumerate(after["cells"])}
    assert sources[2] == "import sys\n\n" + IMPORTS
    assert sources[3] == FIXED_STEP
    # Everything but those two sources is the same value ...
    for i in (2, 3):
        before["cells"][i]["source"] = after["cells"][i]["source"]
    assert before == after
    # ... and the same bytes: the only differing lines are source lines of cells 3 and 4.
    changed = [
        line[0] + line[2:]
        for line in difflib.ndiff(original.splitlines(True), fixed.splitlines(True))
        if line[:1] in "+-"
    ]
    assert changed == [
        '+    "import sys\\n",\n',
        '+    "\\n",\n',
        '-    "    print(f\\"x={x}\\")\\n",\n',
        '+    "    tf.print(\\"x=\\", x, sep=\\"\\", output_stream=sys.stdout)\\n",\n',
    ]
    # A second run changes nothing, not even the modification time.
    stat = path.stat()
    assert run(["check", "--fix", "nb.ipynb"], capsys)[0] == 0
    assert path.stat().st_mtime_ns == stat.st_mtime_ns


@pytest.mark.parametrize(
    "layout",
    [
        {"indent": 1},
        {"indent": 2},
        {"indent": 4},
        {"indent": 1, "ensure_ascii": True},
        {"indent": 1, "newline": False},
        {"indent": None},
        {"indent": 1, "sort_keys": False},
    ],
)
def test_layouts_survive_byte_for_byte(tmp_path: Path, capsys, layout: dict) -> None:
    doc = standard()
    if not layout.get("sort_keys", True):
        doc = {"nbformat_minor": 5, "metadata": doc["metadata"], "cells": doc["cells"], "nbformat": 4}
    original = dumps(doc, **layout)
    path = write(tmp_path / "nb.ipynb", original)
    assert run(["check", "--fix", "nb.ipynb"], capsys)[0] == 0
    fixed = path.read_text(encoding="utf-8")
    expected = json.loads(original)
    expected["cells"][2]["source"] = ("import sys\n\n" + IMPORTS).splitlines(True)
    expected["cells"][3]["source"] = FIXED_STEP.splitlines(True)
    kwargs = {k: v for k, v in layout.items() if k != "newline"}
    assert fixed == dumps(expected, newline=layout.get("newline", True), **kwargs)


def test_crlf_json_and_string_sources(tmp_path: Path, capsys) -> None:
    doc = standard()
    doc["cells"][3]["source"] = STEP  # one string, not a list of lines
    original = dumps(doc).replace("\n", "\r\n")
    path = write(tmp_path / "nb.ipynb", original)
    assert run(["check", "--fix", "nb.ipynb"], capsys)[0] == 0
    fixed = path.read_bytes().decode()
    assert fixed.count("\r\n") == fixed.count("\n")  # no bare "\n" line ends crept in
    after = json.loads(fixed)
    assert after["cells"][3]["source"] == FIXED_STEP
    assert after["cells"][2]["source"] == ("import sys\n\n" + IMPORTS).splitlines(True)


def test_graph_function_wrapped_in_another_cell(tmp_path: Path, capsys) -> None:
    doc = document(
        code(IMPORTS),
        code("def helper(x):\n    print(x)\n    return x"),
        code("def body(x):\n    print('body', x)\n    return helper(x)"),
        code("fast = tf.function(body)\nfast(tf.constant(1))"),
    )
    write(tmp_path / "nb.ipynb", dumps(doc))
    _, out, _ = run(["check", "nb.ipynb"], capsys)
    assert "nb.ipynb:cell 3:2:5: AG001" in out  # body: wrapped in cell 4
    assert "nb.ipynb:cell 2:2:5: AG001" in out  # helper: called from graph code in cell 3


def test_diff_is_over_the_view_and_names_cells(tmp_path: Path, capsys) -> None:
    write(tmp_path / "nb.ipynb", dumps(standard()))
    code_, out, _ = run(["check", "--diff", "nb.ipynb"], capsys)
    assert code_ == 1
    assert out.startswith("--- a/nb.ipynb\n+++ b/nb.ipynb\n@@ -2,12 +2,14 @@ cells 3, 4\n")
    assert "+import sys\n" in out and '-    print(f"x={x}")\n' in out
    assert "\x1b[" not in out  # not a terminal: no colour
    _, coloured, _ = run(["check", "--diff", "--color", "always", "nb.ipynb"], capsys)
    assert "\x1b[32m+import sys\x1b[0m" in coloured


def test_magic_lines_come_back_verbatim_after_fix(tmp_path: Path, capsys) -> None:
    doc = document(
        code("%%capture\n!pip install tensorflow"),
        code("%matplotlib inline\n" + IMPORTS + "\n%load_ext tensorboard"),
        code("@tf.function\ndef f(x):\n    print(x + 1)\n    return x\n\nf?"),
        code("files = !ls\nf(tf.constant(1))"),
    )
    path = write(tmp_path / "nb.ipynb", dumps(doc))
    assert run(["check", "--fix", "--unsafe-fixes", "nb.ipynb"], capsys)[0] == 0
    cells = json.loads(path.read_text())["cells"]
    assert "".join(cells[0]["source"]) == "%%capture\n!pip install tensorflow"
    assert "".join(cells[1]["source"]) == "%matplotlib inline\nimport sys\n\n" + IMPORTS + "\n%load_ext tensorboard"
    assert "".join(cells[2]["source"]).endswith("tf.print(x + 1, output_stream=sys.stdout)\n    return x\n\nf?")
    assert "".join(cells[3]["source"]) == "files = !ls\nf(tf.constant(1))"


# --- what is not a notebook we process ---------------------------------------------------


def test_invalid_json_is_a_one_line_error_and_others_go_on(tmp_path: Path, capsys) -> None:
    write(tmp_path / "a.ipynb", '{"cells": [ {"cell_type": "code", "source": "import tensorflow\\n@tf.function"')
    write(tmp_path / "b.ipynb", dumps(standard()))
    code_, out, err = run(["check", "--fix", "."], capsys)
    assert code_ == 2
    assert err.strip().splitlines() == [
        "a.ipynb: error: invalid notebook JSON: Expecting ',' delimiter (line 1, column 78)"
    ]
    assert "tf.print" in (tmp_path / "b.ipynb").read_text()


def test_nothing_to_do_without_code_cells_or_for_other_languages(tmp_path: Path) -> None:
    write(tmp_path / "md.ipynb", dumps(document(markdown("tensorflow function"))))
    write(tmp_path / "r.ipynb", dumps(document(code("library(tensorflow)\nfunction(x) x"), language="R")))
    for name in ("md.ipynb", "r.ipynb"):
        assert process_file(str(tmp_path / name), Settings(), Mode.CHECK).status is Status.SKIPPED


def test_old_notebook_format_is_named(tmp_path: Path) -> None:
    write(
        tmp_path / "old.ipynb",
        json.dumps({"nbformat": 3, "worksheets": [{"cells": []}], "metadata": {"name": "tensorflow function"}}),
    )
    outcome = process_file(str(tmp_path / "old.ipynb"), Settings(), Mode.CHECK)
    assert outcome.failed and "nbformat 3 notebooks are not supported" in (outcome.error or "")


def test_a_cell_holding_a_marker_line_is_refused() -> None:
    data = dumps(document(code(IMPORTS + "\n# %% [cell 9]\n@tf.function\ndef f(x):\n    return x"))).encode()
    with pytest.raises(notebook.NotebookError, match="marks cells"):
        notebook.load(data)


def test_view_edits_that_move_cell_markers_are_refused() -> None:
    nb = notebook.load(dumps(standard()).encode())
    with pytest.raises(notebook.NotebookError, match="cell markers"):
        nb.with_view(nb.view.replace("# %% [cell 4]\n", ""))
    with pytest.raises(notebook.NotebookError, match="cell 4: SyntaxError"):
        nb.with_view(nb.view.replace("def step(x):", "def step(x:"))


def test_outcome_is_picklable_for_a_process_pool(tmp_path: Path) -> None:
    import pickle

    write(tmp_path / "nb.ipynb", dumps(standard()))
    outcome = process_file(str(tmp_path / "nb.ipynb"), Settings(), Mode.DIFF)
    assert pickle.loads(pickle.dumps(outcome)) == outcome


def test_fixed_notebook_runs_and_prints_every_step(tmp_path: Path, capsys) -> None:
    """The fixed cells, run in order like a kernel does, print on every call."""
    pytest.importorskip("tensorflow")
    doc = document(code(IMPORTS), code(STEP), code(CALL))
    path = write(tmp_path / "nb.ipynb", dumps(doc))
    assert run(["check", "--fix", "nb.ipynb"], capsys)[0] == 0
    cells = ["".join(c["source"]) for c in json.loads(path.read_text())["cells"]]
    program = "\n".join(cells)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["x=0", "x=1", "x=2"]


def test_an_indented_cell_is_kept_verbatim_not_an_error(tmp_path: Path, capsys) -> None:
    """IPython strips a leading indent common to a cell; such a cell is left unanalysed."""
    indented = " @tf.function\n def g(x):\n   print(x)\n   return x"
    doc = document(code(IMPORTS), code(indented), code(STEP))
    path = write(tmp_path / "nb.ipynb", dumps(doc))
    code_, out, err = run(["check", "--fix", "nb.ipynb"], capsys)
    assert code_ == 0 and err == "", err
    cells = json.loads(path.read_text())["cells"]
    assert "".join(cells[1]["source"]) == indented
    assert "".join(cells[2]["source"]) == FIXED_STEP_ALONE


def test_notebook_on_standard_input_by_its_name(tmp_path: Path) -> None:
    data = dumps(standard()).encode()
    command = [sys.executable, "-m", "rewriter", "check", "-", "--stdin-filename", "nb.ipynb"]
    result = subprocess.run(command, input=data, capture_output=True, timeout=120)
    assert result.returncode == 1 and b"nb.ipynb:cell 4:3:5: AG001" in result.stdout
    result = subprocess.run([*command, "--fix"], input=data, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["cells"][3]["source"] == FIXED_STEP.splitlines(True)
    result = subprocess.run([*command, "--fix"], input=b"{not json", capture_output=True, timeout=120)
    assert result.returncode == 2 and result.stdout == b"{not json"
    assert result.stderr.decode().startswith("nb.ipynb: error: invalid notebook JSON")


def test_top_level_await_is_kept_and_does_not_block_fixes(tmp_path: Path, capsys) -> None:
    """IPython allows `await` at the top of a cell; a module does not, so those statements
    are kept verbatim (and unanalysed) while the rest is fixed and compile-checked."""
    awaiting = "import asyncio\nresult = await asyncio.sleep(\n    0)\nasync for item in source():\n    pass"
    doc = document(code(IMPORTS), code(awaiting), code(STEP))
    path = write(tmp_path / "nb.ipynb", dumps(doc))
    code_, out, err = run(["check", "--fix", "nb.ipynb"], capsys)
    assert code_ == 0, out + err
    cells = json.loads(path.read_text())["cells"]
    assert "".join(cells[1]["source"]) == awaiting
    assert "".join(cells[2]["source"]) == FIXED_STEP_ALONE


def _lines_strategy():
    from hypothesis import strategies as st

    # Python and IPython lines only, so an edited view must still compile; the comments
    # carry the characters JSON escapes.
    comment = st.text(alphabet=st.sampled_from(list('ab #%!\t"\\é✓\x7f')), max_size=8).map(lambda t: "# " + t)
    line = st.one_of(comment, st.sampled_from(["x = 1", "%time x", "!ls -l", "print(x)", "tf.function?"]))
    text = st.lists(st.tuples(line, st.sampled_from(["\n", "\r\n"])), max_size=5).map(
        lambda parts: "".join(text + end for text, end in parts)
    )
    return st.one_of(text, text.map(lambda t: t.rstrip("\r\n")))  # Jupyter's last line has no end


def test_view_round_trip_property() -> None:
    """Any notebook's view splits back into its sources, and an unchanged view rebuilds
    the same bytes; a changed cell changes only that cell's source value."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=150, deadline=None)
    @given(
        sources=st.lists(_lines_strategy(), min_size=1, max_size=4),
        kinds=st.lists(st.sampled_from(["code", "markdown"]), min_size=4, max_size=4),
        indent=st.sampled_from([None, 1, 2]),
        ensure_ascii=st.booleans(),
        as_string=st.booleans(),
    )
    def check(sources: list[str], kinds: list[str], indent, ensure_ascii: bool, as_string: bool) -> None:
        cells = []
        for source, kind in zip(sources, kinds):
            cell = code(source) if kind == "code" else markdown(source)
            if as_string:
                cell["source"] = source
            cells.append(cell)
        data = dumps(document(*cells), indent=indent, ensure_ascii=ensure_ascii).encode()
        nb = notebook.load(data)
        expected = [
            c["source"] if isinstance(c["source"], str) else "".join(c["source"])
            for c in cells
            if c["cell_type"] == "code"
        ]
        assert nb.split_view(nb.view) == expected
        assert nb.with_view(nb.view) == data
        if nb.cells:
            first = nb.cells[0]
            edited = nb.view.replace(
                MARKER_OF(first.number) + first.view_text, MARKER_OF(first.number) + "x = 1\n" + first.view_text, 1
            )
            after = json.loads(nb.with_view(edited))
            index = first.number - 1
            assert "".join(after["cells"][index]["source"]).startswith("x = 1\n")
            before = json.loads(data)
            before["cells"][index]["source"] = after["cells"][index]["source"]
            assert before == after

    check()


def MARKER_OF(number: int) -> str:
    return cells.MARKER.format(number=number) + "\n"


def test_an_assignment_to_a_magics_name_is_python(tmp_path: Path, capsys) -> None:
    # Found on tensorflow/docs' guide/migrate/tensorboard.ipynb: `config = ...(` split over
    # lines was taken for the `%config` automagic, and the cell failed to parse.
    cell = "%reload_ext tensorboard\n\nconfig = dict(a=1,\n              b=2)\n" + STEP
    path = write(tmp_path / "nb.ipynb", dumps(document(code(IMPORTS), code(cell))))
    code_, out, err = run(["check", "--fix", "nb.ipynb"], capsys)
    assert code_ == 0 and err == "", err
    fixed = "".join(json.loads(path.read_text())["cells"][1]["source"])
    assert fixed.startswith("%reload_ext tensorboard\n\nconfig = dict(a=1,\n              b=2)\n")
    assert fixed.endswith(FIXED_STEP_ALONE)
