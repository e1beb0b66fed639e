"""What a trace file changes, from hand-written trace files (fast: no program is run).

`tests/test_trace.py` records real programs; here the file is written directly, with
the same naming and hashing the recorder uses, to test its readers: AG008's recorded
retracing, the library API, the codemod and `verify`'s example inputs.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

import rewriter
from rewriter.codemod import TfFunctionCodemod
from rewriter.trace import traces

ROOT = Path(__file__).resolve().parent.parent

SCHEDULE = """\
import tensorflow as tf


@tf.function
def step(x, n):
    return x * tf.cast(n, tf.float32)


def train(x, schedule):
    for n in schedule:
        step(x, n)
"""


def entry(source: str, qualname: str, file: str = "train.py", **fields: Any) -> dict[str, Any]:
    """A trace file entry for `qualname` of `source`, as the recorder writes it."""
    lines = source.splitlines(keepends=True)
    node = dict(traces.qualified_functions(ast.parse(source)))[qualname]
    recorded = {
        "file": file,
        "qualname": qualname,
        "line": node.lineno,
        "source_hash": traces.source_hash(lines, node),
        "traced_by": ["tf.function"],
        "autograph": True,
        "options": {"input_signature": False, "jit_compile": False, "reduce_retracing": False},
        "calls": 1,
        "eager_calls": 0,
        "traces": 1,
        "parameters": {},
        "retraces": [],
        "call_sites": [],
    }
    recorded.update(fields)
    return recorded


def parameter(kinds: list[str], dtypes=(), shapes=(), values=(), types=()) -> dict[str, Any]:
    return {
        "kinds": kinds,
        "dtypes": list(dtypes),
        "shapes": list(shapes),
        "values": list(values),
        "types": list(types),
    }


def write_traces(folder: Path, *entries: dict[str, Any]) -> Path:
    data = traces.empty()
    for recorded in entries:
        data["functions"][traces.function_key(recorded["file"], recorded["qualname"])] = recorded
    path = folder / ".tfrewrite" / "traces.json"
    traces.write(path, data)
    return path


def schedule_project(folder: Path) -> Path:
    (folder / "train.py").write_text(SCHEDULE)
    return write_traces(
        folder,
        entry(
            SCHEDULE,
            "step",
            calls=4,
            traces=4,
            parameters={
                "x": parameter(["tensor"], ["float32"], [[2]]),
                "n": parameter(["python"], values=["0", "1", "2", "3"], types=["int"]),
            },
            retraces=[{"changed": ["n"], "count": 3}],
            call_sites=[{"file": "train.py", "line": 11, "traces": 4}],
        ),
    )


def ag008(diagnostics) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    return [(d.location.row, d.location.column, d.message) for d in diagnostics if d.code == "AG008"]


def test_ag008_reports_measured_retracing_at_the_function_and_the_call_site(tmp_path: Path, monkeypatch) -> None:
    path = schedule_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    found = ag008(rewriter.check_source(SCHEDULE, filename="train.py", traces=path))
    assert [(row, column) for row, column, _ in found] == [(4, 2), (11, 9)]  # the decorator, and the call
    assert (
        "a recorded run traced `step` 4 times; 3 of them because the Python argument `n` took a new value "
        in (found[0][2])
    )
    assert "(0, 1, 2, 3)" in found[0][2]
    assert found[1][2].endswith(
        "in a recorded run this call traced `step` 4 times, as its Python argument `n` took new values"
    )
    # Without the trace, the loop over a list is nothing the text shows.
    assert ag008(rewriter.check_source(SCHEDULE, filename="train.py", traces=False)) == []


@pytest.mark.parametrize(
    ("traced", "retraces", "kinds"),
    [
        (2, [{"changed": ["n"], "count": 1}], ["python"]),  # a flag's two values: two traces are meant
        (4, [{"changed": ["x"], "count": 3}], ["python"]),  # new shapes of a tensor, not a Python value
        (4, [{"changed": ["n"], "count": 3}], ["tensor"]),
    ],
)
def test_ag008_leaves_expected_or_tensor_retracing_alone(tmp_path: Path, monkeypatch, traced, retraces, kinds) -> None:
    (tmp_path / "train.py").write_text(SCHEDULE)
    n = parameter(kinds, values=["0", "1"]) if kinds == ["python"] else parameter(kinds, ["int32"], [[]])
    path = write_traces(
        tmp_path,
        entry(
            SCHEDULE,
            "step",
            traces=traced,
            parameters={"x": parameter(["tensor"], ["float32"], [[2], [3]]), "n": n},
            retraces=retraces,
        ),
    )
    monkeypatch.chdir(tmp_path)
    assert ag008(rewriter.check_source(SCHEDULE, filename="train.py", traces=path)) == []


NOISY = """\
import numpy as np

from helpers import graph


@graph
def noisy(x):
    return x + np.random.uniform()
