"""Every rule is registered once, documented, and its own examples hold."""

from __future__ import annotations

import pkgutil

import pytest

import rewriter.rules
from rewriter.pipeline import process_source
from rewriter.rules import REGISTRY, Example, Rule
from rewriter.settings import Settings


def test_every_rule_module_is_registered_exactly_once() -> None:
    modules = {m.name for m in pkgutil.iter_modules(rewriter.rules.__path__) if not m.name.startswith("_")}
    registered = [rule.__module__.rsplit(".", 1)[-1] for rule in REGISTRY]
    assert sorted(registered) == sorted(modules)
    assert len(set(registered)) == len(registered)


def test_codes_and_names_are_unique_and_ordered() -> None:
    codes = [rule.CODE for rule in REGISTRY]
    names = [rule.NAME for rule in REGISTRY]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    assert codes == sorted(codes)


def test_a_malformed_rule_fails_at_definition() -> None:
    with pytest.raises(TypeError, match="lacks MESSAGE"):

        class NoMessage(Rule):  # noqa: F841
            CODE, NAME, FIX_TITLE = "AG999", "broken", "Fix"


@pytest.mark.parametrize("rule", REGISTRY, ids=[r.CODE for r in REGISTRY])
def test_documentation_has_every_section(rule: type[Rule]) -> None:
    doc = rule.documentation()
    for section in ("## What it does", "## Why is this bad?", "## Example", "Use instead:", "## Fix safety"):
        assert section in doc, f"{rule.CODE} documentation lacks {section}"


VALID = [(rule, snippet) for rule in REGISTRY for snippet in rule.VALID]
INVALID = [(rule, example) for rule in REGISTRY for example in rule.INVALID]


def test_every_rule_has_examples() -> None:
    for rule in REGISTRY:
        assert rule.VALID and rule.INVALID, f"{rule.CODE} has no VALID/INVALID examples"


@pytest.mark.parametrize(("rule", "snippet"), VALID, ids=[f"{r.CODE}-{i}" for i, (r, _) in enumerate(VALID)])
def test_valid_examples_are_not_reported(rule: type[Rule], snippet: str) -> None:
    report = process_source(snippet, Settings(select=frozenset({rule.CODE})))
    assert report.diagnostics == []


@pytest.mark.parametrize(
    ("rule", "example"), INVALID, ids=[f"{r.CODE}-{e.name or i}" for i, (r, e) in enumerate(INVALID)]
)
def test_invalid_examples_are_reported_and_fixed(rule: type[Rule], example: Example) -> None:
    settings = Settings(select=frozenset({rule.CODE})).replace(**example.options)
    report = process_source(example.before, settings)
    assert [d.code for d in report.diagnostics] and {d.code for d in report.diagnostics} == {rule.CODE}
    assert report.fixed == (example.before if example.after is None else example.after)
