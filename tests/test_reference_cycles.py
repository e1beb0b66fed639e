"""Processing a file leaves no reference cycles behind.

A run pauses the garbage collector while it processes a file (`runner._guarded`). When
the analysis links back to itself (a cached object holding the module, a closure, an
exception kept with its traceback), the whole syntax tree of every file stays alive
until a collection scans it, which costs about a tenth of a run's CPU time. Without
cycles, everything a file made is freed by reference counting as soon as it is done.
"""

from __future__ import annotations

import ast
import gc
from collections.abc import Iterator

import pytest
from golden_cases import all_cases

from rewriter.analyze import ModuleAnalysis
from rewriter.pipeline import process_source


@pytest.fixture
def saved_garbage() -> Iterator[list[object]]:
    """`gc.garbage` filled with whatever the test's work left in cycles."""
    gc.collect()
    paused = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        yield gc.garbage
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if paused:
            gc.enable()


def _left_in_cycles(garbage: list[object]) -> list[str]:
    gc.collect()
    kept = [type(o).__name__ for o in garbage if isinstance(o, (ModuleAnalysis, ast.Module))]
    garbage.clear()
    return kept


def test_no_file_leaves_its_syntax_tree_in_a_cycle(saved_garbage: list[object]) -> None:
    cases = all_cases()
    assert len(cases) > 100  # the golden inputs exercise every rule and fix path
    leaking = []
    for case in cases:
        report = process_source(case.text(), case.settings(), case.input.name)
        del report
        if kept := _left_in_cycles(saved_garbage):
            leaking.append(f"{case.id}: {', '.join(sorted(set(kept)))}")
    assert leaking == []


def test_the_check_notices_a_cycle(saved_garbage: list[object]) -> None:
    # The check above can fail: a module analysis that refers to itself is found.
    module = ModuleAnalysis.__new__(ModuleAnalysis)
    module.__dict__["self_link"] = module
    del module
    assert _left_in_cycles(saved_garbage) == ["ModuleAnalysis"]