"""


def noisy_project(folder: Path) -> Path:
    (folder / "train.py").write_text(NOISY)
    return write_traces(folder, entry(NOISY, "noisy", parameters={"x": parameter(["tensor"], ["float32"], [[2]])}))


def test_the_api_reads_the_trace_file_beside_the_configuration(tmp_path: Path, monkeypatch) -> None:
    noisy_project(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.tfrewrite]\n")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")  # found from the file's folder upwards, not from here
    found = rewriter.check_source(NOISY, filename=str(tmp_path / "train.py"))
    assert [d.code for d in found] == ["AG002"]
    assert rewriter.check_source(NOISY, filename=str(tmp_path / "train.py"), traces=False) == []
    outcomes = rewriter.rewrite_paths([tmp_path / "train.py"])
    assert [d.code for d in outcomes[0].diagnostics] == ["AG002"]
    assert rewriter.rewrite_paths([tmp_path / "train.py"], traces=False)[0].diagnostics == []


def test_the_api_warns_about_a_trace_file_it_cannot_use(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "train.py").write_text(NOISY)
    (tmp_path / "bad.json").write_text("[]")
    monkeypatch.chdir(tmp_path)
    with pytest.warns(rewriter.TraceWarning, match=r"bad.json: error: not a tfrewrite trace file; checking without"):
        assert rewriter.check_source(NOISY, filename="train.py", traces="bad.json") == []
    noisy_project(tmp_path)
    (tmp_path / "train.py").write_text(NOISY.replace("x + np", "x - np"))
    with pytest.warns(rewriter.TraceWarning, match="1 recorded function changed since the run and is ignored"):
        assert rewriter.rewrite_paths(["train.py"])[0].diagnostics == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rewriter.rewrite_paths(["train.py"], traces=False)


def test_the_codemod_reads_the_trace_file_unless_told_not_to(tmp_path: Path, monkeypatch) -> None:
    import libcst
    from libcst.codemod import CodemodContext, SkipFile

    path = noisy_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    tree = libcst.parse_module(NOISY)
    context = CodemodContext(filename="train.py")
    codemod = TfFunctionCodemod(context, traces=str(path))
    changed = codemod.transform_module_impl(tree)
    assert "tf.random.uniform" in changed.code
    assert TfFunctionCodemod(CodemodContext(filename="train.py")).transform_module_impl(tree).code == changed.code
    with pytest.raises(SkipFile):
        TfFunctionCodemod(CodemodContext(filename="train.py"), no_traces=True).transform_module_impl(tree)


def test_review_offers_the_fixes_only_a_trace_file_shows(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    noisy_project(tmp_path)

    def review(*options: str) -> str:
        child = pexpect.spawn(
            sys.executable,
            ["-m", "rewriter", "review", "--color", "never", *options, "train.py"],
            cwd=str(tmp_path),
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            encoding="utf-8",
            timeout=60,
        )
        shown = ""
        while child.expect([r"\[y,n,a,d,q,\?\]\? ", pexpect.EOF]) == 0:
            shown += child.before + child.after
            child.sendline("y")
        child.close()
        return (shown + child.before).replace("\r\n", "\n")

    assert "Wrote" not in review("--no-traces")
    shown = review()
    assert "AG002 python-random-in-graph at 8:16" in shown and "Wrote train.py" in shown
    assert "tf.random.uniform([])" in (tmp_path / "train.py").read_text()


def test_verify_builds_inputs_from_a_recorded_run(tmp_path: Path) -> None:
    source = """\
import numpy as np
import tensorflow as tf

from helpers import graph


@graph
def scaled(x, factor, bias=None):
    print("scaling by", factor)
    return x * factor


@tf.function
def counted(items):
    return len(items)


@tf.function
def untraced(x):
    return x
"""
    (tmp_path / "helpers.py").write_text("import tensorflow as tf\n\n\ndef graph(fn):\n    return tf.function(fn)\n")
    (tmp_path / "steps.py").write_text(source)
    write_traces(
        tmp_path,
        entry(
            source,
            "scaled",
            file="steps.py",
            parameters={
                "x": parameter(["tensor"], ["float32"], [[None, 3], [4, 3]]),
                "factor": parameter(["python"], values=["2.5"], types=["float"]),
                "bias": parameter(["none"]),
            },
        ),
        entry(source, "counted", file="steps.py", parameters={"items": parameter(["structure"], types=["list"])}),
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    run = subprocess.run(
        [sys.executable, "-m", "rewriter", "verify", "--output-format", "json", "steps.py"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    verdicts = {v["function"]: v for v in json.loads(run.stdout)["verdicts"]}
    assert verdicts["scaled"]["status"] == "agrees", verdicts["scaled"]
    assert "the recorded run passed `items` structure" in verdicts["counted"]["detail"]
    assert "no input_signature, no recorded run" in verdicts["untraced"]["detail"]
