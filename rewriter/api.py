"""The library interface: rewrite or check source text, or whole trees, from Python.

Everything here is also reachable as `rewriter.<name>`. None of it imports TensorFlow.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rewriter.codes import parse_codes
from rewriter.emit import unified_diff
from rewriter.files import Mode, display_path, process_file
from rewriter.pipeline import InternalError, SourceError, process_source
from rewriter.results import Diagnostic, FileOutcome, Status
from rewriter.settings import Settings, SettingsError, find_pyproject, load_settings

__all__ = [
    "InternalError",
    "Result",
    "SettingsError",
    "SourceError",
    "check_source",
    "project_settings",
    "rewrite_paths",
    "rewrite_source",
]

Codes = Iterable[str] | str | None


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
) -> Result:
    """Apply every applicable fix to `source` and return the outcome.

    `select` and `ignore` take rule codes or prefixes (`["AG001"]`, `"AG0,AG1"`);
    `unsafe_fixes` also applies unsafe fixes. `settings` is the starting point (for
    instance `project_settings(path)`); the other options override it.

    Raises `SourceError` for text that is not valid Python (the message is one line),
    `InternalError` when a rule misbehaves (the text is then not changed), and
    `ValueError` for an unknown rule code. Text without graph code comes back unchanged.
    """
    name = filename or "<string>"
    effective = _settings(settings, select, ignore, unsafe_fixes)
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
) -> list[Diagnostic]:
    """The findings in `source`, without applying anything.

    Takes the same options and raises the same exceptions as `rewrite_source`;
    `unsafe_fixes` only matters to `Diagnostic.fix_applicable`.
    """
    return rewrite_source(
        source, filename=filename, select=select, ignore=ignore, unsafe_fixes=unsafe_fixes, settings=settings
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
) -> list[FileOutcome]:
    """What `tfrewrite check` does, as values: one `FileOutcome` per file found.

    Directories are searched for `*.py` files as on the command line, and the files see
    each other as on the command line (functions called from graph code in another
    file are graph code; `rewriter.project_index`). With `fix=True`
    the fixes are written in place (atomically); otherwise nothing is written and each
    outcome's `fixed` holds the text `--fix` would write. Never raises for a bad file or
    a missing path: those come back as outcomes with `status` FAILED and an `error`.
    `exclude` replaces the glob patterns of `settings.exclude` when given.
    """
    from rewriter.discover import discover
    from rewriter.project_index import build_index

    effective = _settings(settings, select, ignore, unsafe_fixes)
    if exclude is not None:
        effective = effective.replace(exclude=tuple(exclude))
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


def _codes(codes: Iterable[str] | str, option: str) -> list[str]:
    try:
        return parse_codes(codes)
    except ValueError as exc:
        raise ValueError(f"{option}: {exc}") from None
