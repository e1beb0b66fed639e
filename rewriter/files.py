"""One file from disk to outcome: read, process, and (with --fix) write back atomically."""

from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING, Any

from rewriter.atomic import WriteError, write_atomic, write_outcome
from rewriter.file_kinds import is_markdown
from rewriter.results import FileOutcome, Mode, Status
from rewriter.settings import Settings
from rewriter.trace.evidence import has_recorded_functions

if TYPE_CHECKING:
    from collections.abc import Mapping

    from rewriter.analyze.project import Incoming
    from rewriter.cache import Cache, Entry
    from rewriter.known_files import FileFacts
    from rewriter.pipeline import SourceReport


def display_path(path: str) -> str:
    """`path` relative to the current directory when it lies below it."""
    absolute = os.path.abspath(path)
    below = os.path.join(os.getcwd(), "")
    if absolute.startswith(below) and len(absolute) > len(below):
        relative = absolute[len(below) :]  # what os.path.relpath gives, without its splitting
    elif os.sep == "/" and absolute != below[:-1]:
        return path  # not below: os.path.relpath would climb with `..`
    else:
        try:
            relative = os.path.relpath(path)
        except ValueError:
            return path
    return path if relative.startswith("..") else relative


def process_file(
    path: str,
    settings: Settings,
    mode: Mode,
    cache: Cache | None = None,
    project: Mapping[str, Incoming] | None = None,
    apply_fixes: bool = True,
) -> FileOutcome:
    """Never raises for a bad file: every problem becomes a FAILED outcome.

    Without `apply_fixes` (`check` that prints findings only), a Python file's fixes
    are described but not applied: its outcome is UNCHANGED whatever they would do.

    With a `cache`, a file whose text was processed before with the same tool and
    settings (and the same facts from other files) is not processed again (except to
    write fixes with --fix). `project` holds the run's facts from other files by path
    (`rewriter.project_index`).
    """
    shown = display_path(path)
    try:
        # Non-blocking, so that a FIFO named like a source file cannot hang the run.
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
            before = os.fstat(handle.fileno())
            if stat.S_ISDIR(before.st_mode):
                return FileOutcome(shown, Status.FAILED, error="is a directory")
            if not stat.S_ISREG(before.st_mode):
                return FileOutcome(shown, Status.FAILED, error="not a regular file")
            data = handle.read()
    except IsADirectoryError:
        return FileOutcome(shown, Status.FAILED, error="is a directory")
    except OSError as exc:
        return FileOutcome(shown, Status.FAILED, error=exc.strerror or str(exc))
    try:
        incoming = project.get(path) if project is not None else None
        return _process_bytes(path, shown, data, before, settings, mode, cache, incoming, apply_fixes)
    except Exception as exc:  # the last line of defence: a bug must not end the run
        import traceback

        return FileOutcome(
            shown, Status.FAILED, error=f"internal error: {type(exc).__name__}: {exc}", detail=traceback.format_exc()
        )


def process_source(text: str, settings: Settings, filename: str = "<string>", **options: Any) -> SourceReport:
    """`pipeline.process_source`, with the analysis imported when a file is first
    processed: a run whose files are all known (`known_outcome`) needs none of it."""
    from rewriter.pipeline import process_source as process

    return process(text, settings, filename, **options)


def known_outcome(
    path: str,
    facts: FileFacts,
    settings: Settings,
    cache: Cache | None = None,
    incoming: Incoming | None = None,
    apply_fixes: bool = False,
) -> FileOutcome | None:
    """What `process_file(path, ..., Mode.CHECK)` gives, without the texts, when the
    file's known facts (`rewriter.known_files`) decide it without reading the file: the
    prefilter skips it, or its result is cached. None when the file must be processed.

    The steps are those of `_process_bytes`, on the facts instead of the bytes.
    """
    shown = display_path(path)
    called = incoming is not None and bool(incoming.scopes)
    recorded = has_recorded_functions(settings, path)
    if not (called or recorded) and not facts.names_graph_code:
        return FileOutcome(shown, Status.SKIPPED)
    if path.endswith(".ipynb") or is_markdown(path) or facts.may_hold_graph_code is None:
        return None
    if not (called or recorded) and not facts.may_hold_graph_code:
        return FileOutcome(shown, Status.SKIPPED)
    if cache is None:
        return None
    context = incoming.digest() if incoming is not None else ""
    key = cache.key_of_digest(shown, facts.digest, context)
    entry = cache.entry(key, shown)
    if entry is None:
        return None
    if _lacks_fixes(entry, apply_fixes, settings):
        cache.discard(key, shown)
        return None
    # An entry keeps a fixed text only when it differs from the text it was made from,
    # which had these very bytes.
    changed = entry.fixed is not None
    return FileOutcome(
        shown,
        Status.CHANGED if changed else Status.UNCHANGED,
        diagnostics=entry.diagnostics,
        fixed_count=entry.fixed_count if changed else 0,
        found=entry.diagnostics,
    )


