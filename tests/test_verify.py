"""`tfrewrite verify`: real child processes on small modules written to a temporary folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rewriter.verify import VerifyError, module_name, qualified_names, read_example_keys

pytest.importorskip("tensorflow")

ROOT = Path(__file__).resolve().parents[1]


def tfrewrite(*arguments: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run(
        [sys.executable, "-m", "rewriter", *arguments],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


STEPS = """import tensorflow as tf

total = tf.Variable(0.0)


@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
def step(x):
    print("step")
    total.assign_add(tf.reduce_sum(x))
    return x * 2.0


@tf.function
def no_inputs_known(x):
    return x


def outer():
    @tf.function
    def inner(x):
        return x

    return inner
"""


def test_a_faithful_rewrite_agrees_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "steps.py").write_text(STEPS)
    before = snapshot(tmp_path)
    run = tfrewrite("verify", "steps.py", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    # The rewrite adds `import sys` above everything: AutoGraph must still convert the
    # rewritten text (a stale source would lose the tf.print or fail to convert).
    assert "steps.py:7: step agrees (3 calls)" in lines
    assert (
        "steps.py:14: no_inputs_known skipped: no input_signature, no recorded run (tfrewrite trace), and no calls "
        "for it in an examples file (--examples)"
    ) in lines
    assert "steps.py:20: inner skipped: a nested function: not reachable from the module" in lines
    assert lines[-1].startswith("1 agrees, 0 differ, 2 skipped (the rewritten code as graphs")
    assert snapshot(tmp_path) == before, "verify wrote or changed a file (.pyc included)"


def test_as_is_shows_what_differs_today(tmp_path: Path) -> None:
    (tmp_path / "steps.py").write_text(STEPS)
    run = tfrewrite("verify", "--as-is", "--calls", "2", str(tmp_path / "steps.py"))
    assert run.returncode == 1, run.stdout + run.stderr
    assert (
        f"{tmp_path / 'steps.py'}:7: step differs: call 2: printed output (stdout) line 1: "
        "eager 'step\\n', graph nothing [AG001 here]"
    ) in run.stdout.splitlines()
    assert "(each file as a graph against itself run eagerly)" in run.stdout


def test_select_and_ignore_choose_the_rewrite_being_verified(tmp_path: Path) -> None:
    (tmp_path / "steps.py").write_text(STEPS)
    run = tfrewrite("verify", "--ignore", "AG001", "steps.py", cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "steps.py:7: step differs: call 2: printed output (stdout)" in run.stdout
    assert run.stdout.splitlines()[0].endswith("graph nothing")  # an ignored rule is not named


EXAMPLE_MODULE = """import numpy as np
import tensorflow as tf

log = []


class Counter(tf.Module):
    def __init__(self, start):
        super().__init__()
        self.count = tf.Variable(start)

    @tf.function
    def add(self, x, scale=1.0):
        self.count.assign_add(x * scale)
        return self.count.read_value()


@tf.function
def jitter(x):
    return x + tf.random.uniform(tf.shape(x))


@tf.function
def frozen_noise(x):
    return x + np.random.normal(size=3).astype("float32")


@tf.function
def remember(x):
    log.append(x)
    return x + 1.0


@tf.function
def fails_eagerly(x):
    return tf.gather(x, 10)
"""

EXAMPLES = """import tensorflow as tf

from rewriter.verify import Call

