"""Fixed output never reads an unbound name, leaves a dead binding or redefines a name.

Ruff's F821 (undefined name), F841 (local assigned but never used) and F811 (redefinition
of an unused name) run over the input and the fixed output of every golden case; the
output may have no finding the input did not have. A fix that moves an expression away
from the bindings of the names it reads (a holder created before the loop that binds
`dtype`) shows up here as a new F821.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from golden_cases import all_cases, rewrite
from invariants import name_findings, new_name_findings, ruff_executable

_RUFF = ruff_executable()
CASES = [c for c in all_cases() if c.output.exists()]


@pytest.mark.skipif(_RUFF is None, reason="ruff is not installed")
@pytest.mark.timeout(300)
def test_fixed_golden_outputs_add_no_name_findings(tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    after.mkdir()
    for case in CASES:
        name = case.id.replace("/", "__") + ".py"
        (before / name).write_bytes(case.input.read_bytes())
        (after / name).write_bytes(rewrite(case).output)
    added = new_name_findings(before, after)
    assert not added, f"fixes add name findings: {added}"


@pytest.mark.skipif(_RUFF is None, reason="ruff is not installed")
def test_the_check_sees_an_unbound_name(tmp_path: Path) -> None:
    """The comparison above catches a holder created before the loop that binds its dtype."""
    (tmp_path / "hoisted.py").write_text(
        "import tensorflow as tf\n\n\ndef f(dtypes):\n    held = tf.Variable(1.0, dtype=dtype)\n"
        "    for dtype in dtypes:\n        v = held\n        v.assign(1.0)\n",
        encoding="utf-8",
    )
    assert ("F821", "Undefined name `dtype`") in name_findings(tmp_path)["hoisted.py"]
