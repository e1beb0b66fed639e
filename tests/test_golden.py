"""Every golden case: exact output, exact findings, and a fixpoint."""

from __future__ import annotations

import pytest
from golden_cases import Case, all_cases, rewrite

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_golden_output(case: Case) -> None:
    result = rewrite(case)
    assert result.output.decode("utf-8", "replace") == case.expected_bytes().decode("utf-8", "replace")
    assert result.output == case.expected_bytes()  # byte for byte: BOM, line endings


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_golden_findings(case: Case) -> None:
    expected = case.findings.read_text(encoding="utf-8") if case.findings.exists() else ""
    assert rewrite(case).findings == expected


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_second_run_changes_nothing(case: Case) -> None:
    result = rewrite(case)
    assert result.second_pass == result.output


def test_there_are_positive_and_negative_cases_for_every_rule_module() -> None:
    from rewriter.rules import REGISTRY

    for rule in REGISTRY:
        folder = rule.__module__.rsplit(".", 1)[-1]
        cases = [c for c in CASES if c.input.parent.name == folder]
        # A report-only rule (no example with a fix) shows its findings on unchanged files.
        report_only = all(example.after is None for example in rule.INVALID)
        assert any(c.output.exists() or (report_only and c.findings.exists()) for c in cases), (
            f"{folder}: no positive golden case"
        )
        assert any(not c.output.exists() and not (report_only and c.findings.exists()) for c in cases), (
            f"{folder}: no must-not-change case"
        )
