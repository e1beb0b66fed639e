"""AG001's fix-safety policy: values, not presentation; trace-time code left alone; settings."""

from __future__ import annotations

from pathlib import Path

import pytest

import rewriter
from rewriter.settings import Settings, SettingsError, load_settings

HEADER = "import tensorflow as tf\n\n\n"


def findings(source: str, settings: Settings | None = None) -> list[tuple[str, str | None]]:
    result = rewriter.rewrite_source(HEADER + source, settings=settings or Settings())
    return [(d.code, d.fix and d.fix.applicability) for d in result.diagnostics]


def fixed(source: str, settings: Settings | None = None) -> str:
    return rewriter.rewrite_source(HEADER + source, settings=settings or Settings()).code[len(HEADER) :]


def test_print_of_a_tensor_gets_a_safe_fix() -> None:
    code = "@tf.function\ndef step(x):\n    loss = tf.reduce_mean(x)\n    print('loss', loss)\n    return loss\n"
    assert findings(code) == [("AG001", "safe")]
    assert "tf.print('loss', loss, output_stream=sys.stdout)" in rewriter.rewrite_source(HEADER + code).code


def test_a_value_that_may_be_long_prints_every_item() -> None:
    code = "@tf.function\ndef step(x):\n    print('x', x)\n    return x\n"
    assert "tf.print('x', x, summarize=-1, output_stream=sys.stdout)" in rewriter.rewrite_source(HEADER + code).code


def test_a_short_static_tensor_needs_no_summarize() -> None:
    code = "@tf.function\ndef step():\n    v = tf.zeros([2, 3])\n    print(v)\n    return v\n"
    assert "tf.print(v, output_stream=sys.stdout)" in rewriter.rewrite_source(HEADER + code).code


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("print(f'loss={x:.4f}')", "assumes `x` is a scalar floating-point tensor"),
        ("print(f'loss={x:>10}')", "format spec `:>10` is not kept"),
        ("print('%d steps' % x)", "assumes `x` is a scalar integer tensor"),
        ("print('%+d steps' % x)", "`%+d` is not kept"),
        ("print('epoch', self.epoch)", "Python state"),
        ("print('batch', x.shape)", "assumes `x` is a tensor"),
        ("print('rank', len(x.shape))", "static shape"),
    ],
)
def test_value_changes_stay_unsafe(line: str, reason: str) -> None:
    code = f"class M:\n    @tf.function\n    def step(self, x):\n        {line}\n        return x\n"
    result = rewriter.rewrite_source(HEADER + code)
    [diagnostic] = result.diagnostics
    assert diagnostic.fix is not None and diagnostic.fix.applicability == "unsafe"
    assert reason in diagnostic.fix.message
    assert not result.changed


def test_a_tf_variable_prints_its_values_so_interpolating_a_local_one_is_safe() -> None:
    code = "@tf.function\ndef step(x):\n    v = tf.constant([1.0]) + x\n    print(f'v={v}')\n    return v\n"
    assert findings(code) == [("AG001", "safe")]


TRACE_CODE = (
    "num_traces = 0\n\n\n@tf.function\ndef step(x):\n    global num_traces\n    num_traces += 1\n"
    "    print('Tracing step with', x)\n    print(f'RETRACED for {x}')\n    print('compiling...')\n"
    "    return x\n"
)


def test_trace_markers_are_not_findings_by_default() -> None:
    assert findings(TRACE_CODE) == []
    assert fixed(TRACE_CODE) == TRACE_CODE


def test_report_trace_prints_brings_them_back_without_a_fix() -> None:
    settings = Settings(report_trace_prints=True)
    assert findings(TRACE_CODE, settings) == [("AG007", None), ("AG001", None), ("AG001", None), ("AG001", None)]
    assert fixed(TRACE_CODE, settings.replace(unsafe_fixes=True)) == TRACE_CODE


