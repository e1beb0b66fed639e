"""Parity: the original run eagerly and the rewrite run as a graph agree.

Each positive golden case defines `run()`, which calls its graph functions a few times
and returns the results. The original runs with every tf.function eager; the rewrite
runs as graphs; results and fd-level printed output must be equal. The original run
as a graph must differ (or fail), which shows the rewrite matters.

A case may define `setup()`: it runs outside the capture and its result is passed to
`run()` (a tf.data pipeline built there; in debug mode, the eager reference for tf.data,
building it calls each callback once to learn its output structure).

A case may set `PARITY = "random"`: results are then compared by structure, dtype and
shape, and each graph run's random values must change from call to call (a `run()` of
such a case returns a list of per-call results).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from golden_cases import Case, all_cases, rewrite

pytest.importorskip("tensorflow")

from parity import Run, run_case  # noqa: E402

from rewriter.verify import _printed  # noqa: E402

CASES = [c for c in all_cases() if c.output.exists() and "\ndef run(" in c.text().replace("\r\n", "\n")]


def _shape_only(value: object) -> object:
    if isinstance(value, tuple) and value and value[0] in ("tensor", "ndarray", "numpy"):
        return value[:2] + ((value[2],) if value[0] != "numpy" else ())
    if isinstance(value, (list, tuple)):
        return type(value)(_shape_only(v) for v in value)
    if isinstance(value, dict):
        return {k: _shape_only(v) for k, v in value.items()}
    return type(value).__name__


def _observed(run: Run, mode: str) -> tuple[object, ...]:
    result = _shape_only(run.result) if mode == "random" else run.result
    return result, run.error


def _printed_difference(eager: Run, graph: Run, mode: str) -> str | None:
    """Printed output compared by value, as `verify` compares it (wrappers are presentation)."""
    randomly = mode == "random"
    return _printed.difference(eager.stdout, graph.stdout, "stdout", randomly=randomly) or _printed.difference(
        eager.stderr, graph.stderr, "stderr", randomly=randomly
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rewrite_as_graph_matches_original_eager(case: Case, tmp_path: Path) -> None:
    original = tmp_path / f"{case.input.parent.name}_{case.input.name[:-6]}_in.py"
    original.write_bytes(case.input.read_bytes())
    rewritten = tmp_path / f"{case.input.parent.name}_{case.input.name[:-6]}_out.py"
    rewritten.write_bytes(rewrite(case).output)
    mode = "random" if 'PARITY = "random"' in case.text() else "exact"

    eager = run_case(original, eager=True)
    assert eager.error is None, f"the original fails eagerly: {eager.error}"
    graph = run_case(rewritten, eager=False)
    assert _observed(graph, mode) == _observed(eager, mode)
    assert _printed_difference(eager, graph, mode) is None
    if mode == "random":
        assert _values_change(graph.result), "random values repeat from call to call"

    original_graph = run_case(original, eager=False)
    if mode == "random":
        assert original_graph.error or not _values_change(original_graph.result), (
            "the original already behaves as a graph; the case proves nothing"
        )
    else:
        assert (
            _observed(original_graph, mode) != _observed(eager, mode)
            or _printed_difference(eager, original_graph, mode) is not None
        ), "the original already behaves as a graph; the case proves nothing"


def _values_change(per_call: object) -> bool:
    assert isinstance(per_call, list) and len(per_call) >= 2, "run() must return one result per call"
    return any(call != per_call[0] for call in per_call[1:])


# Must-not-change cases that say `PARITY = "same"` are not pitfalls: run eagerly and as a
# graph, the unchanged original gives the same results and printed output.
SAME = [c for c in all_cases() if not c.output.exists() and '\nPARITY = "same"' in c.text().replace("\r\n", "\n")]


@pytest.mark.parametrize("case", SAME, ids=[c.id for c in SAME])
def test_unchanged_case_already_behaves_as_a_graph(case: Case, tmp_path: Path) -> None:
    original = tmp_path / f"{case.input.parent.name}_{case.input.name[:-6]}_same.py"
    original.write_bytes(case.input.read_bytes())
    eager = run_case(original, eager=True)
    assert eager.error is None, f"the original fails eagerly: {eager.error}"
    assert _observed(run_case(original, eager=False), "exact") == _observed(eager, "exact")
