"""The library interface: rewrite or check source text, or whole trees, from Python.

Everything here is also reachable as `rewriter.<name>`. None of it imports TensorFlow.

Like `tfrewrite check`, these read the trace file of a recorded run (`tfrewrite trace`)
when there is one: `.tfrewrite/traces.json` in the folder of the nearest
`pyproject.toml` with a `[tool.tfrewrite]` table (else the current folder). `traces`
takes another path, or False to ignore it; a file that cannot be used is a warning
(`TraceWarning`) and the rewrite goes on without it.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rewriter.codes import parse_codes
from rewriter.files import Mode, display_path, process_file
from rewriter.output.diff import unified_diff
from rewriter.pipeline import InternalError, SourceError, process_source
from rewriter.results import Diagnostic, FileOutcome, Status
from rewriter.settings import Settings, SettingsError, find_pyproject, load_settings

__all__ = [
    "InternalError",
    "Result",
    "SettingsError",
    "SourceError",
    "TraceWarning",
    "check_source",
    "project_settings",
    "rewrite_paths",
    "rewrite_source",
]

Codes = Iterable[str] | str | None
Traces = str | os.PathLike[str] | bool


class TraceWarning(UserWarning):
    """The trace file cannot be used (or some of its entries are stale)."""


@dataclass(frozen=True)
class Result:
    """What `rewrite_source` made of one source text.

    `diagnostics` are the findings in the original text (each says whether its fix is
    safe, unsafe or display-only); `remaining` are those still present in `code`.
    """

    source: str
    code: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    remaining: list[Diagnostic] = field(default_factory=list)
    fixed_count: int = 0
    filename: str = "<string>"

    @property
    def changed(self) -> bool:
        return self.code != self.source

    def diff(self, path: str | None = None) -> str:
        """A unified diff from `source` to `code` (empty when nothing changed).

        Paths carry `a/` and `b/` prefixes, so `git apply` and `patch -p1` accept it.
        """
        return unified_diff(self.source, self.code, path or self.filename)


def rewrite_source(
    source: str,
    *,
    filename: str | None = None,
    select: Codes = None,
    ignore: Codes = None,
    unsafe_fixes: bool = False,
    settings: Settings | None = None,
    traces: Traces = True,
) -> Result:
    """Apply every applicable fix to `source` and return the outcome.

    `select` and `ignore` take rule codes or prefixes (`["AG001"]`, `"AG0,AG1"`);
    `unsafe_fixes` also applies unsafe fixes. `settings` is the starting point (for
    instance `project_settings(path)`); the other options override it. `traces`: see
    the module's documentation (the default file is looked for from `filename`).

    Raises `SourceError` for text that is not valid Python (the message is one line),
    `InternalError` when a rule misbehaves (the text is then not changed), and
    `ValueError` for an unknown rule code. Text without graph code comes back unchanged.
    """
    name = filename or "<string>"
    effective = _settings(settings, select, ignore, unsafe_fixes)
    effective = _with_traces(effective, traces, filename or ".", count_stale=False)
    report = process_source(source, effective, name)
    return Result(source, report.fixed, report.diagnostics, report.remaining, report.fixed_count, name)


def check_source(
    source: str,
    *,
    filename: str | None = None,
    select: Codes = None,
    ignore: Codes = None,
    unsafe_fixes: bool = False,
    settings: Settings | None = None,
    traces: Traces = True,
) -> list[Diagnostic]:
    """The findings in `source`, without applying anything.

    Takes the same options and raises the same exceptions as `rewrite_source`;
    `unsafe_fixes` only matters to `Diagnostic.fix_applicable`.
    """
    return rewrite_source(
        source,
        filename=filename,
        select=select,
        ignore=ignore,
        unsafe_fixes=unsafe_fixes,
        settings=settings,
        traces=traces,
    ).diagnostics


def rewrite_paths(
    paths: Sequence[str | os.PathLike[str]],
    *,
    select: Codes = None,
    ignore: Codes = None,
    unsafe_fixes: bool = False,
    fix: bool = False,
    exclude: Iterable[str] | None = None,
    settings: Settings | None = None,
    traces: Traces = True,
) -> list[FileOutcome]:
    """What `tfrewrite check` does, as values: one `FileOutcome` per file found.

    Directories are searched for `*.py` files as on the command line, and the files see
    each other as on the command line (functions called from graph code in another
    file are graph code; `rewriter.project_index`). With `fix=True`
    the fixes are written in place (atomically); otherwise nothing is written and each
    outcome's `fixed` holds the text `--fix` would write. Never raises for a bad file or
    a missing path: those come back as outcomes with `status` FAILED and an `error`.
    `exclude` replaces the glob patterns of `settings.exclude` when given. `traces`:
    see the module's documentation (the default file is looked for from the paths).
    """
    from rewriter.discover import discover
    from rewriter.project_index import build_index

    effective = _settings(settings, select, ignore, unsafe_fixes)
    if exclude is not None:
        effective = effective.replace(exclude=tuple(exclude))
    anchor = os.path.commonpath([os.path.abspath(p) for p in paths]) if paths else "."
    effective = _with_traces(effective, traces, anchor, count_stale=True)
    found = discover([os.fspath(p) for p in paths], effective.exclude)
    mode = Mode.FIX if fix else Mode.DIFF
    outcomes = [FileOutcome(display_path(path), Status.FAILED, error=reason) for path, reason in found.errors]
    project = build_index(found.files, effective).incoming
    outcomes += [process_file(path, effective, mode, project=project) for path in found.files]
    return outcomes


def project_settings(path: str | os.PathLike[str] = ".") -> Settings:
    """The settings of the nearest `pyproject.toml` with a `[tool.tfrewrite]` table.

    Searched from `path` upwards, as the command line does; defaults when none is found.
    Raises `SettingsError` (a ValueError) when that table is wrong.
    """
    return load_settings(find_pyproject(Path(path)), Settings())


def _settings(base: Settings | None, select: Codes, ignore: Codes, unsafe_fixes: bool) -> Settings:
    settings = base or Settings()
    changes: dict[str, object] = {}
    if select is not None:
        changes["select"] = frozenset(_codes(select, "select"))
    if ignore is not None:
        changes["ignore"] = settings.ignore | frozenset(_codes(ignore, "ignore"))
    if unsafe_fixes:
        changes["unsafe_fixes"] = True
    return settings.replace(**changes) if changes else settings


def _with_traces(settings: Settings, traces: Traces, anchor: str, count_stale: bool) -> Settings:
    """`settings` reading the trace file `traces` asks for (see the module's documentation)."""
    if traces is False or (traces is True and settings.trace_file is not None):
        return settings
    from rewriter.trace.evidence import settings_with_traces

    pyproject = find_pyproject(Path(anchor))
    root = pyproject.parent if pyproject is not None else Path.cwd()
    path = None if traces is True else traces
    settings, note = settings_with_traces(settings, root, path, count_stale=count_stale)
    if note:
        warnings.warn(note, TraceWarning, stacklevel=3)
    return settings


def _codes(codes: Iterable[str] | str, option: str) -> list[str]:
    try:
        return parse_codes(codes)
    except ValueError as exc:
        raise ValueError(f"{option}: {exc}") from None
