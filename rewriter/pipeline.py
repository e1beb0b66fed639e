"""The stages for one source text, in order: parse, analyse, rules, fix, compile check.

Reading files, excluding paths and writing results are the caller's business
(`rewriter.files`); this module only turns text into diagnostics and fixed text.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import re
import traceback
import unicodedata
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.mentions import after_a_comment, names_tf_function
from rewriter.fix import apply_edits, choose_compatible, with_newline
from rewriter.imports_edit import import_edits, import_removal, without_unused_imports
from rewriter.results import Diagnostic, EditInfo, FixInfo, Location
from rewriter.rules import REGISTRY, Rule, Violation
from rewriter.rules._base import Applicability, Edit
from rewriter.settings import Settings
from rewriter.source import LineIndex, compile_error, dominant_newline
from rewriter.suppressions import is_suppressed, suppressions

if TYPE_CHECKING:
    from rewriter.analyze.project import Incoming

# Fixes of one pass never overlap; a fix that waited for another gets the next pass.
MAX_PASSES = 8


class SourceError(Exception):
    """The input is not something we can process (a user error); one-line message."""


class InternalError(Exception):
    """A rule crashed or produced bad code; the input is left as it was."""

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.detail = detail


@dataclass
class SourceReport:
    diagnostics: list[Diagnostic]  # findings in the original text
    fixed: str  # the text after every applicable fix (the original if none)
    remaining: list[Diagnostic]  # findings left in `fixed`
    fixed_count: int
    fixes_applied: bool = True  # False: asked for findings only, `fixed` is the text as it was


# Graph code that no `tf.function` names (analyze/entry_points.py; tf.function itself:
# analyze/mentions.py): Keras classes and compile/Lambda arguments need `keras` in the
# text and one of these words; tf.data callbacks need tensorflow or keras and a call of
# a callback method (also after a comment line); `tf.vectorized_map` needs its name.
_KERAS_WORD = re.compile(r"\b(?:call|train_step|test_step|predict_step|update_state|result|compile|Lambda)\b")
_CALLBACK_METHODS = (
    r"(?:map|filter|flat_map|interleave|parallel_interleave|reduce|scan|take_while|"
    r"group_by_window|group_by_reducer|bucket_by_sequence_length|rejection_resample)\b"
)
_ATTRIBUTE_CALLBACK = re.compile(r"\.[\s\\]*+" + _CALLBACK_METHODS)
_CALLBACK_TOKEN = re.compile(_CALLBACK_METHODS)


_OTHER_BACKEND = (
    "the module does not import TensorFlow, so its Keras code may run on another backend, where TensorFlow calls fail"
)


def might_hold_graph_code(text: str, graph_decorators: frozenset[str] = frozenset()) -> bool:
    """Cheap test on the text: False when no rule can find anything in it (no graph
    scope, and no `run_functions_eagerly` switch for the module-level AG011).

    `graph_decorators` are the configured project wrappers of `tf.function`: a text that
    names one's package and last name goes on."""
    if not text.isascii():
        # The parser NFKC-normalises identifiers (`ｔf.ｆunction` is tf.function).
        text = unicodedata.normalize("NFKC", text)
    for name in graph_decorators:
        package, _, last = name.rpartition(".")
        if package.split(".")[0] in text and last in text:
            return True
    keras, tensorflow = "keras" in text, "tensorflow" in text
    if not (keras or tensorflow):
        return False
    if "run_functions_eagerly" in text:
        return True
    if keras and _KERAS_WORD.search(text):
        return True
    if "vectorized_map" in text or _ATTRIBUTE_CALLBACK.search(text) or after_a_comment(text, _CALLBACK_TOKEN):
        return True
    return names_tf_function(text)


def could_name_graph_code(data: bytes, graph_decorators: frozenset[str] = frozenset()) -> bool:
    """A quicker test on a file's bytes, before decoding: False when it names neither
    TensorFlow nor Keras nor a configured wrapper's package (ASCII only; the parser reads
    `ｔensorflow` as `tensorflow`)."""
    if not data.isascii() or b"tensorflow" in data or b"keras" in data:
        return True
    return any(name.split(".")[0].encode() in data for name in graph_decorators)


def parse(text: str, filename: str) -> ast.Module:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. invalid escape sequences in user code
            return ast.parse(text, filename=filename)
    except SyntaxError as exc:
        where = f" (line {exc.lineno}, column {exc.offset})" if exc.lineno else ""
        raise SourceError(f"{type(exc).__name__}: {exc.msg}{where}") from None
    except (RecursionError, MemoryError):
        raise SourceError("too deeply nested to parse") from None
    except ValueError as exc:
        raise SourceError(str(exc)) from None


