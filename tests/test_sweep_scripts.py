"""scripts/sweep.py and scripts/decorate_all.py, on small trees."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD = 'import tensorflow as tf\n\n\n@tf.function\ndef f(x):\n    print(f"x={x}")\n    return x\n'


def _script(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_sweep_reports_changes_findings_and_failures(tmp_path: Path) -> None:
    sweep = _script("sweep")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "good.py").write_text(GOOD)
    (tmp_path / "pkg" / "broken.py").write_text("import tensorflow as tf\n@tf.function\ndef f(:\n")
    (tmp_path / "pkg" / "eager.py").write_text("import tensorflow as tf\n\ndef f(x):\n    print(x)\n")
    report = sweep.sweep(tmp_path / "pkg", [], keep=False)
    assert report.files == 3
    assert report.changed == ["good.py"]
    assert report.findings == {"AG001": 1}
    assert list(report.failures) == [str(Path("pkg") / "broken.py")] or [Path(p).name for p in report.failures] == [
        "broken.py"
    ]
    assert "SyntaxError" in next(iter(report.failures.values()))
    assert not (
        report.not_compiling or report.not_idempotent or report.no_graph_code or report.outside_scopes or report.crashes
    )
    assert (tmp_path / "pkg" / "good.py").read_text() == GOOD  # the original tree is never written
    assert "changed: 1" in sweep.render(report)
    assert report.new_name_findings in ({}, None)  # None only without ruff


def test_sweep_reports_names_a_fix_leaves_unbound(tmp_path: Path) -> None:
    sweep = _script("sweep")
    if sweep.ruff_executable() is None:
        pytest.skip("ruff is not installed")
    before = tmp_path / "before.py"
    before.write_text("def f(dtypes):\n    for dtype in dtypes:\n        print(dtype)\n")
    after = b"def f(dtypes):\n    held = dtype\n    for dtype in dtypes:\n        print(held)\n"
    added = sweep._new_name_findings(tmp_path, {"m.py": before.read_bytes()}, {"m.py": after}, ["m.py"])
    assert added == {"m.py": [("F821", "Undefined name `dtype`")]}


def test_sweep_sees_changes_outside_graph_code() -> None:
    sweep = _script("sweep")
    before = b"import tensorflow as tf\n\n@tf.function\ndef f(x):\n    return x\n\ndef g(y):\n    return y\n"
    inside = before.replace(b"    return x", b"    return x + 1")
    eager = before.replace(b"    return y", b"    return y + 1")
    added = before.replace(b"def g(y):\n", b"def g(y):\n    y = 2\n")
    assert sweep.lines_outside("m.py", before, inside) == []
    assert sweep.lines_outside("m.py", before, eager) == [8]
    assert sweep.lines_outside("m.py", before, added) == [8]
    assert sweep.lines_outside("m.py", before, b"import sys\n" + before) == []


def test_decorate_all_decorates_every_def_and_keeps_the_file_valid() -> None:
    decorate = _script("decorate_all").decorate
    source = (
        '"""Doc."""\r\nfrom __future__ import annotations\r\n\r\n'
        "class A:\r\n\t@staticmethod\r\n\tdef m(x):\r\n\t\tdef inner():\r\n\t\t\treturn x\r\n\t\treturn inner\r\n"
        "\r\nasync def skipped():\r\n\tpass"
    )
    out = decorate(source)
    assert out is not None
    tree = ast.parse(out)
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    assert len(functions) == 2
    for function in functions:
        assert ast.unparse(function.decorator_list[0]) == "tf.function"
    assert out.startswith('"""Doc."""\r\nfrom __future__ import annotations\r\nimport tensorflow as tf\r\n')
    assert "\t@tf.function\r\n\t@staticmethod\r\n" in out and "\t\t@tf.function\r\n\t\tdef inner" in out
    assert out.count("\n") == out.count("\r\n")
    assert decorate("x = 1\n") is None and decorate("def f(:\n") is None
    # An existing alias is used, and a name `tf` taken by something else is avoided.
    assert "@tf2.function" in decorate("import tensorflow as tf2\ndef f():\n    pass\n")
    assert "@_tf_everywhere.function" in decorate("tf = 1\ndef f():\n    pass\n")


def test_a_module_level_holder_after_an_eager_function_is_not_inside_it() -> None:
    from invariants import rows_changed_outside

    sweep = _script("sweep")
    before = "import tensorflow as tf\n\ndef g(y):\n    return y\n\n@tf.function\ndef f(x):\n    return x\n"
    holder = before.replace("    return y\n", "    return y\n\n_holder = None\n")
    inside = before.replace("    return y\n", "    return y\n    y = 2\n")
    assert rows_changed_outside(before, holder) == []
    assert rows_changed_outside(before, inside) == [5]
    assert sweep.lines_outside("m.py", before.encode(), holder.encode()) == []
    assert sweep.lines_outside("m.py", before.encode(), inside.encode()) == [5]


def test_an_unused_import_replaced_by_a_needed_one_is_not_outside_graph_code() -> None:
    from invariants import rows_changed_outside

    before = "import numpy as np\nimport tensorflow as tf\n\n@tf.function\ndef f(x):\n    print(x)\n    return x\n"
    after = "import sys\n\nimport tensorflow as tf\n\n@tf.function\ndef f(x):\n    tf.print(x, output_stream=sys.stdout)\n    return x\n"
    assert rows_changed_outside(before, after) == []
    assert rows_changed_outside(before, after.replace("import sys\n", "x = 1\n")) == [1]


def test_decorate_all_decorates_notebook_cells() -> None:
    import json

    decorate_notebook = _script("decorate_all").decorate_notebook
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["def not_code():\n"]},
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": ["%pip install x\n", "def skipped():\n", "    pass"],
            },
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": ["def f(x):\n", "    return x"],
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    out = json.loads(decorate_notebook(json.dumps(notebook).encode()))
    assert out["cells"][0] == notebook["cells"][0] and out["cells"][1] == notebook["cells"][1]
    assert out["cells"][2]["source"] == ["import tensorflow as tf\n", "@tf.function\n", "def f(x):\n", "    return x"]
    assert decorate_notebook(b"{not json") is None