EXAMPLES = {
    "lab:Counter.add": lambda m: [Call(m.Counter(1.0), tf.constant(2.0), scale=tf.constant(0.5))],
    "lab:jitter": lambda m: [(tf.zeros([3]),)],
    "lab:frozen_noise": lambda m: [(tf.zeros([3]),)],
    "lab:remember": lambda m: [(tf.constant(1.0),)],
    "lab:fails_eagerly": lambda m: [(tf.zeros([3]),)],
    "lab:missing": lambda m: [()],
    "elsewhere:f": lambda m: [()],
}
"""


def test_examples_file_methods_random_values_and_state(tmp_path: Path) -> None:
    (tmp_path / "lab.py").write_text(EXAMPLE_MODULE)
    (tmp_path / "calls.py").write_text(EXAMPLES)
    run = tfrewrite("verify", "--as-is", "--examples", "calls.py", "--output-format", "json", "lab.py", cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    report = json.loads(run.stdout)
    verdicts = {v["function"]: (v["status"], v["detail"]) for v in report["verdicts"]}
    assert verdicts["Counter.add"] == ("agrees", "3 calls")
    assert verdicts["jitter"] == ("agrees", "3 calls; random values, compared by dtype, shape and change per call")
    assert verdicts["frozen_noise"] == (
        "differs",
        "call 2: return value repeats call 1's, while eagerly it changes: random values "
        "frozen when the graph was traced",
    )
    assert verdicts["remember"] == (
        "differs",
        "after the calls: global `log`: eager a list of 3 items, graph a list of 1 item",
    )
    assert verdicts["fails_eagerly"][0] == "skipped"
    assert verdicts["fails_eagerly"][1].startswith("the original raises when run eagerly: InvalidArgumentError")
    assert verdicts["missing"] == (
        "skipped",
        "`missing` is not defined at the top level of the module (a nested function cannot be reached)",
    )
    assert report["errors"] == []
    assert "calls.py: note: elsewhere:f is not in the modules verified" in run.stderr


def test_a_package_is_rewritten_as_a_whole_in_memory(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "helpers.py").write_text(
        "import tensorflow as tf\n\n\n@tf.function\ndef show(x):\n    print('value')\n    return x\n"
    )
    (package / "main.py").write_text(
        "import tensorflow as tf\n\nfrom pkg import helpers\n\n\n"
        "@tf.function(input_signature=[tf.TensorSpec([2], tf.int32)])\n"
        "def run(x):\n    return helpers.show(x) + 1\n"
    )
    (package / "broken.py").write_text(
        "import tensorflow as tf\n\nraise RuntimeError('boom')\n\n\n"
        "@tf.function(input_signature=[])\ndef f():\n    print('never')\n"
    )
    # A module named like one already imported (the standard library's `types`) cannot
    # be imported from its file; verify says so instead of testing the wrong module.
    (tmp_path / "types.py").write_text(
        "import tensorflow as tf\n\n\n@tf.function(input_signature=[])\ndef f():\n    return 1\n"
    )
    before = snapshot(tmp_path)
    run = tfrewrite("verify", "pkg", "types.py", cwd=tmp_path)
    lines = run.stdout.splitlines()
    assert run.returncode == 0, run.stdout + run.stderr
    # `run` agrees only because pkg.helpers, which it calls, is rewritten too.
    assert "pkg/main.py:7: run agrees (3 calls)" in lines
    assert ("pkg/broken.py:7: f skipped: the original module could not be imported: RuntimeError: boom") in lines
    assert any(line.startswith("types.py:5: f skipped: importing `types` finds another module") for line in lines)
    assert snapshot(tmp_path) == before


def test_a_module_that_runs_too_long_times_out(tmp_path: Path) -> None:
    (tmp_path / "slow.py").write_text(
        "import time\n\nimport tensorflow as tf\n\ntime.sleep(600)\n\n\n"
        "@tf.function(input_signature=[])\ndef f():\n    print('x')\n"
    )
    (tmp_path / "quick.py").write_text("import tensorflow as tf\n\n\ndef plain():\n    return tf.function\n")
    # The subprocess timeout fails the test if verify waits for the module's 600 s sleep.
    run = tfrewrite("verify", "--timeout", "3", ".", cwd=tmp_path, timeout=300)
    assert run.returncode == 2, run.stdout + run.stderr
    assert (
        "slow.py: error: timed out after 3 s (--timeout); the module's functions were not verified"
        in run.stderr.splitlines()
    )


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("import tensorflow as tf\n@tf.function\ndef f(:\n")
    run = tfrewrite("verify", "bad.py", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.startswith("bad.py: error: SyntaxError")
    assert "Traceback" not in run.stderr
    (tmp_path / "calls.py").write_text("EXAMPLES = dict(a=1)\n")
    run = tfrewrite("verify", "--examples", "calls.py", "bad.py", cwd=tmp_path)
    assert (run.returncode, run.stderr) == (2, "tfrewrite: error: calls.py:1: EXAMPLES must be a dict literal\n")
    run = tfrewrite("verify", "--examples", "nope.py", "bad.py", cwd=tmp_path)
    assert (run.returncode, run.stderr) == (2, "tfrewrite: error: --examples: nope.py: no such file\n")
    run = tfrewrite("verify", "--calls", "0", "bad.py", cwd=tmp_path)
    assert run.returncode == 2 and "expected a positive whole number" in run.stderr


def test_module_names_and_reachable_functions(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    for init in ("pkg/__init__.py", "pkg/sub/__init__.py"):
        (tmp_path / init).write_text("")
    assert module_name(str(tmp_path / "pkg" / "sub" / "mod.py")) == ("pkg.sub.mod", str(tmp_path))
    assert module_name(str(tmp_path / "pkg" / "__init__.py")) == ("pkg", str(tmp_path))
    assert module_name(str(tmp_path / "alone.py")) == ("alone", str(tmp_path))
    import ast

    tree = ast.parse(
        "def f():\n    def g(): pass\nclass C:\n    def m(self): pass\n"
        "    class D:\n        def n(self): pass\nif True:\n    def h(): pass\n"
    )
    names = sorted((q or "-") for q in qualified_names(tree).values())
    assert names == ["-", "C.D.n", "C.m", "f", "h"]


def test_example_keys_are_read_without_running_the_file(tmp_path: Path) -> None:
    path = tmp_path / "calls.py"
    path.write_text("raise SystemExit\nEXAMPLES = {'a.b:f': None, 'a:C.m': None}\n")
    assert read_example_keys(str(path)) == ["a.b:f", "a:C.m"]
    path.write_text("EXAMPLES = {'no_colon': None}\n")
    with pytest.raises(VerifyError, match="keys must be strings"):
        read_example_keys(str(path))


LOSS = """import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
def train_step(x):
    loss = tf.reduce_mean(tf.square(x))
    print("loss", loss)
    print("inputs", x)
    return loss