def find_violations(
    text: str,
    filename: str,
    settings: Settings,
    incoming: Incoming | None = None,
    tree: ast.Module | None = None,
    whole: ast.Module | None = None,
) -> tuple[ModuleAnalysis, list[Violation]]:
    """Parse and run every enabled rule over the shared analysis (with `incoming`, the
    facts the other files of the run give about this module). With `tree`, analyse it
    instead of parsing `text`: `text`'s tree, or some of its statements (`whole` being
    the tree, `rewriter.incremental`)."""
    if tree is None:
        tree = parse(text, filename)
    module = ModuleAnalysis(text, tree, settings, filename, incoming, whole)
    try:
        has_scopes = bool(module.graph_scopes)
    except RecursionError:
        raise SourceError("too deeply nested to analyse") from None
    # Without graph scopes only the module-level rules (AG011) have anything to look at.
    rules = [rule for rule in REGISTRY if settings.enabled(rule.CODE) and (has_scopes or rule.MODULE_LEVEL)]
    if not rules:
        return module, []
    suppressed = suppressions(text)
    # Spans of Keras scopes that may run on another backend: their findings get no fix.
    other_backend = [module.lines.node_range(s.node) for s in module.graph_scopes if s.backend_unknown]
    violations: list[Violation] = []
    for rule in rules:
        try:
            found = list(rule().check(module))
        except RecursionError:
            raise SourceError("too deeply nested to analyse") from None
        except Exception as exc:  # a rule bug must not take the run down
            raise InternalError(
                f"internal error in {_rule_label(rule)}: {type(exc).__name__}: {exc}", traceback.format_exc()
            ) from exc
        for violation in found:
            rows = (module.lines.row_col(violation.start)[0], module.lines.row_col(violation.end)[0])
            if not is_suppressed(suppressed, rows, rule.CODE):
                if violation.fix is not None and any(a <= violation.start < b for a, b in other_backend):
                    violation = violation.without_fix(_OTHER_BACKEND)
                violations.append(violation)
    violations.sort(key=lambda v: (v.start, v.rule.CODE))
    return module, violations


def fix_edits(module: ModuleAnalysis, violation: Violation) -> tuple[Edit, ...]:
    """A fix's edits with its imports added and line ends matching the file."""
    assert violation.fix is not None
    edits = violation.fix.edits + import_edits(violation.fix.imports, module.tree, module.lines)
    return with_newline(edits, _file_newline(module.text))


@functools.lru_cache(maxsize=4)
def _file_newline(text: str) -> str:
    # Asked once per fix: scanning a large file again for each of its thousands of
    # fixes made the whole run quadratic.
    return dominant_newline(text)


def to_diagnostic(module: ModuleAnalysis, violation: Violation, filename: str) -> Diagnostic:
    lines = module.lines
    fix = None
    if violation.fix is not None:
        edits = tuple(
            EditInfo(e.content, Location(*lines.row_col(e.start)), Location(*lines.row_col(e.end)))
            for e in sorted(fix_edits(module, violation))
        )
        fix = FixInfo(violation.fix.applicability.value, violation.fix.message, edits)
    return Diagnostic(
        code=violation.rule.CODE,
        name=violation.rule.NAME,
        message=violation.message,
        filename=filename,
        location=Location(*lines.row_col(violation.start)),
        end_location=Location(*lines.row_col(violation.end)),
        fix=fix,
    )


def applicable(violation: Violation, settings: Settings) -> bool:
    fix = violation.fix
    if fix is None:
        return False
    return fix.applicability is Applicability.SAFE or (
        settings.unsafe_fixes and fix.applicability is Applicability.UNSAFE
    )


