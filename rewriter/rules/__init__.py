"""The rule registry: an explicit, ordered tuple of every rule class."""

from __future__ import annotations

from rewriter.codes import validate_code_prefix
from rewriter.rules._base import Applicability, Edit, Example, Fix, ImportRequest, NoFix, Rule, Violation
from rewriter.rules.leftover_run_functions_eagerly import LeftoverRunFunctionsEagerly
from rewriter.rules.list_append_in_graph_loop import ListAppendInGraphLoop
from rewriter.rules.outer_state_mutation import OuterStateMutation
from rewriter.rules.print_in_graph import PrintInGraph
from rewriter.rules.python_bool_state import PythonBoolState
from rewriter.rules.python_random_in_graph import PythonRandomInGraph
from rewriter.rules.python_range_loop import PythonRangeLoop
from rewriter.rules.retracing_python_argument import RetracingPythonArgument
from rewriter.rules.tensor_as_python_bool import TensorAsPythonBool
from rewriter.rules.tensor_to_python_conversion import TensorToPythonConversion
from rewriter.rules.variable_created_in_graph import VariableCreatedInGraph

REGISTRY: tuple[type[Rule], ...] = (
    PrintInGraph,
    PythonRandomInGraph,
    PythonRangeLoop,
    PythonBoolState,
    VariableCreatedInGraph,
    ListAppendInGraphLoop,
    OuterStateMutation,
    RetracingPythonArgument,
    TensorToPythonConversion,
    TensorAsPythonBool,
    LeftoverRunFunctionsEagerly,
)

BY_CODE: dict[str, type[Rule]] = {rule.CODE: rule for rule in REGISTRY}


def find_rule(code_or_name: str) -> type[Rule] | None:
    for rule in REGISTRY:
        if code_or_name.upper() == rule.CODE or code_or_name == rule.NAME:
            return rule
    return None


__all__ = [
    "Applicability",
    "BY_CODE",
    "Edit",
    "Example",
    "Fix",
    "ImportRequest",
    "NoFix",
    "REGISTRY",
    "Rule",
    "Violation",
    "find_rule",
    "validate_code_prefix",
]
