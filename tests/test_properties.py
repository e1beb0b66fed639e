"""Properties of every rewrite, on generated programs (hypothesis, hypothesmith).

For any input: no exception escapes but SourceError; the output compiles; a second run
changes nothing; code outside graph scopes comes out byte-identical; with every rule
disabled the output is the input; safe fixes are a subset of unsafe ones; and the three
ways of seeing a fix (`--fix`, the `--diff` patch, JSON `fix.edits`) agree.

The suite runs a bounded number of examples; `scripts/fuzz.py` runs many more by
setting TFREWRITE_FUZZ_EXAMPLES (and TFREWRITE_FUZZ_SEED).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import tempfile
import warnings
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, note, seed, settings
from hypothesis import strategies as st
from invariants import apply_json_edits, apply_unified_diff, rows_changed_outside
from programs import modules

from rewriter.cli import main
from rewriter.imports_edit import without_unused_imports
from rewriter.pipeline import SourceError, applicable, find_violations, process_source
from rewriter.settings import Settings

# Generated programs trip the compiler's own warnings ("'int' object is not callable").
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

ROOT = Path(__file__).resolve().parent.parent
_FUZZ = int(os.environ.get("TFREWRITE_FUZZ_EXAMPLES", "0"))
_SEED = os.environ.get("TFREWRITE_FUZZ_SEED")

SAFE = Settings()
UNSAFE = Settings(unsafe_fixes=True)
NOTHING = Settings(select=frozenset())


def bounded(examples: int):  # type: ignore[no-untyped-def]
    """Hypothesis settings: `examples` in the suite, TFREWRITE_FUZZ_EXAMPLES under the fuzz script."""
    configured = settings(
        max_examples=_FUZZ or examples,
        deadline=None,
        derandomize=not _FUZZ and not _SEED,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
        database=None,
    )

    def wrap(test):  # type: ignore[no-untyped-def]
        test = configured(test)
        return seed(int(_SEED))(test) if _SEED else test

    return wrap


def _decorate_everything():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("decorate_all", ROOT / "scripts" / "decorate_all.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.decorate


decorate = _decorate_everything()


def compiles(text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compile(text, "<output>", "exec", dont_inherit=True)


def check_source_invariants(text: str, must_process: bool) -> None:
    """Every property that needs no files; SourceError is acceptable unless `must_process`."""
    try:
        safe = process_source(text, SAFE)
    except SourceError:
        if must_process:
            raise
        # Input we cannot process is refused the same way whatever the settings.
        with pytest.raises(SourceError):
            process_source(text, UNSAFE)
        return
    unsafe = process_source(text, UNSAFE)
    for report, options in ((safe, SAFE), (unsafe, UNSAFE)):
        compiles(report.fixed)
        again = process_source(report.fixed, options)
        assert again.fixed == report.fixed, "a second run changed the output"
        assert not any(d.fix_applicable(options.unsafe_fixes) for d in again.diagnostics)
        outside = rows_changed_outside(text, report.fixed)
        assert not outside, f"rows changed outside graph scopes: {outside}"
    nothing = process_source(text, NOTHING)
    assert nothing.fixed == text and nothing.diagnostics == []

    # Safe fixes are a subset of unsafe ones: the same safe findings with the same
    # edits, and unsafe fixes applied on top of the safe output give the unsafe output.
    def safe_fixes(report):  # type: ignore[no-untyped-def]
        return {
            (d.code, d.location, d.fix)
            for d in report.diagnostics
            if d.fix is not None and d.fix.applicability == "safe"
        }

    assert safe_fixes(safe) == safe_fixes(unsafe)
    assert process_source(safe.fixed, UNSAFE).fixed == unsafe.fixed


@bounded(60)
@given(modules())
def test_generated_graph_modules(text: str) -> None:
    note(text)
    check_source_invariants(text, must_process=True)


@bounded(40)
@given(st.one_of(hypothesmith.from_grammar(), hypothesmith.from_node()))
def test_random_programs(text: str) -> None:
    note(text)
    check_source_invariants(text, must_process=False)


@bounded(40)
@given(st.one_of(hypothesmith.from_grammar(), hypothesmith.from_node()))
def test_random_programs_with_every_function_in_a_graph(text: str) -> None:
    try:
        decorated = decorate(text)
    except ValueError:  # no free name for tensorflow
        decorated = None
    text = decorated or "import tensorflow as tf\n" + text
    note(text)
    check_source_invariants(text, must_process=False)


def _cli(arguments: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(arguments)
    assert "Traceback" not in err.getvalue(), err.getvalue()
    return code, out.getvalue(), err.getvalue()


@bounded(50)
@given(modules(), st.booleans(), st.booleans())
def test_fix_diff_and_json_edits_agree(text: str, unsafe: bool, bom: bool) -> None:
    note(text)
    flags = ["--isolated", "--no-progress"] + (["--unsafe-fixes"] if unsafe else [])
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    with tempfile.TemporaryDirectory() as directory, contextlib.chdir(directory):
        Path("m.py").write_bytes(data)
        code, patch, _ = _cli(["check", "--diff", *flags, "m.py"])
        assert code in (0, 1)
        code, listing, _ = _cli(["check", "--output-format", "json", *flags, "m.py"])
        assert code in (0, 1)
        assert Path("m.py").read_bytes() == data, "--diff or a check wrote the file"
        code, _, _ = _cli(["check", "--fix", *flags, "m.py"])
        assert code in (0, 1)
        fixed_data = Path("m.py").read_bytes()
    assert fixed_data.startswith(b"\xef\xbb\xbf") == bom
    fixed = fixed_data.decode("utf-8-sig")
    assert apply_unified_diff(text, patch) == fixed

    diagnostics = json.loads(listing)
    applied = apply_json_edits(text, diagnostics, {"safe", "unsafe"} if unsafe else {"safe"})
    if applied is None:
        return  # overlapping fixes: the engine takes them in several passes
    options = UNSAFE if unsafe else SAFE
    _, later = find_violations(applied, "m.py", options)
    if not any(applicable(v, options) for v in later):
        # JSON edits are per fix: an import that only several fixes together leave
        # unused is in none of them; `--fix` removes it after them.
        applied = without_unused_imports(text, applied, "m.py")[0]
        assert applied == fixed, "JSON edits applied to the input differ from the --fix output"
    else:
        assert process_source(applied, options).fixed == fixed


def _choose_compatible_by_pairs(fixes):  # type: ignore[no-untyped-def]
    """The definition of choose_compatible, pair by pair (quadratic)."""

    def compatible(a, b):  # type: ignore[no-untyped-def]
        return a == b or a.start == a.end == b.start == b.end or a.end <= b.start or b.end <= a.start

    taken, chosen = [], []
    for index, edits in enumerate(fixes):
        if all(compatible(edit, other) for edit in edits for other in taken):
            chosen.append(index)
            taken.extend(edits)
    return chosen


@st.composite
def _edit(draw):  # type: ignore[no-untyped-def]
    from rewriter.edits import Edit

    start = draw(st.integers(0, 30))
    return Edit(start, start + draw(st.sampled_from((0, 0, 1, 2, 5))), draw(st.sampled_from(("", "a", "b"))))


@bounded(200)
@given(st.lists(st.lists(_edit(), min_size=1, max_size=3).map(tuple), max_size=12))
def test_choose_compatible_agrees_with_its_pairwise_definition(fixes) -> None:  # type: ignore[no-untyped-def]
    from rewriter.fix import choose_compatible

    assert choose_compatible(fixes) == _choose_compatible_by_pairs(fixes)
