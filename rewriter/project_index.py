"""The project index: what the files of one run tell about each other, built once per run.

AutoGraph converts a function wherever it is defined: `train_step` in model.py is graph
code when train.py calls it from a `tf.function`, and train.py's call sites say what its
parameters are. Before the files are processed (each on its own, in any worker), one
cheap pass finds the modules of the run, parses only the files that import one of them
(a text search for import statements decides), and summarises their calls of imported
functions (`analyze/exports.py`). Gathered by callee, each module gets its `Incoming`
facts; `files.process_file` passes them to the analysis and keys the file's cached
result on their digest, so editing a caller re-checks exactly the modules whose incoming
facts it changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rewriter.files import display_path
from rewriter.known_files import content_digest, imports_of, read_regular
from rewriter.settings import Settings

if TYPE_CHECKING:
    from rewriter.analyze.project import ExportedCall, Incoming
    from rewriter.cache import Cache
    from rewriter.known_files import KnownFiles

# The analysis is imported only where a file is summarised or calls are gathered: a run
# whose summaries are all cached and name no call between modules needs none of it.


@dataclass
class ProjectIndex:
    """Each file's incoming facts (only files that have some), by path as given."""

    incoming: dict[str, Incoming] = field(default_factory=dict)
    modules: int = 0  # Python files given a module name
    summarised: int = 0  # files parsed because they import another module of the run


def build_index(
    paths: Sequence[str], settings: Settings, cache: Cache | None = None, known: KnownFiles | None = None
) -> ProjectIndex:
    """The index of the run over `paths` (files as discovered; notebooks and Markdown
    take no part). Files that cannot be read or parsed are left out: processing them
    reports why.

    With a `cache`, a file's summary is stored under its bytes and the run's module
    names, with the answers about other modules it asked (`_EntryPoints`): it serves
    again while those answers stay the same, and the file is not parsed for the index.
    With `known` files, a file whose facts are known is not even read.
    """
    python = [path for path in paths if path.endswith(".py")]
    names = module_names(python)
    if not names:
        return ProjectIndex()
    packages = {name.split(".")[0] for name in names}
    module_of = {path: name for name, path in names.items()}
    exported: list[tuple[str, ExportedCall]] = []
    summarised = 0
    entry_point = _EntryPoints(names, settings)
    context = "index\0" + hashlib.blake2b(repr(sorted(names.items())).encode(), digest_size=16).hexdigest()
    for path in python:
        data: bytes | None = None
        if known is not None:
            facts = known.get(path)
            if facts is None or not facts.imports_any(packages):
                continue
            digest = facts.digest
        else:
            data = _read(path)
            if data is None or not _imports_any(data, packages):
                continue
            digest = content_digest(data) if cache is not None else ""
        own = module_of.get(path, "")
        package = own if os.path.basename(path) == "__init__.py" else own.rpartition(".")[0]
        shown = display_path(path)
        key = cache.key_of_digest(shown, digest, context) if cache is not None else ""
        calls = _cached_summary(cache.get_json(key, shown), entry_point) if cache is not None else None
        if calls is None:
            if data is None:
                data = _read(path)
                if data is None:
                    continue
            recording = _Recording(entry_point)
            calls = _summary(path, data, package, names, settings, recording)
            if calls is None:
                continue
            summarised += 1
            # (Not when the file changed since its facts were read: the key is theirs.)
            if cache is not None and content_digest(data) == digest:
                cache.put_json(key, _encoded_summary(calls, recording.asked), shown)
        exported.extend((own, call) for call in calls if names.get(call.module) not in (None, path))
    return ProjectIndex(_incoming(exported, names), len(names), summarised)


def module_names(paths: Iterable[str]) -> dict[str, str]:
    """Dotted module name -> path, for the names only one of `paths` has.

    A file's name comes from the packages (folders with `__init__.py`) above it, so a
    script beside model.py is `model`'s sibling and `pkg/model.py` is `pkg.model`.
    """
    found: dict[str, set[str]] = {}
    is_package: dict[str, bool] = {}
    for path in paths:
        folder, file = os.path.split(os.path.abspath(path))
        stem = file[: -len(".py")]
        parts = [] if stem == "__init__" else [stem]
        while True:
            known = is_package.get(folder)
            if known is None:
                known = is_package[folder] = os.path.isfile(os.path.join(folder, "__init__.py"))
            if not known:
                break
            folder, package = os.path.split(folder)
            parts.insert(0, package)
        if parts and all(part.isidentifier() for part in parts):
            found.setdefault(".".join(parts), set()).add(path)
    return {name: next(iter(where)) for name, where in found.items() if len(where) == 1}


