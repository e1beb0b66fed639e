"""Fixed output never reads an unbound name, leaves a dead binding or redefines a name.

Ruff's F821 (undefined name), F841 (local assigned but never used) and F811 (redefinition
of an unused name) run over the input and the fixed output of every golden case; the
output may have no finding the input did not have. A fix that moves an expression away
from the bindings of the names it reads (a holder created before the loop that binds
`dtype`) shows up here as a new F821.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from golden_cases import all_cases, rewrite

_RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
_CODES = "F821,F841,F811"
CASES = [c for c in all_cases() if c.output.exists()]


def _findings(folder: Path) -> dict[str, Counter[tuple[str, str]]]:
    """file name -> (code, message) counts; locations are left out, as fixes move lines."""
    assert _RUFF is not None
    completed = subprocess.run(
        [_RUFF, "check", "--isolated", "--no-cache", "--select", _CODES, "--output-format", "json", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode in (0, 1), completed.stderr
    found: dict[str, Counter[tuple[str, str]]] = {}
    for item in json.loads(completed.stdout or "[]"):
        found.setdefault(Path(item["filename"]).name, Counter())[(item["code"], item["message"])] += 1
    return found


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
    old, new = _findings(before), _findings(after)
    added = {
        name: sorted((counts - old.get(name, Counter())).elements())
        for name, counts in new.items()
        if counts - old.get(name, Counter())
    }
    assert not added, f"fixes add name findings: {added}"


@pytest.mark.skipif(_RUFF is None, reason="ruff is not installed")
def test_the_check_sees_an_unbound_name(tmp_path: Path) -> None:
    """The comparison above catches a holder created before the loop that binds its dtype."""
    (tmp_path / "hoisted.py").write_text(
        "import tensorflow as tf\n\n\ndef f(dtypes):\n    held = tf.Variable(1.0, dtype=dtype)\n"
        "    for dtype in dtypes:\n        v = held\n        v.assign(1.0)\n",
        encoding="utf-8",
    )
    assert ("F821", "Undefined name `dtype`") in _findings(tmp_path)["hoisted.py"]
