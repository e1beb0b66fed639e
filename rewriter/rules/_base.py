"""What a rule is and what it returns: violations that may carry fixes."""

from __future__ import annotations

import dataclasses
import inspect
import re
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from rewriter.codes import RULE_CODES
from rewriter.edits import Applicability as Applicability
from rewriter.edits import Edit as Edit
from rewriter.edits import Fix
from rewriter.edits import ImportRequest as ImportRequest

if TYPE_CHECKING:
    from rewriter.analyze import ModuleAnalysis


class NoFix(Exception):
    """A rule cannot offer a faithful fix here; the message says why (shown to the user)."""


@dataclass(frozen=True)
class Violation:
    rule: type[Rule]
    start: int
    end: int
    message: str
    fix: Fix | None = None

    def without_fix(self, reason: object) -> Violation:
        """The same finding with no fix, saying why (a policy outside the rule, such as
        code that may run on another backend)."""
        return dataclasses.replace(self, fix=None, message=_with_reason(self.message, reason))


def _with_reason(message: str, no_fix: object) -> str:
    return f"{message} (no fix: {no_fix})"


@dataclass(frozen=True)
class Example:
    """A rule's documented example: `before` must change into `after`.

    `after=None` means the rule reports `before` but offers no applicable fix. `name`
    says what the example shows (the test's id).
    """

    before: str
    after: str | None
    options: dict[str, object] = field(default_factory=dict)
    name: str = ""


def example_code(text: str) -> str:
    """An example's code as written in a rule class: an indented block inside triple
    quotes, starting on the line after them, dedented. One-line strings stay as they are."""
    if not text.startswith("\n"):
        return text
    return textwrap.dedent(text[1:])


_CODE = re.compile(r"^AG\d{3}$")
_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Fix safety")


class Rule:
    """Base class of every rule: subclasses describe one pitfall and its fix.

    A rule reads the shared `ModuleAnalysis` and yields Violations. It never writes files,
    re-parses, or edits imports itself (it asks for them with ImportRequest).
    """

    CODE: ClassVar[str]
    NAME: ClassVar[str]
    MESSAGE: ClassVar[str]
    FIX_TITLE: ClassVar[str]
    # True for rules that look at the whole module, not at graph scopes: they run on
    # modules without any graph scope too.
    MODULE_LEVEL: ClassVar[bool] = False
    VALID: ClassVar[tuple[str, ...]] = ()
    INVALID: ClassVar[tuple[Example, ...]] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        # A malformed rule must fail at import time, not halfway through a run.
        for attribute in ("CODE", "NAME", "MESSAGE", "FIX_TITLE"):
            if not isinstance(cls.__dict__.get(attribute), str):
                raise TypeError(f"rule {cls.__name__} lacks {attribute}")
        if not _CODE.match(cls.CODE):
            raise TypeError(f"rule {cls.__name__}: code {cls.CODE!r} is not AGnnn")
        if RULE_CODES.get(cls.CODE) != cls.NAME:
            raise TypeError(f"rule {cls.__name__}: {cls.CODE} {cls.NAME} is not in rewriter.codes.RULE_CODES")
        # Examples are written as indented blocks; the tests and docs read them dedented.
        cls.VALID = tuple(example_code(v) for v in cls.VALID)
        cls.INVALID = tuple(
            dataclasses.replace(
                e, before=example_code(e.before), after=None if e.after is None else example_code(e.after)
            )
            for e in cls.INVALID
        )
        doc = cls.module_docstring()
        missing = [section for section in _SECTIONS if section not in doc]
        if missing:
            raise TypeError(f"rule {cls.__name__}: docstring lacks {', '.join(missing)}")

    def check(self, module: ModuleAnalysis) -> Iterator[Violation]:
        raise NotImplementedError

    def violation(self, node_range: tuple[int, int], message: str | None = None, fix: Fix | None = None) -> Violation:
        return Violation(type(self), node_range[0], node_range[1], message or self.MESSAGE, fix)

    def report(
        self,
        node_range: tuple[int, int],
        fix: Fix | Callable[[], Fix] | None = None,
        *,
        message: str | None = None,
        no_fix: object = None,
    ) -> Violation:
        """A finding at `node_range`: with its fix, or with why there is none.

        `fix` is the fix, or a function that builds it and raises NoFix when no faithful
        fix exists; `no_fix` is the reason there is none. The reason is shown after the
        message as "(no fix: reason)".
        """
        if callable(fix):
            try:
                fix = fix()
            except NoFix as reason:
                # Kept as text: the exception's traceback holds this frame, which holds it.
                fix, no_fix = None, str(reason)
        text = message or self.MESSAGE
        if no_fix is not None:
            text = _with_reason(text, no_fix)
        return Violation(type(self), node_range[0], node_range[1], text, fix)

    @classmethod
    def module_docstring(cls) -> str:
        """The rule's documentation: its module's docstring, in Ruff's sections."""
        return sys.modules[cls.__module__].__doc__ or ""

    @classmethod
    def documentation(cls) -> str:
        return f"# {cls.NAME} ({cls.CODE})\n\n{inspect.cleandoc(cls.module_docstring())}\n"