def _lacks_fixes(stored: Entry | SourceReport, apply_fixes: bool, settings: Settings) -> bool:
    """The cached result was stored by a run that only reported, and there are fixes to
    make now."""
    return (
        apply_fixes
        and not stored.fixes_applied
        and any(d.fix_applicable(settings.unsafe_fixes) for d in stored.diagnostics)
    )


def _process_bytes(
    path: str,
    shown: str,
    data: bytes,
    before: os.stat_result,
    settings: Settings,
    mode: Mode,
    cache: Cache | None = None,
    incoming: Incoming | None = None,
    apply_fixes: bool = True,
) -> FileOutcome:
    from rewriter.pipeline import InternalError, SourceError, could_name_graph_code, might_hold_graph_code
    from rewriter.source import SourceDecodeError, decode_source

    # Prefilter on bytes: most files cannot hold graph code and are never decoded or parsed.
    # (Non-ASCII text goes on: the parser reads `ｔensorflow` as `tensorflow`.) A module
    # whose functions graph code in other files calls, or that a recorded run saw traced,
    # holds graph code whatever it names.
    called = incoming is not None and bool(incoming.scopes)
    recorded = has_recorded_functions(settings, path)
    if not (called or recorded) and not could_name_graph_code(data, settings.graph_decorators):
        return FileOutcome(shown, Status.SKIPPED)
    if path.endswith(".ipynb"):
        from rewriter.notebook import process_notebook

        return process_notebook(path, shown, data, before, settings, mode)
    if is_markdown(path):
        from rewriter.markdown import process_markdown

        return process_markdown(path, shown, data, before, settings, mode, cache)
    try:
        source = decode_source(data)
        if not (called or recorded) and not might_hold_graph_code(source.text, settings.graph_decorators):
            return FileOutcome(shown, Status.SKIPPED)
        # The result depends on the other files only through `incoming`: its digest is
        # part of the key, so editing a caller re-checks exactly the files it feeds.
        context = incoming.digest() if incoming is not None else ""
        key = cache.key(shown, data, context) if cache is not None else ""
        apply_fixes = apply_fixes or mode is not Mode.CHECK
        report = cache.get(key, source.text, shown) if cache is not None else None
        if report is not None and _lacks_fixes(report, apply_fixes, settings):
            report = None
        if report is None or (mode is Mode.FIX and report.fixed != source.text):
            # Not seen before, or fixes that must be made and written for real.
            report = process_source(source.text, settings, shown, incoming=incoming, apply_fixes=apply_fixes)
            if cache is not None:
                cache.put(key, source.text, report, shown)
    except (SourceDecodeError, SourceError) as exc:
        return FileOutcome(shown, Status.FAILED, error=str(exc))
    except InternalError as exc:
        return FileOutcome(shown, Status.FAILED, error=str(exc), detail=exc.detail)
    changed = report.fixed != source.text
    outcome = FileOutcome(
        shown,
        Status.CHANGED if changed else Status.UNCHANGED,
        diagnostics=report.remaining if mode is Mode.FIX else report.diagnostics,
        fixed_count=report.fixed_count if changed else 0,
        original=source.text,
        fixed=report.fixed,
        found=report.diagnostics,
    )
    if not (mode is Mode.FIX and changed):
        return outcome
    try:
        new_data = source.encode(report.fixed)
    except UnicodeEncodeError as exc:
        return FileOutcome(shown, Status.FAILED, error=f"cannot encode the fix as {source.encoding}: {exc.reason}")
    return write_outcome(path, shown, outcome, data, new_data, before)


__all__ = ["Mode", "WriteError", "display_path", "known_outcome", "process_file", "write_atomic"]
