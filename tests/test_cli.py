"""The command line: flags, output formats, exit codes, configuration, suppression."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rewriter.cli import main

GRAPH_PRINT = 'import tensorflow as tf\n\n\n@tf.function\ndef f(x):\n    print(f"x={x}")\n    return x\n'
FIXED_PRINT = (
    "import sys\n\nimport tensorflow as tf\n\n\n@tf.function\ndef f(x):\n"
    '    tf.print("x=", x, sep="", summarize=-1, output_stream=sys.stdout)\n    return x\n'
)
UNSAFE_PRINT = 'import tensorflow as tf\n\n\n@tf.function\ndef f(x):\n    print(f"x {x:>8}")\n    return x\n'
CLEAN = "import tensorflow as tf\n\n\ndef f(x):\n    print(x)\n"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "graph.py").write_text(GRAPH_PRINT)
    (tmp_path / "src" / "clean.py").write_text(CLEAN)
    return tmp_path


def test_check_lists_findings_with_position_and_fix_marker(project: Path, capsys) -> None:
    code, out, _ = run(["check", "src"], capsys)
    assert code == 1
    assert f"src{os.sep}graph.py:6:5: AG001 " in out
    assert out.splitlines()[0].endswith("[*]")
    assert "Found 1 finding." in out


def test_check_defaults_to_current_directory(project: Path, capsys) -> None:
    code, out, _ = run(["check"], capsys)
    assert code == 1 and "graph.py:6:5: AG001" in out


def test_clean_tree_exits_zero(project: Path, capsys) -> None:
    (project / "src" / "graph.py").unlink()
    code, out, _ = run(["check", "src"], capsys)
    assert code == 0 and "All checks passed!" in out


def test_diff_shows_patch_and_writes_nothing(project: Path, capsys) -> None:
    code, out, err = run(["check", "--diff", "src"], capsys)
    assert code == 1
    assert out.startswith("--- a/src/graph.py\n+++ b/src/graph.py\n")
    assert '+    tf.print("x=", x, sep="", summarize=-1, output_stream=sys.stdout)' in out
    assert (project / "src" / "graph.py").read_text() == GRAPH_PRINT
    assert "Would fix 1 finding." in err


def test_diff_applies_with_git_apply(project: Path, capsys) -> None:
    _, out, _ = run(["check", "--diff", "src"], capsys)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "apply", "-"], cwd=project, input=out.encode(), check=True)
    assert (project / "src" / "graph.py").read_text() == FIXED_PRINT


def test_fix_writes_and_second_fix_changes_nothing(project: Path, capsys) -> None:
    code, out, _ = run(["check", "--fix", "src"], capsys)
    assert code == 0, out
    assert "(1 fixed, 0 remaining)" in out
    assert (project / "src" / "graph.py").read_text() == FIXED_PRINT
    stat = (project / "src" / "graph.py").stat()
    code, out, _ = run(["check", "--fix", "src"], capsys)
    assert code == 0 and "All checks passed!" in out
    assert (project / "src" / "graph.py").stat().st_mtime_ns == stat.st_mtime_ns


def test_unsafe_fixes_only_with_flag(project: Path, capsys) -> None:
    (project / "src" / "graph.py").write_text(UNSAFE_PRINT)
    code, out, _ = run(["check", "src"], capsys)
    assert code == 1 and "[*]" not in out and "1 hidden fix can be enabled with `--unsafe-fixes`" in out
    code, out, _ = run(["check", "--fix", "src"], capsys)
    assert code == 1 and (project / "src" / "graph.py").read_text() == UNSAFE_PRINT
    code, out, _ = run(["check", "--fix", "--unsafe-fixes", "src"], capsys)
    assert (
        code == 0
        and 'tf.print("x ", x, sep="", summarize=-1, output_stream=sys.stdout)'
        in (project / "src" / "graph.py").read_text()
    )


def test_select_and_ignore(project: Path, capsys) -> None:
    assert run(["check", "--ignore", "AG001", "src"], capsys)[0] == 0
    assert run(["check", "--select", "AG001", "src"], capsys)[0] == 1
    assert run(["check", "--select", "AG0", "src"], capsys)[0] == 1
    code, _, err = run(["check", "--select", "XY123", "src"], capsys)
    assert code == 2 and "unknown rule code" in err


def test_exclude_glob(project: Path, capsys) -> None:
    assert run(["check", "--exclude", "graph.py", "src"], capsys)[0] == 0
    assert run(["check", "--exclude", "src/*", "."], capsys)[0] == 0
    assert run(["check", "--exclude", "other", "src"], capsys)[0] == 1


def test_json_output_has_ruffs_shape(project: Path, capsys) -> None:
    code, out, _ = run(["check", "--output-format", "json", "src"], capsys)
    assert code == 1
    [item] = json.loads(out)
    assert {"code", "message", "filename", "location", "end_location", "fix"} <= set(item)
    assert item["code"] == "AG001"
    assert item["location"] == {"row": 6, "column": 5}
    assert item["end_location"] == {"row": 6, "column": 20}
    assert item["fix"]["applicability"] == "safe"
    edits = item["fix"]["edits"]
    assert {"content", "location", "end_location"} <= set(edits[0])
    assert any(e["content"] == "import sys\n\n" for e in edits)


def test_json_edits_reproduce_the_fix(project: Path, capsys) -> None:
    _, out, _ = run(["check", "--output-format", "json", "src"], capsys)
    text = GRAPH_PRINT
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(loc: dict[str, int]) -> int:
        return starts[loc["row"] - 1] + loc["column"] - 1

    edits = sorted(
        (
            (offset(e["location"]), offset(e["end_location"]), e["content"])
            for d in json.loads(out)
            for e in d["fix"]["edits"]
        ),
        reverse=True,
    )
    for start, end, content in edits:
        text = text[:start] + content + text[end:]
    assert text == FIXED_PRINT


def test_config_in_pyproject(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text('[tool.tfrewrite]\nignore = ["AG001"]\n')
    assert run(["check", "src"], capsys)[0] == 0
    (project / "pyproject.toml").write_text('[tool.tfrewrite]\nexclude = ["src/graph.py"]\n')
    assert run(["check", "src"], capsys)[0] == 0
    (project / "pyproject.toml").write_text("[tool.tfrewrite]\nunsafe-fixes = true\n")
    (project / "src" / "graph.py").write_text(UNSAFE_PRINT)
    code, out, _ = run(["check", "src"], capsys)
    assert code == 1 and out.splitlines()[0].endswith("[*]")
    (project / "pyproject.toml").write_text('[tool.tfrewrite]\nselect = "AG001"\n')
    code, _, err = run(["check", "src"], capsys)
    assert code == 2 and "pyproject.toml: error: select must be a list of strings" in err
    assert "Traceback" not in err


def test_cli_select_overrides_config(project: Path, capsys) -> None:
    from rewriter.rules import BY_CODE

    if "AG002" not in BY_CODE:
        pytest.skip("needs a second rule to select")
    (project / "pyproject.toml").write_text('[tool.tfrewrite]\nselect = ["AG002"]\n')
    assert run(["check", "src"], capsys)[0] == 0
    assert run(["check", "--select", "AG001", "src"], capsys)[0] == 1
    assert run(["check", "--isolated", "src"], capsys)[0] == 1


def test_suppression_comments(project: Path, capsys) -> None:
    source = GRAPH_PRINT.replace('print(f"x={x}")', 'print(f"x={x}")  # tfrewrite: ignore[AG001]')
    (project / "src" / "graph.py").write_text(source)
    assert run(["check", "src"], capsys)[0] == 0
    (project / "src" / "graph.py").write_text(source.replace("[AG001]", "[AG002]"))
    assert run(["check", "src"], capsys)[0] == 1
    (project / "src" / "graph.py").write_text(source.replace("[AG001]", ""))
    assert run(["check", "src"], capsys)[0] == 0
    # A string that merely contains the marker suppresses nothing.
    (project / "src" / "graph.py").write_text(GRAPH_PRINT.replace('f"x={x}"', 'f"# tfrewrite: ignore {x}"'))
    assert run(["check", "src"], capsys)[0] == 1


def test_missing_path_is_an_error_but_others_run(project: Path, capsys) -> None:
    code, out, err = run(["check", "nowhere.py", "src"], capsys)
    assert code == 2
    assert "nowhere.py: error: no such file or directory" in err
    assert "graph.py:6:5: AG001" in out


def test_syntax_error_is_one_line_and_others_still_fixed(project: Path, capsys) -> None:
    broken = project / "src" / "broken.py"
    broken.write_text("import tensorflow as tf\n\n@tf.function\ndef f(x:\n")
    code, out, err = run(["check", "--fix", "src"], capsys)
    assert code == 2
    assert err.strip().splitlines() == [
        f"src{os.sep}broken.py: error: SyntaxError: '(' was never closed (line 4, column 6)"
    ]
    assert (project / "src" / "graph.py").read_text() == FIXED_PRINT
    assert broken.read_text() == "import tensorflow as tf\n\n@tf.function\ndef f(x:\n"


def test_no_progress_is_accepted(project: Path, capsys) -> None:
    assert run(["check", "--no-progress", "src"], capsys)[0] == 1


def test_fix_and_diff_are_exclusive(project: Path, capsys) -> None:
    code, _, err = run(["check", "--fix", "--diff", "src"], capsys)
    assert code == 2 and "cannot be combined" in err


def test_rules_and_rule_docs(capsys) -> None:
    code, out, _ = run(["rules"], capsys)
    assert code == 0 and out.startswith("AG001  print-in-graph")
    code, out, _ = run(["rule", "AG001"], capsys)
    assert code == 0
    for section in ("## What it does", "## Why is this bad?", "## Example", "Use instead:", "## Fix safety"):
        assert section in out
    assert run(["rule", "print-in-graph"], capsys)[0] == 0
    code, _, err = run(["rule", "AG999"], capsys)
    assert code == 2 and "unknown rule" in err


def _cli(args: list[str], stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "rewriter", *args], input=stdin, capture_output=True, cwd=cwd, timeout=120
    )


def test_stdin_check_and_fix() -> None:
    result = _cli(["check", "-", "--stdin-filename", "model.py"], GRAPH_PRINT.encode())
    assert result.returncode == 1
    assert b"model.py:6:5: AG001" in result.stdout
    result = _cli(["check", "--fix", "-"], GRAPH_PRINT.encode())
    assert result.returncode == 0
    assert result.stdout == FIXED_PRINT.encode()
    result = _cli(["check", "--diff", "-", "--stdin-filename", "m.py"], GRAPH_PRINT.encode())
    assert result.returncode == 1 and result.stdout.startswith(b"--- a/m.py\n")


def test_stdin_fix_passes_bad_input_through_unchanged() -> None:
    result = _cli(["check", "--fix", "-", "--stdin-filename", "bad.py"], b"import tensorflow\ndef f(:\n")
    assert result.returncode == 2
    assert result.stdout == b"import tensorflow\ndef f(:\n"
    assert result.stderr.decode().startswith("bad.py: error: SyntaxError")


def test_console_script_and_module_agree(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("tfrewrite")
    if not script.exists():
        pytest.skip("the console script is not installed in this environment")
    out = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("tfrewrite ")
    assert _cli(["--version"]).stdout.decode() == out.stdout


def test_rewrite_path_never_imports_tensorflow(tmp_path: Path) -> None:
    (tmp_path / "graph.py").write_text(GRAPH_PRINT)
    probe = (
        "import sys\n"
        "from rewriter.cli import main\n"
        "try:\n"
        "    main(['--version'])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"main(['check', '--fix', {str(tmp_path)!r}])\n"
        "heavy = [m for m in ('tensorflow', 'keras', 'numpy', 'libcst') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr
    assert (tmp_path / "graph.py").read_text() == FIXED_PRINT


AGENT = (
    "from tf_agents.utils import common\n\n\nclass Agent:\n    def __init__(self):\n"
    "        self.train = common.function(self._train)\n\n    def _train(self, x):\n"
    '        print("training")\n        return x\n'
)


def test_graph_decorators_from_config_and_command_line(project: Path, capsys) -> None:
    (project / "src" / "agent.py").write_text(AGENT)
    code, out, _ = run(["check", "--no-cache", "src/agent.py"], capsys)
    assert code == 0 and "AG001" not in out
    code, out, _ = run(["check", "--no-cache", "--graph-decorator", "tf_agents.utils.common.function", "src"], capsys)
    assert code == 1 and "src/agent.py:9:9: AG001" in out
    (project / "pyproject.toml").write_text(
        '[tool.tfrewrite]\ngraph-decorators = ["tf_agents.utils.common.function"]\n'
    )
    code, out, _ = run(["check", "src/agent.py"], capsys)
    assert code == 1 and "src/agent.py:9:9: AG001" in out
    # The cache knows the setting: without it, the file has no graph code again.
    (project / "pyproject.toml").write_text("[tool.tfrewrite]\n")
    assert run(["check", "src/agent.py"], capsys)[0] == 0
    (project / "pyproject.toml").write_text('[tool.tfrewrite]\ngraph-decorators = ["common function"]\n')
    code, _, err = run(["check", "src"], capsys)
    assert code == 2 and "graph-decorators: 'common function' is not a qualified name" in err
    code, _, err = run(["check", "--isolated", "--graph-decorator", "function", "src"], capsys)
    assert code == 2 and "--graph-decorator: 'function' is not a qualified name" in err


def test_scopes_lists_each_graph_scope_with_kind_reason_and_mode(project: Path, capsys) -> None:
    (project / "src" / "model.py").write_text(
        "import keras\nimport tensorflow as tf\n\n\nclass M(keras.Model):\n"
        "    def train_step(self, data):\n        return {}\n\n\n"
        "ds = tf.data.Dataset.range(3).map(lambda x: x + 1)\n"
    )
    (project / "src" / "broken.py").write_text("def f(:\n")
    code, out, err = run(["scopes", "src"], capsys)
    assert out.splitlines() == [
        "src/graph.py:5:1: f [tf.function] decorated with tf.function (converted by AutoGraph)",
        "src/model.py:6:5: train_step [keras-step] train_step of Keras 3 model class M "
        "(traced without AutoGraph, maybe XLA)",
        "src/model.py:10:35: <lambda> [tf.data] given to Dataset.map (converted by AutoGraph)",
        "Found 3 graph scopes.",
    ]
    assert code == 2 and err.startswith("src/broken.py: error: SyntaxError")


def test_scopes_in_notebook_cells_and_markdown_blocks_are_where_check_puts_findings(project: Path, capsys) -> None:
    cells = [
        "import tensorflow as tf\n",
        "%matplotlib inline\n",
        "@tf.function\ndef step(x):\n    print(x)\n    return x\n",
    ]
    notebook = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None}
            for source in cells
        ],
        "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    docs = project / "docs"
    docs.mkdir()
    (docs / "walkthrough.ipynb").write_text(json.dumps(notebook))
    (docs / "guide.md").write_text(
        "# Guide\n\nSome text.\n\n```python\nimport tensorflow as tf\n\n"
        "ds = tf.data.Dataset.range(3).map(lambda x: x * 2)\n```\n"
    )
    code, out, _ = run(["scopes", "docs"], capsys)
    assert code == 0
    assert out.splitlines() == [
        "docs/guide.md:8:35: <lambda> [tf.data] given to Dataset.map (converted by AutoGraph)",
        "docs/walkthrough.ipynb:cell 3:2:1: step [tf.function] decorated with tf.function (converted by AutoGraph)",
        "Found 2 graph scopes.",
    ]
    code, out, _ = run(["check", "--no-cache", "docs/walkthrough.ipynb"], capsys)
    assert "docs/walkthrough.ipynb:cell 3:3:5: AG001" in out  # the same cell and rows