"""

REPORT = """import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([2], tf.float32)])
def report(x):
    print(f"mean {tf.reduce_mean(x) / 3.0:.4f}")
    return x


@tf.function(input_signature=[tf.TensorSpec([2], tf.float32)])
def aligned(x):
    print(f"mean {tf.reduce_mean(x) / 3.0:>9.4f}")
    return x
"""


def test_a_tensor_wrapper_is_presentation_and_a_lost_format_spec_is_not(tmp_path: Path) -> None:
    (tmp_path / "loss.py").write_text(LOSS)
    run = tfrewrite("verify", "--calls", "2", "loss.py", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "loss.py:5: train_step agrees (presentation differs: tf.Tensor wrapper; 2 calls)" in run.stdout
    assert run.stdout.splitlines()[-1].startswith("1 agrees, 0 differ")
    # `:.4f` is kept (tf.strings.as_string); the unsafe fix for `:>9.4f` drops the spec,
    # and the printed digits change, which is a difference
    (tmp_path / "report.py").write_text(REPORT)
    run = tfrewrite("verify", "--calls", "2", "--unsafe-fixes", "report.py", cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "report.py:5: report agrees (2 calls)" in run.stdout
    assert "report.py:11: aligned differs: call 1: printed output (stdout) line 1: eager 'mean " in run.stdout
