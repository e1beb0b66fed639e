"""Facts that cross files: calls of functions imported from other modules of the run.

A first pass over the run (`rewriter.project_index`, with `analyze/exports.py`) summarises each module that imports
another module of the project: for every call of an imported top-level function, which
function it is, whether the call sits in graph code (AutoGraph then converts the callee
too) and what each argument is there, as the module's own call-site evidence sees it.
The summaries are small and picklable. Gathered by callee, they become each module's
`Incoming` facts: graph scopes it gets from its callers, and call sites in other files
that are evidence for its parameters (`analyze/evidence.py`).

What crosses is deliberately coarse, so that an edit which changes nothing another file
relies on leaves that file's `Incoming` (and its cached result) as it was: no line
numbers, no shapes that name a caller's parameters, no assumptions about them.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass

from rewriter.analyze.lattice import Fact, Kind, SymbolicShape


@dataclass(frozen=True)
class Argument:
    """A call-site argument's Fact, without what only makes sense in the caller."""

    kind: str  # a Kind's value; PROBABLY_TENSOR never crosses (it names a caller's parameter)
    pytype: str | None = None
    dtype: str | None = None
    dims: tuple[int | None, ...] | None = None
    value: object = None
    maybe_none: bool = False

    @classmethod
    def of(cls, fact: Fact) -> Argument:
        if fact.kind is Kind.PROBABLY_TENSOR:
            return NOT_KNOWN
        dims = None if fact.shape is None or isinstance(fact.shape, SymbolicShape) else tuple(fact.shape)
        value = fact.value if isinstance(fact.value, (int, float, str, bool)) else None
        return cls(fact.kind.value, fact.pytype, fact.dtype, dims, value, fact.maybe_none)

    def fact(self) -> Fact:
        return Fact(Kind(self.kind), self.pytype, self.dtype, self.dims, self.value, self.maybe_none)


NOT_KNOWN = Argument(Kind.UNKNOWN.value)


@dataclass(frozen=True)
class ExportedCall:
    """One call, in some module, of a top-level function of another project module."""

    module: str  # the callee's module, dotted
    function: str  # the callee's name there
    caller: str  # the calling file, as shown, for messages
    within: str | None  # the caller's top-level function holding the call (None: module level)
    scope: str | None  # the graph scope holding the call (None: not in graph code)
    autograph: bool = True  # how that scope is traced ...
    jit: bool = False
    cause: str = ""  # ... and why not with AutoGraph
    backend_unknown: bool = False  # Keras code that may run on another backend (no TF fixes)
    evidence: bool = True  # False: what it passes was not worked out (see `exported_calls`)
    positional: tuple[Argument | None, ...] = ()  # None: passed, but not known (`*args`)
    keywords: tuple[tuple[str, Argument], ...] = ()
    any_keyword: bool = False  # `**kwargs`: may fill any parameter


@dataclass(frozen=True)
class IncomingScope:
    """A top-level function of this module that graph code in another file calls."""

    function: str
    reason: str
    autograph: bool
    jit: bool
    cause: str
    backend_unknown: bool = False


@dataclass(frozen=True)
class Incoming:
    """What one module gets from the other files of the run."""

    scopes: tuple[IncomingScope, ...] = ()
    calls: tuple[ExportedCall, ...] = ()

    def calls_of(self, function: str) -> list[ExportedCall]:
        return [call for call in self.calls if call.function == function]

    def digest(self) -> str:
        """A hash of every fact here: a cached result is only valid for the same facts."""
        return hashlib.blake2b(repr((self.scopes, self.calls)).encode(), digest_size=16).hexdigest()


def incoming_arguments(
    call: ExportedCall, positional: list[ast.arg], keyword_only: list[ast.arg]
) -> dict[str, Fact | None]:
    """Parameter name -> the Fact `call` passes for it (None: passed, but not known);
    parameters it does not pass are missing."""
    given: dict[str, Fact | None] = {}
    for parameter, argument in zip(positional, call.positional):
        given[parameter.arg] = argument.fact() if argument is not None else None
    if call.positional and call.positional[-1] is None:
        for parameter in positional[len(call.positional) :]:
            given[parameter.arg] = None
    for name, argument in call.keywords:
        given[name] = argument.fact()
    if call.any_keyword:
        for parameter in positional + keyword_only:
            given.setdefault(parameter.arg, None)
    return given


__all__ = ["NOT_KNOWN", "Argument", "ExportedCall", "Incoming", "IncomingScope", "incoming_arguments"]
