"""A tf.Module rewritten by AG005 still exports: tf.saved_model round trip.

The seed's DemoModule, with its variable created inside the traced method, is rewritten
(a holder attribute set to None in `__init__`, created lazily on the first trace). The
rewritten module must save with `tf.saved_model.save`, and the loaded function must
behave like the original run eagerly, call after call.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from golden_cases import GOLDEN

from rewriter.pipeline import process_source
from rewriter.settings import Settings

tf = pytest.importorskip("tensorflow")

from parity import load_module  # noqa: E402 (after the importorskip)

SOURCE = GOLDEN / "_seed" / "demo_module_inner_variable.in.py"
CALLS = (5.0, 5.0, 2.0)


def _module(tmp_path: Path, text: str, name: str):  # type: ignore[no-untyped-def]
    path = tmp_path / f"{name}.py"
    path.write_text(text, encoding="utf-8")
    return load_module(path)


def _eager_results(tmp_path: Path) -> list[float]:
    original = _module(tmp_path, SOURCE.read_text(encoding="utf-8"), "original")
    tf.config.run_functions_eagerly(True)
    try:
        demo = original.DemoModule(init_value=tf.constant(1.0))
        return [float(demo.addprint(tf.constant(a))) for a in CALLS]
    finally:
        tf.config.run_functions_eagerly(False)


def _rewritten(tmp_path: Path):  # type: ignore[no-untyped-def]
    # Unsafe only because `addprint` returns the variable (a caller could `.assign` it).
    report = process_source(SOURCE.read_text(encoding="utf-8"), Settings(unsafe_fixes=True), SOURCE.name)
    assert report.fixed != SOURCE.read_text(encoding="utf-8")
    assert [d.code for d in report.remaining] == []
    return _module(tmp_path, report.fixed, "rewritten")


@pytest.mark.parametrize("call_before_saving", [True, False])
def test_rewritten_module_saves_and_loads_with_eager_behaviour(tmp_path: Path, call_before_saving: bool) -> None:
    expected = _eager_results(tmp_path)
    assert expected == [6.0, 6.0, 3.0]
    rewritten = _rewritten(tmp_path)
    demo = rewritten.DemoModule(init_value=tf.constant(1.0))
    if call_before_saving:
        assert [float(demo.addprint(tf.constant(a))) for a in CALLS] == expected
    export = tmp_path / "demo"
    # Saving traces the function if it has not run yet; the variable is created then.
    tf.saved_model.save(demo, str(export), signatures={"serving_default": demo.addprint})
    assert len(demo.trainable_variables) == 1

    loaded = tf.saved_model.load(str(export))
    assert [float(loaded.addprint(tf.constant(a))) for a in CALLS] == expected
    served = loaded.signatures["serving_default"](a=tf.constant(2.0))
    assert [float(v) for v in served.values()] == [3.0]
    # The original instance still behaves the same after saving.
    assert [float(demo.addprint(tf.constant(a))) for a in CALLS] == expected


def test_original_module_cannot_be_saved(tmp_path: Path) -> None:
    original = _module(tmp_path, SOURCE.read_text(encoding="utf-8"), "unfixed")
    demo = original.DemoModule(init_value=tf.constant(1.0))
    with pytest.raises(ValueError, match="singleton tf.Variables"):
        tf.saved_model.save(demo, str(tmp_path / "demo"), signatures={"serving_default": demo.addprint})
