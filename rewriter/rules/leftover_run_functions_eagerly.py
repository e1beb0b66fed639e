"""Report `tf.config.run_functions_eagerly(True)` left in non-test code.

## What it does
Finds calls of `tf.config.run_functions_eagerly(True)` and of the older
`tf.config.experimental_run_functions_eagerly(True)`, under any alias
(`import tensorflow as tf2`, `from tensorflow.config import run_functions_eagerly`),
anywhere in a module that is not a test: files named `test_*.py`, `*_test.py` or
`conftest.py`, and files under a `tests/` or `test/` folder are left alone, and so
are notebooks, whose debugging cells are where the switch belongs.

## Why is this bad?
The switch makes every `tf.function` of the process run its Python body eagerly on
every call. It is a debugging aid (breakpoints and `print` work again), and left in
production code it silently throws away the graph: the program still gives the right
answers, only many times slower, and the side effects that graph code would lose (a
`print`, a NumPy draw) still run on every call, which hides the bugs the other rules
find.

## Example
    import tensorflow as tf

    tf.config.run_functions_eagerly(True)

    @tf.function
    def train_step(x):
        return x * 2

Use instead:

    import tensorflow as tf

    @tf.function
    def train_step(x):
        return x * 2

## Fix safety
No fix: whether the switch is wanted (a debugging flag, a deliberate eager mode) is the
author's decision, and removing it changes what every `tf.function` of the program does.
Only a literal `True` outside any `if` (except `if __name__ == "__main__":`) is
reported: `run_functions_eagerly(args.debug)` and `if debug: ...(True)` are deliberate,
configurable choices and are left alone, as is `run_functions_eagerly(False)`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import PurePath

from rewriter.analyze import ModuleAnalysis
from rewriter.rules._base import Example, Rule, Violation

_SWITCHES = frozenset({"run_functions_eagerly", "experimental_run_functions_eagerly"})
_TEST_FOLDERS = frozenset({"tests", "test"})


def is_test_file(filename: str) -> bool:
    """True for test modules and pytest's conftest, by name or by a `tests/` folder."""
    path = PurePath(filename.replace("\\", "/"))
    name = path.name
    if name == "conftest.py" or (name.startswith("test_") and name.endswith(".py")) or name.endswith("_test.py"):
        return True
    return any(part in _TEST_FOLDERS for part in path.parts[:-1])


class LeftoverRunFunctionsEagerly(Rule):
    CODE = "AG011"
    NAME = "leftover-run-functions-eagerly"
    MESSAGE = (
        "`run_functions_eagerly(True)` makes every `tf.function` of the program run eagerly "
        "(a debugging switch left in non-test code)"
    )
    FIX_TITLE = "Remove the call, or make it depend on a debugging flag"
    # Runs on every module that mentions the switch, graph scopes or not.
    MODULE_LEVEL = True

    VALID = (
        """
        import tensorflow as tf

        tf.config.run_functions_eagerly(False)
        """,
        """
        import tensorflow as tf

        import sys

        tf.config.run_functions_eagerly('--debug' in sys.argv)
        """,
        """
        import tensorflow as tf

        def run_functions_eagerly(flag):
            return flag

        run_functions_eagerly(True)
        """,
    )
    INVALID = (
        Example(
            """
            import tensorflow as tf

            tf.config.run_functions_eagerly(True)
            """,
            None,
            name="switch-left-on",
        ),
        Example(
            """
            from tensorflow.config import experimental_run_functions_eagerly as eager

            def main():
                eager(run_eagerly=True)
            """,
            None,
            name="aliased-experimental-switch",
        ),
    )

    def check(self, module: ModuleAnalysis) -> Iterator[Violation]:
        # Cheap guards first: most modules never mention the switch.
        if "functions_eagerly" not in module.text:
            return
        if is_test_file(module.filename) or module.filename.endswith(".ipynb"):
            return
        parents = module.parents
        for node in module.nodes:
            if not isinstance(node, ast.Call) or not _turns_on(node) or _conditional(node, parents):
                continue
            qualified = module.imports.resolve(node.func)
            if not qualified or not qualified.startswith("tensorflow."):
                continue
            if qualified.rsplit(".", 1)[-1] not in _SWITCHES or ".config." not in qualified:
                continue
            yield self.violation(module.lines.node_range(node))


def _turns_on(call: ast.Call) -> bool:
    """The call's one argument is the literal True (positional or `run_eagerly=`)."""
    values = call.args + [k.value for k in call.keywords if k.arg is not None]
    return len(values) == 1 and isinstance(values[0], ast.Constant) and values[0].value is True


def _conditional(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Under an `if` (other than `if __name__ == "__main__":`): a debugging switch on a flag."""
    parent = parents.get(node)
    while parent is not None:
        if isinstance(parent, (ast.If, ast.IfExp)) and not _is_main_guard(parent.test):
            return True
        parent = parents.get(parent)
    return False


def _is_main_guard(test: ast.expr) -> bool:
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )
