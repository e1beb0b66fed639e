"""`tfrewrite trace`: real programs run under the recorder, and the trace file they leave."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rewriter.trace import traces

pytest.importorskip("tensorflow")

ROOT = Path(__file__).resolve().parent.parent

PROGRAM = """\
import sys

import numpy as np
import tensorflow as tf


def scale(v, factor):
    return v * factor


@tf.function
def step(x, n):
    return scale(x, 2.0) + tf.cast(n, tf.float32)


class Double(tf.keras.layers.Layer):
    def call(self, inputs):
        return inputs * 2


def add_one(v):
    return v + 1


def main():
    for i in range(3):
        step(tf.constant([1.0, 2.0]), i)
    step(np.ones(2, np.float32), 5)
    model = tf.keras.Sequential([tf.keras.Input((2,)), Double(), tf.keras.layers.Dense(1)])
    model.compile(loss="mse", optimizer="sgd")
    model.fit(np.ones((8, 2), np.float32), np.ones((8, 1), np.float32), epochs=1, verbose=0)
    print([int(v) for v in tf.data.Dataset.range(3).map(add_one)])


def untraced(v):
    return v


if __name__ == "__main__":
    main()
    sys.exit(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
"""


def tfrewrite(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    return subprocess.run(
        [sys.executable, "-m", "rewriter", *arguments],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def recorded(folder: Path) -> dict[str, dict[str, object]]:
    return traces.load(folder / ".tfrewrite" / "traces.json")["functions"]


@pytest.fixture(scope="module")
def traced_script(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    folder = tmp_path_factory.mktemp("project")
    (folder / "train.py").write_text(PROGRAM)
    run = tfrewrite("trace", "--", sys.executable, "train.py", "3", cwd=folder)
    return folder, run


def test_the_program_runs_unchanged_and_its_exit_code_passes_through(traced_script) -> None:
    _, run = traced_script
    assert run.returncode == 3, run.stderr
    assert "[1, 2, 3]" in run.stdout
    assert "tfrewrite trace" not in run.stderr  # no recorder error


def test_a_tf_function_is_recorded_with_its_calls_traces_and_arguments(traced_script) -> None:
    step = recorded(traced_script[0])["train.py::step"]
    assert step["traced_by"] == ["tf.function"]
    assert step["autograph"] is True
    assert (step["calls"], step["traces"]) == (4, 4)  # a Python int that changes retraces every call
    assert step["options"] == {"input_signature": False, "jit_compile": False, "reduce_retracing": False}
    x, n = step["parameters"]["x"], step["parameters"]["n"]
    assert x["kinds"] == ["ndarray", "tensor"] and x["dtypes"] == ["float32"] and x["shapes"] == [[2]]
    assert n["kinds"] == ["python"] and n["values"] == ["0", "1", "2", "5"]
    assert {tuple(r["changed"]): r["count"] for r in step["retraces"]} == {("n",): 2, ("n", "x"): 1}
    # The lines whose calls made it trace: the loop's, three times, and the NumPy call's.
    assert step["call_sites"] == [
        {"file": "train.py", "line": 27, "traces": 3},
        {"file": "train.py", "line": 28, "traces": 1},
    ]


def test_ag008_reports_the_recorded_retracing_with_its_counts(traced_script) -> None:
    check = tfrewrite("check", "--no-cache", "--select", "AG008", "--output-format", "json", cwd=traced_script[0])
    found = {(d["location"]["row"], d["message"].partition(": ")[2]) for d in json.loads(check.stdout)}
    assert (
        11,
        "a recorded run traced `step` 4 times; 3 of them because the Python argument `n` took a new value on "
        "each call (0, 1, 2, 5) (pass a tensor, or give `step` an input_signature)",
    ) in found
    assert (28, "in a recorded run this call traced `step` 1 time, as its Python argument `n` took new values") in found
    assert {row for row, _ in found} == {11, 27, 28}  # line 27 also statically: `i` is the loop's counter


def test_functions_graph_code_calls_are_recorded_with_how_they_ran(traced_script) -> None:
    functions = recorded(traced_script[0])
    scale = functions["train.py::scale"]
    assert scale["traced_by"] == ["graph code"] and scale["autograph"] is True
    assert scale["parameters"]["factor"]["values"] == ["2.0"]
    # Keras 3 traces `call` under fit without AutoGraph; tf.data converts its callbacks.
    # (Functions seen only that way are noted without their arguments: keeping the run fast
    # matters more, and their parameters' roles are known statically.)
    call = functions["train.py::Double.call"]
    assert call["autograph"] is False and call["traced_by"] == ["graph code"] and call["parameters"] == {}
    assert functions["train.py::add_one"]["parameters"]["v"]["dtypes"] == ["int64"]
    assert "train.py::untraced" not in functions and "train.py::main" not in functions


def test_the_file_is_sorted_small_and_holds_no_tensor_values(traced_script) -> None:
    path = traced_script[0] / ".tfrewrite" / "traces.json"
    text = path.read_text()
    assert text == traces.dumps(json.loads(text))  # stable key order, so it diffs well
    assert len(text.encode()) < 20_000
    assert "1.0" not in text  # the tensors' values, [1.0, 2.0], are not stored


def test_runs_merge_and_a_changed_function_replaces_its_entry(tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text(PROGRAM)
    for _ in range(2):
        assert tfrewrite("trace", "--", sys.executable, "train.py", cwd=tmp_path).returncode == 0
    assert recorded(tmp_path)["train.py::step"]["calls"] == 8
    (tmp_path / "train.py").write_text(PROGRAM.replace("scale(x, 2.0)", "scale(x, 3.0)"))
    assert tfrewrite("trace", "--", sys.executable, "train.py", cwd=tmp_path).returncode == 0
    step = recorded(tmp_path)["train.py::step"]
    assert step["calls"] == 4  # the old entry was for other source text
    assert recorded(tmp_path)["train.py::scale"]["calls"] == 0


def test_python_dash_m_and_a_pytest_run_are_recorded(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "main.py").write_text(PROGRAM)
    (tmp_path / "test_step.py").write_text(
        textwrap.dedent("""\
            import tensorflow as tf

            from pkg.main import step


            def test_step():
                assert step(tf.constant([1.0]), 1).shape == (1,)
            """)
    )
    assert tfrewrite("trace", "--", sys.executable, "-m", "pkg.main", cwd=tmp_path).returncode == 0
    run = tfrewrite(
        "trace", "--", sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_step.py", cwd=tmp_path
    )
    assert run.returncode == 0, run.stdout + run.stderr
    step = recorded(tmp_path)["pkg/main.py::step"]
    assert step["calls"] == 5 and step["parameters"]["x"]["shapes"] == [[1], [2]]


def test_an_interrupted_program_keeps_what_was_recorded(tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text(
        PROGRAM.replace(
            "    main()\n", "    step(tf.constant([1.0]), 1)\n    os.kill(os.getpid(), signal.SIGINT)\n"
        ).replace("import sys\n", "import os\nimport signal\nimport sys\n", 1)
    )
    run = tfrewrite("trace", "--", sys.executable, "train.py", cwd=tmp_path)
    assert run.returncode == 130 and "KeyboardInterrupt" in run.stderr  # killed by SIGINT, as Python exits on Ctrl-C
    assert recorded(tmp_path)["train.py::step"]["calls"] == 1
    assert not list((tmp_path / ".tfrewrite").glob(".*"))  # no temporary file left


def test_a_program_that_cannot_start_is_a_one_line_error(tmp_path: Path) -> None:
    run = tfrewrite("trace", "--", "no-such-program-here", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.strip() == "tfrewrite: error: no-such-program-here: command not found"
    assert not (tmp_path / ".tfrewrite").exists()
    assert tfrewrite("trace", cwd=tmp_path).stderr.startswith("tfrewrite: error: trace needs a command")


def test_a_corrupt_trace_file_is_replaced_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text(PROGRAM)
    (tmp_path / ".tfrewrite").mkdir()
    (tmp_path / ".tfrewrite" / "traces.json").write_text("{not json")
    run = tfrewrite("trace", "--", sys.executable, "train.py", cwd=tmp_path)
    assert run.returncode == 0
    assert "traces.json: error: the trace file is not valid JSON (line 1); starting a new one" in run.stderr
    assert "train.py::step" in recorded(tmp_path)


def test_a_recorder_error_disables_it_once_and_the_program_goes_on(tmp_path: Path, capsys) -> None:
    from rewriter.trace.recorder import Recorder

    recorder = Recorder(str(tmp_path), str(tmp_path / "out.json"))

    def broken(code: object) -> None:
        raise RuntimeError("boom")

    recorder.identify = broken  # type: ignore[method-assign]
    call = recorder._wrap_function_call(lambda function, *args, **kwds: ("ran", args))
    function = type("F", (), {"_python_function": staticmethod(lambda x: x)})()
    assert call(function, 1) == ("ran", (1,))
    assert call(function, 2) == ("ran", (2,))
    assert capsys.readouterr().err == "tfrewrite trace: recorder disabled after an error: RuntimeError: boom\n"
    recorder.write()
    assert traces.load(tmp_path / "out.json")["functions"] == {}


HELPERS = """\
import tensorflow as tf


def graph(fn):
    return tf.function(fn)


def load():
    return tf.constant([1.0, 2.0])
"""

NOISY = """\
import numpy as np
import tensorflow as tf

from helpers import graph, load


@graph
def noisy(x):
    return x + np.random.uniform()


@tf.function
def shifted(x):
    return x + np.random.uniform()


def main():
    for _ in range(2):
        noisy(load())
        shifted(load())


main()
"""


def test_a_recorded_run_finds_graph_code_and_makes_fixes_safe(tmp_path: Path) -> None:
    (tmp_path / "helpers.py").write_text(HELPERS)
    (tmp_path / "train.py").write_text(NOISY)
    check = ("check", "--no-cache", "--output-format", "json", "train.py")
    before = json.loads(tfrewrite(*check, cwd=tmp_path).stdout)
    # Without a trace: `noisy` is wrapped by a project function in another module (not
    # graph code as far as the text shows), and `shifted` gets an argument from a call
    # no analysis sees into, so its fix rests on "probably a tensor": unsafe.
    assert [(d["location"]["row"], d["fix"]["applicability"]) for d in before] == [(14, "unsafe")]
    assert tfrewrite("trace", "--", sys.executable, "train.py", cwd=tmp_path).returncode == 0
    after = json.loads(tfrewrite(*check, cwd=tmp_path).stdout)
    assert [(d["location"]["row"], d["fix"]["applicability"]) for d in after] == [(9, "safe"), (14, "safe")]
    scopes = tfrewrite("scopes", "train.py", cwd=tmp_path).stdout
    assert "noisy" in scopes and "traced in a recorded run" in scopes
    # Ignoring the trace file brings back what the text alone shows.
    ignored = json.loads(tfrewrite(*check, "--no-traces", cwd=tmp_path).stdout)
    assert [d["location"]["row"] for d in ignored] == [14]
    # A function edited since the run is no longer matched, and the check says so once.
    (tmp_path / "train.py").write_text(
        NOISY.replace("x + np.random.uniform()\n\n\n@tf", "x * np.random.uniform()\n\n\n@tf")
    )
    stale = tfrewrite(*check, cwd=tmp_path)
    assert [d["location"]["row"] for d in json.loads(stale.stdout)] == [14]
    assert "1 recorded function changed since the run and is ignored" in stale.stderr
