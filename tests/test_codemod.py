"""The LibCST codemod, tested with LibCST's own CodemodTest and run by `libcst.tool`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import libcst
from libcst.codemod import CodemodContext, CodemodTest

from rewriter.codemod import TfFunctionCodemod

ROOT = Path(__file__).resolve().parents[1]


class TestTfFunctionCodemod(CodemodTest):
    TRANSFORM = TfFunctionCodemod

    def test_rewrites_print_in_graph_code(self) -> None:
        before = """
            import tensorflow as tf


            @tf.function
            def step(x):
                # a comment that must survive
                print("step",   flush=True)
                return x + 1
        """
        after = """
            import sys

            import tensorflow as tf


            @tf.function
            def step(x):
                # a comment that must survive
                tf.print("step",   output_stream=sys.stdout)
                return x + 1
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_skips_a_module_without_fixes(self) -> None:
        code = """
            import tensorflow as tf


            def eager(x):
                print(x)
        """
        self.assertCodemod(code, code, expected_skip=True)

    def test_unsafe_fixes_need_the_option_and_warn_otherwise(self) -> None:
        before = """
            import tensorflow as tf


            @tf.function
            def f(x):
                print(f"{x:>8}")
                return x
        """
        after = """
            import sys

            import tensorflow as tf


            @tf.function
            def f(x):
                tf.print(x, sep="", summarize=-1, output_stream=sys.stdout)
                return x
        """
        self.assertCodemod(
            before,
            before,
            expected_skip=True,
            expected_warnings=[
                "6:5: AG001 `print` in a graph runs only while tracing; later calls print nothing "
                "(an unsafe fix is available with --unsafe-fixes)"
            ],
        )
        self.assertCodemod(before, after, unsafe_fixes=True, expected_warnings=[])

    def test_select_and_ignore(self) -> None:
        code = """
            import tensorflow as tf


            @tf.function
            def f(x):
                print("x")
                return x
        """
        self.assertCodemod(code, code, ignore="AG001", expected_skip=True)
        after = """
            import sys

            import tensorflow as tf


            @tf.function
            def f(x):
                tf.print("x", output_stream=sys.stdout)
                return x
        """
        self.assertCodemod(code, after, select="AG0")
        with self.assertRaises(ValueError):  # an unknown rule code
            self.assertCodemod(code, code, select=["AG9"])

    def test_keeps_encoding_and_line_endings(self) -> None:
        source = (
            "# -*- coding: latin-1 -*-\r\nimport tensorflow as tf\r\n\r\n\r\n"
            '@tf.function\r\ndef f(x):\r\n    print("caf\xe9")\r\n    return x\r\n'
        )
        tree = libcst.parse_module(source.encode("latin-1"))
        result = TfFunctionCodemod(CodemodContext(filename="f.py")).transform_module(tree)
        assert result.encoding == "iso-8859-1"
        assert 'tf.print("caf\xe9", output_stream=sys.stdout)\r\n' in result.code
        assert "\n" not in result.code.replace("\r\n", "")
        assert result.bytes.decode("latin-1") == result.code

    def test_composes_in_a_libcst_pipeline(self) -> None:
        # Another codemod's output is our input, and ours can feed the next one.
        tree = libcst.parse_module("import tensorflow as tf\n\n@tf.function\ndef f():\n    print('a')\n")
        context = CodemodContext(filename="p.py")
        once = TfFunctionCodemod(context).transform_module(tree)
        assert "tf.print('a', output_stream=sys.stdout)" in once.code
        try:
            TfFunctionCodemod(context).transform_module(once)
        except Exception as exc:  # SkipFile: the second run has nothing to do
            assert type(exc).__name__ == "SkipFile"
        else:
            raise AssertionError("a second run must skip")


def _libcst_tool(cwd: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "libcst.tool", "codemod", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


GRAPH = 'import tensorflow as tf\n\n\n@tf.function\ndef f(x):\n    print("hi")\n    return x\n'


def test_libcst_tool_finds_the_codemod_through_its_configuration(tmp_path: Path) -> None:
    (tmp_path / ".libcst.codemod.yaml").write_text("modules: ['rewriter']\n")
    (tmp_path / "a.py").write_text(GRAPH)
    (tmp_path / "plain.py").write_text("x = 1\n")
    run = _libcst_tool(tmp_path, "--no-format", "--hide-progress", "codemod.TfFunctionCodemod", ".")
    assert run.returncode == 0, run.stderr
    assert "Transformed 1 files successfully." in run.stderr
    assert "Skipped 1 files." in run.stderr
    assert 'tf.print("hi", output_stream=sys.stdout)' in (tmp_path / "a.py").read_text()
    assert (tmp_path / "plain.py").read_text() == "x = 1\n"


def test_libcst_tool_runs_the_codemod_by_module_path_with_options(tmp_path: Path) -> None:
    source = 'import tensorflow as tf\n\n\n@tf.function\ndef f(x):\n    print(f"{x:>8}")\n    return x\n'
    (tmp_path / "a.py").write_text(source)
    run = _libcst_tool(tmp_path, "--no-format", "--hide-progress", "-x", "rewriter.codemod.TfFunctionCodemod", "a.py")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "a.py").read_text() == source  # unsafe: not applied by default
    run = _libcst_tool(
        tmp_path, "--no-format", "--hide-progress", "-x", "rewriter.codemod.TfFunctionCodemod", "--unsafe-fixes", "a.py"
    )
    assert run.returncode == 0, run.stderr
    assert 'tf.print(x, sep="", summarize=-1, output_stream=sys.stdout)' in (tmp_path / "a.py").read_text()