def _read(path: str) -> bytes | None:
    """A regular file's bytes (`known_files.read_regular`), or None."""
    found = read_regular(path)
    return found[1] if found is not None else None


def _imports_any(data: bytes, packages: set[str]) -> bool:
    """Cheap test on the bytes: an import statement that may name a module of the run."""
    relative, imported = imports_of(data)
    return relative or not packages.isdisjoint(imported)


def _summary(
    path: str,
    data: bytes,
    package: str,
    names: Mapping[str, str],
    settings: Settings,
    entry_point: Callable[[str, str], bool],
) -> list[ExportedCall] | None:
    from rewriter.analyze import ModuleAnalysis
    from rewriter.analyze.exports import exported_calls, project_imports
    from rewriter.pipeline import SourceError, might_hold_graph_code, parse
    from rewriter.source import SourceDecodeError, decode_source

    try:
        text = decode_source(data).text
        tree = parse(text, path)
    except (SourceDecodeError, SourceError):
        return None
    bindings = project_imports(tree, package, names)
    if not bindings:
        return []
    shown = display_path(path)
    try:
        graph_code = might_hold_graph_code(text, settings.graph_decorators)
        module = ModuleAnalysis(text, tree, settings, shown)
        return exported_calls(module, shown, bindings, names, entry_point, graph_code)
    except RecursionError:
        return None


class _EntryPoints:
    """`(module, function)` -> whether the function may be traced where it is defined,
    judged on the module's text (may say yes too often, never too rarely): the module
    may hold graph code, and a decorator of the def names `function` (or a configured
    wrapper, or a name assigned from something naming `function`), or a line names both
    the function and `function` (`fast = tf.function(step)`)."""

    def __init__(self, names: Mapping[str, str], settings: Settings) -> None:
        self.names = names
        self.wrappers = {name.rpartition(".")[2] for name in settings.graph_decorators} | {"function"}
        self.settings = settings
        self.modules: dict[str, frozenset[str]] = {}

    def __call__(self, module: str, function: str) -> bool:
        return function in self._entry_points(module)

    def _entry_points(self, module: str) -> frozenset[str]:
        found = self.modules.get(module)
        if found is None:
            found = self.modules[module] = self._scan(module)
        return found

    def _scan(self, module: str) -> frozenset[str]:
        from rewriter.pipeline import might_hold_graph_code
        from rewriter.source import SourceDecodeError, decode_source

        data = _read(self.names[module]) if module in self.names else None
        try:
            text = decode_source(data).text if data is not None else None
        except SourceDecodeError:
            text = None
        if text is None or not might_hold_graph_code(text, self.settings.graph_decorators):
            return frozenset()
        # `tff = tf.function`, `fn = functools.partial(tf.function, ...)`: aliases.
        aliases = set(_ASSIGNED_FROM_FUNCTION.findall(text)) | self.wrappers
        wrapper = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, aliases))) + r")\b")
        names = {name for block, name in _DECORATED_DEF.findall(text) if wrapper.search(block)}
        for line in _LINE_NAMING_FUNCTION.findall(text):
            names.update(_WORD.findall(line))
        return frozenset(names)


_DECORATED_DEF = re.compile(r"((?:^[ \t]*+[@#].*\n)+)[ \t]*+(?:async[ \t]+)?def[ \t]+(\w+)", re.M)
_ASSIGNED_FROM_FUNCTION = re.compile(r"^(\w+)[ \t]*=.*\bfunction\b", re.M)
_LINE_NAMING_FUNCTION = re.compile(r"^.*\bfunction\b.*$", re.M)
_WORD = re.compile(r"\w+")


class _Recording:
    """An `_EntryPoints` that remembers what it was asked, for the cached summary."""

    def __init__(self, entry_point: Callable[[str, str], bool]) -> None:
        self.entry_point = entry_point
        self.asked: dict[tuple[str, str], bool] = {}

    def __call__(self, module: str, function: str) -> bool:
        answer = self.asked[(module, function)] = self.entry_point(module, function)
        return answer


