"""Facts across the files of one run: imported functions called from graph code are graph
code, other files' call sites are parameter evidence, and the cache follows both."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from process_counter import Counter

from rewriter import rewrite_paths
from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.evidence import parameter_evidence
from rewriter.cli import main
from rewriter.project_index import build_index, module_names
from rewriter.settings import Settings

MODEL = '''\
def train_step(x, y):
    """One step; graph code only because train.py calls it from a tf.function."""
    print("x", x)
    return x + y
'''
TRAIN = """\
import tensorflow as tf

from model import train_step


@tf.function
def train(dataset):
    for x, y in dataset:
        train_step(x, y)
"""
SOLVER = """\
def newton_sqrt(a, tol):
    x = a
    stable = False
    while not stable:
        nxt = 0.5 * (x + a / x)
        stable = abs(nxt - x) < tol
        x = nxt
    return x
"""
CALLER = """\
import tensorflow as tf

from solver import newton_sqrt


@tf.function
def root(value):
    return newton_sqrt({argument}, 1e-6)
"""
UNRELATED = "import tensorflow as tf\n\n\n@tf.function\ndef f(x):\n    return x + 1\n"


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().out


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_an_imported_function_called_from_graph_code_is_graph_code(project: Path, capsys) -> None:
    write(project, {"model.py": MODEL, "train.py": TRAIN})
    code, out = run(["check", "--no-cache", "--diff", "."], capsys)
    assert code == 1
    assert '-    print("x", x)\n+    tf.print("x", x, summarize=-1, output_stream=sys.stdout)' in out
    assert "+import tensorflow as tf" in out  # model.py did not import it
    code, out = run(["check", "--no-cache", "--fix", "."], capsys)
    fixed = (project / "model.py").read_text()
    assert "tf.print(" in fixed and "import tensorflow as tf" in fixed
    compile(fixed, "model.py", "exec")
    assert (project / "train.py").read_text() == TRAIN


def test_scopes_lists_the_imported_callee(project: Path, capsys) -> None:
    write(project, {"model.py": MODEL, "train.py": TRAIN})
    code, out = run(["scopes", "."], capsys)
    assert "model.py:1:1: train_step [callee] called from train in train.py (converted by AutoGraph)" in out


def test_only_eager_callers_leave_the_function_alone(project: Path, capsys) -> None:
    eager = TRAIN.replace("@tf.function\n", "")
    write(project, {"model.py": MODEL, "train.py": eager})
    assert run(["check", "--no-cache", "."], capsys) == (0, "All checks passed!\n")


def test_the_callers_argument_decides_fix_safety(project: Path, capsys) -> None:
    write(project, {"solver.py": SOLVER, "main.py": CALLER.format(argument="tf.constant(2.0)")})
    code, out = run(["check", "--no-cache", "."], capsys)
    assert "solver.py:3:14: AG004" in out and "[*] 1 fixable" in out  # a tensor: safe
    write(project, {"main.py": CALLER.format(argument="value")})
    code, out = run(["check", "--no-cache", "."], capsys)
    assert "solver.py:3:14: AG004" in out and "1 hidden fix" in out  # not known: unsafe


def test_the_pool_sees_the_same_facts(project: Path, capsys) -> None:
    # Enough files for a pool of workers (runner.MIN_FILES_FOR_POOL).
    write(project, {"model.py": MODEL, "train.py": TRAIN, **{f"other{i}.py": UNRELATED for i in range(8)}})
    alone = run(["check", "--no-cache", "--jobs", "1", "."], capsys)
    pooled = run(["check", "--no-cache", "--jobs", "2", "."], capsys)
    assert pooled == alone and "model.py:3:5: AG001" in alone[1]


def test_the_library_api_sees_them_too(project: Path) -> None:
    write(project, {"model.py": MODEL, "train.py": TRAIN})
    outcomes = {o.path: o for o in rewrite_paths(["."])}
    assert [d.code for d in outcomes["model.py"].diagnostics] == ["AG001"]


@pytest.mark.parametrize(
    "imports, call",
    [
        ("from pkg.model import train_step", "train_step(x, y)"),
        ("from pkg import model", "model.train_step(x, y)"),
        ("import pkg.model as m", "m.train_step(x, y)"),
        ("import pkg.model", "pkg.model.train_step(x, y)"),
        ("from .model import train_step as step", "step(x, y)"),
    ],
)
def test_import_forms(project: Path, capsys, imports: str, call: str) -> None:
    train = TRAIN.replace("from model import train_step", imports).replace("train_step(x, y)", call)
    write(project, {"pkg/__init__.py": "", "pkg/model.py": MODEL, "pkg/train.py": train})
    code, out = run(["check", "--no-cache", "."], capsys)
    assert "pkg/model.py:3:5: AG001" in out


def test_a_local_binding_hides_the_import(project: Path, capsys) -> None:
    train = TRAIN.replace("    for x, y", "    train_step = tf.identity\n    for x, y")
    write(project, {"model.py": MODEL, "train.py": train})
    assert run(["check", "--no-cache", "."], capsys)[1] == "All checks passed!\n"


def test_graph_code_spreads_through_several_files(project: Path, capsys) -> None:
    write(
        project,
        {
            "steps.py": "from model import train_step\n\n\ndef outer(x, y):\n    return train_step(x, y)\n",
            "model.py": MODEL,
            "train.py": TRAIN.replace("from model import train_step", "from steps import outer as train_step"),
        },
    )
    code, out = run(["check", "--no-cache", "."], capsys)
    assert "model.py:3:5: AG001" in out


def test_other_files_call_sites_are_evidence(project: Path) -> None:
    write(
        project,
        {
            "model.py": "import tensorflow as tf\n\n\n@tf.function\ndef scale(x, steps):\n    return x * steps\n",
            "train.py": "import numpy as np\n\nfrom model import scale\n\nscale(np.ones(3), 3)\nscale(np.ones(2), 5)\n",
        },
    )
    index = build_index(["model.py", "train.py"], Settings())
    text = (project / "model.py").read_text()
    module = ModuleAnalysis(text, ast.parse(text), Settings(), "model.py", index.incoming["model.py"])
    evidence = parameter_evidence(module, module.graph_scopes[0])
    assert evidence["x"].fact.is_tensor  # a NumPy array crosses the tf.function boundary as a tensor
    assert evidence["steps"].fact.is_python("int") and sorted(evidence["steps"].literals) == [3, 5]
    assert evidence["steps"].sources == ("call site in train.py", "call site in train.py")


def test_module_names_come_from_packages(tmp_path: Path) -> None:
    write(tmp_path, {"pkg/__init__.py": "", "pkg/sub/__init__.py": "", "pkg/sub/a.py": "", "script.py": ""})
    write(tmp_path, {"tools/script.py": ""})  # a second `script`: ambiguous, left out
    paths = [str(p) for p in tmp_path.rglob("*.py")]
    names = module_names(paths)
    assert sorted(names) == ["pkg", "pkg.sub", "pkg.sub.a"]


def test_a_caller_that_does_not_parse_is_left_out(project: Path, capsys) -> None:
    write(
        project,
        {
            "model.py": MODEL,
            "train.py": TRAIN,
            "broken.py": "import tensorflow as tf\nfrom model import train_step\n@tf.function\ndef (:\n",
        },
    )
    assert main(["check", "--no-cache", "."]) == 2  # an error (broken.py), after the findings
    out, err = capsys.readouterr()
    assert "model.py:3:5: AG001" in out and "broken.py: error: SyntaxError" in out + err


# --- the cache ----------------------------------------------------------------------


def test_editing_a_caller_rechecks_exactly_the_files_it_feeds(project: Path, capsys, monkeypatch) -> None:
    write(
        project,
        {"solver.py": SOLVER, "main.py": CALLER.format(argument="tf.constant(2.0)"), "unrelated.py": UNRELATED},
    )
    counter = Counter(monkeypatch)
    first = run(["check", "--jobs", "1", "."], capsys)
    assert counter.take() == ["main.py", "solver.py", "unrelated.py"]
    assert run(["check", "--jobs", "1", "."], capsys) == first and counter.take() == []

    # What main.py passes changes: solver.py's result depended on it.
    write(project, {"main.py": CALLER.format(argument="value")})
    second = run(["check", "--jobs", "1", "."], capsys)
    assert counter.take() == ["main.py", "solver.py"]
    assert second != first and "1 hidden fix" in second[1]

    # An edit that changes no fact another file uses: only the edited file. (A call from
    # Python code runs newton_sqrt in Python: it says nothing about its graph.)
    later = "\n\ndef later():\n    return newton_sqrt(2.0, 0.1)\n"
    write(project, {"main.py": "# the entry point\n" + CALLER.format(argument="value") + later})
    assert run(["check", "--jobs", "1", "."], capsys) == second
    assert counter.take() == ["main.py"]

    # Editing the callee never re-checks its callers (they use nothing of it).
    write(project, {"solver.py": "# Newton's method\n" + SOLVER})
    run(["check", "--jobs", "1", "."], capsys)
    assert counter.take() == ["solver.py"]

    # Back to the first caller: the first entries serve again.
    write(project, {"main.py": CALLER.format(argument="tf.constant(2.0)"), "solver.py": SOLVER})
    assert run(["check", "--jobs", "1", "."], capsys) == first
    assert counter.take() == []


def test_a_caller_that_stops_calling_from_graph_code_rechecks_the_callee(project: Path, capsys, monkeypatch) -> None:
    write(project, {"model.py": MODEL, "train.py": TRAIN})
    counter = Counter(monkeypatch)
    assert "model.py:3:5: AG001" in run(["check", "--jobs", "1", "."], capsys)[1]
    counter.take()
    write(project, {"train.py": TRAIN.replace("@tf.function\n", "@tf.py_function\n")})
    assert run(["check", "--jobs", "1", "."], capsys) == (0, "All checks passed!\n")
    # Neither file can hold graph code now: the prefilter skips both, nothing is analysed.
    assert counter.take() == []


def test_the_index_reads_summaries_from_the_cache(project: Path, capsys, monkeypatch) -> None:
    import rewriter.project_index

    summarised: list[str] = []
    summary = rewriter.project_index._summary

    def counting(path: str, *args):  # type: ignore[no-untyped-def]
        summarised.append(Path(path).name)
        return summary(path, *args)

    monkeypatch.setattr(rewriter.project_index, "_summary", counting)
    eager = "import numpy as np\n\nfrom model import scale\n\nscale(np.ones(3), 3)\n"
    decorated = "import tensorflow as tf\n\n\n@tf.function\ndef scale(x, steps):\n    return x * steps\n"
    write(project, {"model.py": decorated, "train.py": eager, "other.py": TRAIN})
    first = run(["check", "--jobs", "1", "."], capsys)
    assert sorted(summarised) == ["other.py", "train.py"]
    summarised.clear()
    assert run(["check", "--jobs", "1", "."], capsys) == first and summarised == []
    # train.py's summary asked whether model.scale may be traced where it is defined:
    # a model.py that answers otherwise makes it summarise train.py again.
    write(project, {"model.py": decorated.replace("@tf.function\n", "")})
    run(["check", "--jobs", "1", "."], capsys)
    assert summarised == ["train.py"]
    summarised.clear()
    run(["check", "--jobs", "1", "."], capsys)
    assert summarised == []
    fresh = run(["check", "--no-cache", "--jobs", "1", "."], capsys)
    assert run(["check", "--jobs", "1", "."], capsys) == fresh


def test_a_callee_is_traced_as_its_graph_caller_is(project: Path) -> None:
    write(
        project,
        {
            "layers.py": "import keras\n\nfrom ops import double\n\n\n"
            "class Double(keras.layers.Layer):\n    def call(self, inputs):\n        return double(inputs)\n",
            "ops.py": "def double(x):\n    return x * 2\n",
        },
    )
    index = build_index(["layers.py", "ops.py"], Settings())
    text = (project / "ops.py").read_text()
    module = ModuleAnalysis(text, ast.parse(text), Settings(), "ops.py", index.incoming["ops.py"])
    (scope,) = module.graph_scopes
    assert (scope.name, scope.kind, scope.reason) == ("double", "callee", "called from call in layers.py")
    assert not scope.autograph and "Keras 3" in scope.no_autograph_cause
    assert scope.backend_unknown  # layers.py may run on JAX: no fix may bring TensorFlow in
    assert evidence_of(module, scope)["x"].fact.is_tensor  # `call`'s inputs are tensors


def evidence_of(module: ModuleAnalysis, scope):  # type: ignore[no-untyped-def]
    return parameter_evidence(module, scope)