@pytest.mark.parametrize("name", ["trace_count", "tracing_count", "num_traces", "n_retraces", "traceCount"])
def test_trace_counters_are_not_findings(name: str) -> None:
    code = f"{name} = 0\n\n\n@tf.function\ndef step(x):\n    global {name}\n    {name} += 1\n    return x\n"
    assert findings(code) == []


def test_other_counters_are_still_findings() -> None:
    code = "steps = 0\n\n\n@tf.function\ndef step(x):\n    global steps\n    steps += 1\n    return x\n"
    assert findings(code) == [("AG007", None)]


def test_the_trace_words_are_a_setting() -> None:
    code = "@tf.function\ndef step(x):\n    print('building graph', x)\n    return x\n"
    assert findings(code) == [("AG001", "safe")]
    assert findings(code, Settings(trace_print_words=("building",))) == []
    assert findings(
        "@tf.function\ndef step(x):\n    print('traced', x)\n    return x\n", Settings(trace_print_words=())
    )


def test_print_output_stream_default_writes_plain_tf_print_as_an_unsafe_fix() -> None:
    code = "@tf.function\ndef step(x):\n    print('step', 1)\n    return x\n"
    settings = Settings(print_output_stream="default")
    result = rewriter.rewrite_source(HEADER + code, settings=settings)
    [diagnostic] = result.diagnostics
    assert diagnostic.fix is not None and diagnostic.fix.applicability == "unsafe"
    assert "stderr" in diagnostic.fix.message
    assert fixed(code, settings.replace(unsafe_fixes=True)) == code.replace("print(", "tf.print(")
    # an explicit stream is kept either way, and the fix stays safe
    explicit = "import sys\n" + code.replace("print('step', 1)", "print('step', 1, file=sys.stderr)")
    assert findings(explicit, settings) == [("AG001", "safe")]


def test_settings_are_read_from_pyproject(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        "[tool.tfrewrite]\nreport-trace-prints = true\ntrace-print-words = ['Warmup']\n"
        'print-output-stream = "default"\n'
    )
    settings = load_settings(pyproject)
    assert settings.report_trace_prints and settings.trace_print_words == ("warmup",)
    assert settings.print_output_stream == "default"
    pyproject.write_text('[tool.tfrewrite]\nprint-output-stream = "stderr"\n')
    with pytest.raises(SettingsError, match="print-output-stream"):
        load_settings(pyproject)
    pyproject.write_text("[tool.tfrewrite]\ntrace-print-words = ['two words']\n")
    with pytest.raises(SettingsError, match="trace-print-words"):
        load_settings(pyproject)


def test_shapes_print_the_run_time_shape() -> None:
    code = (
        "@tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])\n"
        "def step(x):\n    print('batch', x.shape)\n    print('rows', x.shape[0], 'cols', x.shape[1])\n"
        "    return x\n"
    )
    result = rewriter.rewrite_source(HEADER + code)
    assert [d.fix and d.fix.applicability for d in result.diagnostics] == ["safe", "safe"]
    assert 'tf.print("batch ", tf.shape(x), sep="", output_stream=sys.stdout)' in result.code
    assert 'tf.print("rows ", tf.shape(x)[0], " cols ", x.shape[1], sep=""' in result.code


def test_format_specs_keep_their_digits() -> None:
    code = (
        "@tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])\n"
        "def step(x):\n    loss = tf.reduce_mean(x)\n    print(f'loss {loss:.4f} ({loss:08.2e})')\n"
        "    return loss\n"
    )
    result = rewriter.rewrite_source(HEADER + code)
    [diagnostic] = result.diagnostics
    assert diagnostic.fix is not None and diagnostic.fix.applicability == "safe"
    assert (
        'tf.print(tf.strings.join(["loss ", tf.strings.as_string(loss, precision=4), " (", '
        'tf.strings.as_string(loss, precision=2, scientific=True, width=8, fill="0"), ")"]), '
        "output_stream=sys.stdout)"
    ) in result.code