def process_source(
    text: str,
    settings: Settings,
    filename: str = "<string>",
    incoming: Incoming | None = None,
    apply_fixes: bool = True,
) -> SourceReport:
    """Diagnostics for `text` and the text with every applicable fix applied.

    Fixes are applied in passes until none is left (at most MAX_PASSES); every pass's
    output must compile. Raises SourceError for input we cannot process and
    InternalError when a rule misbehaves; the caller keeps the original then.
    `incoming`: facts from the other files of the run (`rewriter.project_index`).
    Without `apply_fixes`, only the findings (each with its fix) are computed, as
    `check` needs them: applying, re-checking and compiling are left to `--fix`/`--diff`.
    """
    module, violations = find_violations(text, filename, settings, incoming)
    diagnostics = [to_diagnostic(module, v, filename) for v in violations]
    if not apply_fixes:
        return SourceReport(diagnostics, text, diagnostics, 0, fixes_applied=False)
    current, current_violations, fixed_count = text, violations, 0
    for _ in range(MAX_PASSES):
        fixable = [v for v in current_violations if applicable(v, settings)]
        if not fixable:
            break
        edit_sets = [fix_edits(module, v) for v in fixable]
        compatible = choose_compatible(edit_sets)
        chosen = [fixable[i] for i in compatible]
        edits = [e for i in compatible for e in edit_sets[i]]
        candidate = apply_edits(current, edits)
        _compile_check(candidate, filename, {v.rule for v in chosen}, text)
        current, fixed_count = candidate, fixed_count + len(chosen)
        module, current_violations = find_violations(current, filename, settings, incoming)
    else:
        if any(applicable(v, settings) for v in current_violations):
            codes = sorted({v.rule.CODE for v in current_violations if applicable(v, settings)})
            raise InternalError(
                f"internal error: fixes for {', '.join(codes)} did not converge "
                f"after {MAX_PASSES} passes; file left unchanged"
            )
    if current is not text:
        current, module, diagnostics = _remove_unused_imports(
            text, current, module, diagnostics, filename, settings, incoming
        )
    remaining = diagnostics if current is text else [to_diagnostic(module, v, filename) for v in current_violations]
    return SourceReport(diagnostics, current, remaining, fixed_count)


def _remove_unused_imports(
    text: str,
    current: str,
    module: ModuleAnalysis,
    diagnostics: list[Diagnostic],
    filename: str,
    settings: Settings,
    incoming: Incoming | None = None,
) -> tuple[str, ModuleAnalysis, list[Diagnostic]]:
    """Remove the imports the fixes left unused (`import numpy as np` after the last
    `np.random` became `tf.random`), so the user's own F401 check stays clean.

    The removal is added to the edits of an applied fix that alone removed every use,
    so JSON edits and `review` see it with the fix that makes it possible.
    """
    candidate, names = without_unused_imports(text, current, filename)
    if not names:
        return current, module, diagnostics
    _compile_check(candidate, filename, set(), text)
    original = parse(text, filename)
    original_lines = LineIndex(text)
    uses = {
        name: [
            original_lines.node_range(node)
            for node in ast.walk(original)
            if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
        ]
        for name in names
    }
    updated = []
    for diagnostic in diagnostics:
        fix = diagnostic.fix
        if fix is None or not (
            fix.applicability == "safe" or (settings.unsafe_fixes and fix.applicability == "unsafe")
        ):
            updated.append(diagnostic)
            continue
        spans = [
            (
                original_lines.line_start(e.location.row) + e.location.column - 1,
                original_lines.line_start(e.end_location.row) + e.end_location.column - 1,
            )
            for e in fix.edits
        ]
        extra = []
        for name in names:
            # Only a fix that alone removes every use carries the removal, so each
            # fix stays applicable on its own (as Ruff's are); when several fixes
            # together leave the import unused, `--fix` removes it after them.
            if all(any(s <= a and b <= e for s, e in spans) for a, b in uses[name]):
                removal = import_removal(original, original_lines, name)
                if removal is not None:
                    extra.append(
                        EditInfo(
                            removal.content,
                            Location(*original_lines.row_col(removal.start)),
                            Location(*original_lines.row_col(removal.end)),
                        )
                    )
        if extra:
            fix = dataclasses.replace(
                fix, edits=tuple(sorted((*fix.edits, *extra), key=lambda e: (e.location.row, e.location.column)))
            )
            diagnostic = dataclasses.replace(diagnostic, fix=fix)
        updated.append(diagnostic)
    return candidate, ModuleAnalysis(candidate, parse(candidate, filename), settings, filename, incoming), updated


def _compile_check(candidate: str, filename: str, rules: set[type[Rule]], original: str) -> None:
    """Fixed code must compile; otherwise name the rules whose edits broke it.

    Input that parses but does not compile itself (`return` outside a function,
    `nonlocal` at module level) is the input's fault, not the rules': SourceError.
    """
    problem = compile_error(candidate, filename)
    if problem is None:
        return
    if (own := compile_error(original, filename)) is not None:
        if isinstance(own, RecursionError):
            raise SourceError("too deeply nested to compile") from None
        line, column = getattr(own, "lineno", None), getattr(own, "offset", None)
        where = f" (line {line}, column {column})" if line else ""
        raise SourceError(f"{type(own).__name__}: {getattr(own, 'msg', own)}{where}") from None
    labels = ", ".join(sorted(_rule_label(r) for r in rules))
    raise InternalError(
        f"internal error: fixes by {labels} produced code that does not compile ({problem}); file left unchanged"
    ) from None


def _rule_label(rule: type[Rule]) -> str:
    return f"{rule.CODE} ({rule.NAME})"