def _encoded_summary(calls: list[ExportedCall], asked: Mapping[tuple[str, str], bool]) -> object:
    return {
        "calls": [dataclasses.asdict(call) for call in calls],
        "asked": [[module, function, answer] for (module, function), answer in sorted(asked.items())],
    }


def _cached_summary(stored: object, entry_point: Callable[[str, str], bool]) -> list[ExportedCall] | None:
    """The calls of a stored summary, or None when it is missing, malformed, or asked
    about another module that now answers otherwise."""
    try:
        assert isinstance(stored, dict)
        for module, function, answer in stored["asked"]:
            if entry_point(module, function) != answer:
                return None
        return [_decoded_call(call) for call in stored["calls"]]
    except (AssertionError, KeyError, TypeError, ValueError):
        return None


def _decoded_call(fields: dict) -> ExportedCall:  # type: ignore[type-arg]
    from rewriter.analyze.project import Argument, ExportedCall

    # (Copies: the stored summary stays as it was, to be saved again.)
    def argument(value: dict | None) -> Argument | None:  # type: ignore[type-arg]
        if value is None:
            return None
        plain = dict(value)
        dims = plain.pop("dims")
        return Argument(**plain, dims=tuple(dims) if dims is not None else None)

    plain = dict(fields)
    positional = tuple(argument(value) for value in plain.pop("positional"))
    keywords = tuple((name, argument(value)) for name, value in plain.pop("keywords"))
    return ExportedCall(**plain, positional=positional, keywords=keywords)  # type: ignore[arg-type]


def _incoming(exported: list[tuple[str, ExportedCall]], names: Mapping[str, str]) -> dict[str, Incoming]:
    """Gather the calls by callee, and spread graph-ness: a call is in graph code when
    its own module says so, or when it sits in a function that graph code elsewhere
    calls (to a fixpoint; flags only ever tighten, so this ends)."""
    if not exported:
        return {}
    from rewriter.analyze.project import Incoming, IncomingScope

    scopes: dict[tuple[str, str], IncomingScope] = {}
    changed = True
    while changed:
        changed = False
        for caller, call in exported:
            if call.scope is not None:
                found = IncomingScope(
                    call.function,
                    f"called from {call.scope} in {call.caller}",
                    call.autograph,
                    call.jit,
                    call.cause,
                    call.backend_unknown,
                )
            elif call.within is not None and (caller, call.within) in scopes:
                outer = scopes[(caller, call.within)]
                found = IncomingScope(
                    call.function,
                    f"called from {call.within} in {call.caller}",
                    outer.autograph,
                    outer.jit,
                    outer.cause,
                )
            else:
                continue
            key = (call.module, call.function)
            known = scopes.get(key)
            if known is None:
                scopes[key] = found
                changed = True
            elif (
                (known.autograph and not found.autograph)
                or (found.jit and not known.jit)
                or (found.backend_unknown and not known.backend_unknown)
            ):
                scopes[key] = IncomingScope(
                    known.function,
                    known.reason,
                    known.autograph and found.autograph,
                    known.jit or found.jit,
                    known.cause or found.cause,
                    known.backend_unknown or found.backend_unknown,
                )
                changed = True
    by_module: dict[str, tuple[list[IncomingScope], list[ExportedCall]]] = {}
    for (module, _), scope in scopes.items():
        by_module.setdefault(module, ([], []))[0].append(scope)
    for _, call in exported:
        if call.evidence:
            # As evidence only what it passes counts: the rest would make the digest
            # change (and the callee be checked again) for nothing.
            plain = dataclasses.replace(
                call, within=None, scope=None, autograph=True, jit=False, cause="", backend_unknown=False
            )
            by_module.setdefault(call.module, ([], []))[1].append(plain)
    # Sorted, so that moving code around in a caller changes nothing here.
    return {
        names[module]: Incoming(
            tuple(sorted(found_scopes, key=repr)),
            tuple(sorted(calls, key=repr)),
        )
        for module, (found_scopes, calls) in by_module.items()
    }


__all__ = ["ProjectIndex", "build_index", "module_names"]
