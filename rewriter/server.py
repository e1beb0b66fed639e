"""`tfrewrite server`: a Language Server Protocol server on standard input and output.

Editors get tfrewrite's findings as diagnostics while code is written: on open, change
(debounced) and save, for Python files, Markdown documents and Jupyter notebooks (LSP
3.17 notebook documents, whose cells arrive as separate text documents). Each document is
checked with the configuration of its project (the nearest pyproject.toml with a
[tool.tfrewrite] table, as on the command line). Each fix is offered as a code action
(safe ones as quick fixes, unsafe ones labelled "(unsafe)"), and "Fix all tfrewrite
findings" as a source action; hovering over a finding shows its rule's documentation.

The server never writes files: edits go back to the editor as workspace edits. A check
that fails (a syntax error, a bug in a rule) becomes one diagnostic at the top of the
document, and the server keeps serving.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import json
import os
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.workspace import PositionCodec

from rewriter._version import __version__
from rewriter.results import Diagnostic, FileOutcome
from rewriter.settings import Settings, SettingsError

if TYPE_CHECKING:
    from rewriter.incremental import DocumentFindings
    from rewriter.notebook import Process
    from rewriter.pipeline import SourceReport

SOURCE = "tfrewrite"
FIX_ALL_KIND = "source.fixAll.tfrewrite"
FIX_ALL_TITLE = "Fix all tfrewrite findings"
# Where each rule's section of the README is read (the project page shows the README).
README_URL = "https://pypi.org/project/tfrewrite/"
DEBOUNCE_SECONDS = 0.05  # wait for a pause in typing before checking


def rule_url(code: str) -> str:
    from rewriter.rules import BY_CODE

    rule = BY_CODE.get(code)
    anchor = f"{code}-{rule.NAME}".lower() if rule is not None else "rules"
    return f"{README_URL}#{anchor}"


def path_of(uri: str) -> str:
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


# -- checking one document (no editor state) --------------------------------------------------


@dataclass
class Target:
    """One text document that shows findings: a file, or one cell of a notebook."""

    uri: str
    text: str
    cell: int | None = None  # the cell number tfrewrite's notebook view gives it


@dataclass
class Checked:
    """What checking a document gave: each target's findings, and the fix-all edits."""

    targets: list[Target]
    findings: dict[str, list[Diagnostic]] = field(default_factory=dict)  # by target uri
    problem: str | None = None  # why the document could not be checked
    fixed: dict[str, str] | None = None  # new text of each changed target; None: not computed
    # The findings with their fixes as `check --fix` makes them (a fix that alone removes
    # every use of an import also removes the import): computed with `fixed`.
    fixes: dict[str, list[Diagnostic]] | None = None


def settings_for(path: str) -> Settings:
    """The settings of the project holding `path` (SettingsError on a bad configuration)."""
    return project_of(path)[0]


def project_of(path: str) -> tuple[Settings, str]:
    """The settings of the project holding `path`, and the directory exclusions are
    relative to (its pyproject.toml's, else the file's own)."""
    from rewriter.settings import find_pyproject, load_settings

    directory = Path(path).parent if os.path.isabs(path) else Path.cwd()
    pyproject = find_pyproject(directory)
    return load_settings(pyproject, Settings()), str(pyproject.parent if pyproject else directory)


def excluded(path: str, settings: Settings, base: str) -> bool:
    """Whether the project's `exclude` patterns leave the file out, as `check` would."""
    from rewriter.discover import _excluded, _from_base

    return bool(settings.exclude) and os.path.isabs(path) and _excluded(_from_base(base, path), settings.exclude)


def diagnose(text: str, settings: Settings, filename: str, kept: DocumentFindings | None = None) -> SourceReport:
    """Findings only, with their fixes' edits; the fixes are not applied (that is what
    takes most of a full run's time, and only "Fix all" needs it). With `kept`, the
    findings of the document's earlier versions: only what the edit changed is analysed."""
    from rewriter.pipeline import SourceReport, find_violations, to_diagnostic

    if kept is not None:
        diagnostics = kept.diagnostics(text, filename, settings)
    else:
        module, violations = find_violations(text, filename, settings)
        diagnostics = [to_diagnostic(module, v, filename) for v in violations]
    return SourceReport(diagnostics, text, diagnostics, 0)


def check(
    targets: list[Target],
    path: str,
    notebook: bool = False,
    settings: Settings | None = None,
    fixes: bool = False,
    kept: DocumentFindings | None = None,
) -> Checked:
    """Check a text document (one target) or a notebook's cells; never raises. With
    `fixes`, also compute the text every fix gives (`Checked.fixed`); with `kept`, reuse
    the findings of the document's earlier versions where the edit left them alone."""
    from rewriter.files import Mode
    from rewriter.pipeline import process_source

    checked = Checked(targets)
    process = process_source if fixes else functools.partial(diagnose, kept=kept)
    try:
        if settings is None:
            settings, base = project_of(path)
            if excluded(path, settings, base):
                checked.fixed = {} if fixes else None
                return checked
        shown = os.path.basename(path) or path
        if notebook:
            outcome, fixed_sources = _notebook_outcome(shown, targets, settings, process)
        else:
            outcome = _text_outcome(shown, path, targets[0].text, settings, Mode.DIFF, process)
            fixed_sources = {}
            if outcome.fixed is not None and outcome.fixed != outcome.original:
                fixed_sources[targets[0].uri] = outcome.fixed
    except SettingsError as exc:  # the project's configuration is wrong: say so
        checked.problem = str(exc)
        return checked
    except Exception as exc:  # a bug must not take the server down
        checked.problem = f"internal error: {type(exc).__name__}: {exc}"
        traceback.print_exc()
        return checked
    if outcome.failed:
        checked.problem = outcome.error or "cannot check"
        return checked
    by_cell = {t.cell: t.uri for t in targets}
    for diagnostic in outcome.diagnostics:
        uri = by_cell.get(diagnostic.cell) if notebook else targets[0].uri
        if uri is not None:
            checked.findings.setdefault(uri, []).append(diagnostic)
    checked.fixed = fixed_sources if fixes else None
    return checked


def _text_outcome(shown: str, path: str, text: str, settings: Settings, mode: Any, process: Process) -> FileOutcome:
    from rewriter.file_kinds import is_markdown
    from rewriter.markdown import markdown_outcome
    from rewriter.pipeline import InternalError, SourceError, might_hold_graph_code
    from rewriter.results import Status

    if is_markdown(path):
        return markdown_outcome(shown, text.encode("utf-8", "surrogatepass"), settings, mode, process=process)[0]
    if not might_hold_graph_code(text):
        return FileOutcome(shown, Status.SKIPPED)
    try:
        report = process(text, settings, shown)
    except SourceError as exc:
        return FileOutcome(shown, Status.FAILED, error=str(exc))
    except InternalError as exc:
        return FileOutcome(shown, Status.FAILED, error=str(exc), detail=exc.detail)
    return FileOutcome(
        shown, Status.UNCHANGED, report.diagnostics, report.fixed_count, text, report.fixed, found=report.diagnostics
    )


def _notebook_outcome(
    shown: str, targets: list[Target], settings: Settings, process: Process
) -> tuple[FileOutcome, dict[str, str]]:
    """The notebook's outcome (through the same code as .ipynb files) and new cell texts."""
    from rewriter.files import Mode
    from rewriter.notebook import load, notebook_outcome

    count = max((t.cell for t in targets if t.cell is not None), default=0)
    cells: list[dict[str, Any]] = [{"cell_type": "markdown", "metadata": {}, "source": ""} for _ in range(count)]
    for target in targets:
        if target.cell is not None:
            cells[target.cell - 1] = {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": target.text,
            }
    data = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()
    outcome, _ = notebook_outcome(shown, data, settings, Mode.DIFF, process)
    fixed: dict[str, str] = {}
    if not outcome.failed and outcome.fixed is not None and outcome.fixed != outcome.original:
        notebook = load(data)
        by_cell = {t.cell: t for t in targets}
        for cell, source in zip(notebook.cells, notebook.split_view(outcome.fixed)):
            owner = by_cell.get(cell.number)
            if owner is not None and source != owner.text:
                fixed[owner.uri] = source
    return outcome, fixed


# -- positions -------------------------------------------------------------------------------


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str) -> list[str]:
    """The lines as rows count them (only \\r\\n, \\r and \\n end a line; a form feed does not)."""
    return _LINE.findall(text) or [""]


def _position(row: int, column: int, lines: list[str], codec: PositionCodec) -> types.Position:
    """A 1-based row and character column as an LSP position in the client's units."""
    position = types.Position(line=max(row - 1, 0), character=max(column - 1, 0))
    return codec.position_to_client_units(lines, position)


def _range(start: Any, end: Any, lines: list[str], codec: PositionCodec) -> types.Range:
    return types.Range(
        start=_position(start.row, start.column, lines, codec), end=_position(end.row, end.column, lines, codec)
    )


def _whole(text: str, codec: PositionCodec) -> types.Range:
    lines = _lines(text)
    last = lines[-1]
    if last.endswith(("\n", "\r")):
        end = types.Position(line=len(lines), character=0)
    else:
        end = types.Position(line=len(lines) - 1, character=codec.client_num_units(last))
    return types.Range(start=types.Position(line=0, character=0), end=end)


def lsp_diagnostic(
    diagnostic: Diagnostic, text: str, codec: PositionCodec, lines: list[str] | None = None
) -> types.Diagnostic:
    """`lines` are the text's `_lines`, when the caller converts many diagnostics of one
    text (splitting a 2,000-line text for each of its findings took longer than a check)."""
    lines = lines if lines is not None else _lines(text)
    return types.Diagnostic(
        range=_range(diagnostic.location, diagnostic.end_location, lines, codec),
        message=diagnostic.message,
        severity=types.DiagnosticSeverity.Warning,
        code=diagnostic.code,
        code_description=types.CodeDescription(href=rule_url(diagnostic.code)),
        source=SOURCE,
    )


def problem_diagnostic(problem: str) -> types.Diagnostic:
    return types.Diagnostic(
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
        message=f"tfrewrite could not check this document: {problem}".splitlines()[0],
        severity=types.DiagnosticSeverity.Warning,
        source=SOURCE,
    )


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


# -- the server --------------------------------------------------------------------------------


class Protocol(LanguageServerProtocol):
    """pygls's protocol, forgetting each handler's future once it is done.

    pygls 2.1 files the future of every handler it runs under the message's id, for
    `$/cancelRequest`, but drops it only when it answers a request. A notification's
    future (under an id pygls makes up), and the future of each step of a built-in
    handler, stay forever: about 2 kB per edit, a server that grows while one types.
    A done future can no longer be cancelled, so forgetting it changes nothing else.
    """

    def _execute_handler(self, msg_id: Any, handler: Any, callback: Any, args: Any = None, kwargs: Any = None) -> None:
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        future = self._request_futures.get(msg_id)
        if future is not None:
            future.add_done_callback(functools.partial(self._forget, msg_id))

    def _forget(self, msg_id: Any, future: Any) -> None:
        if self._request_futures.get(msg_id) is future:
            del self._request_futures[msg_id]


class Server(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "tfrewrite",
            __version__,
            protocol_cls=Protocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            notebook_document_sync=types.NotebookDocumentSyncOptions(
                notebook_selector=[
                    types.NotebookDocumentFilterWithCells(
                        notebook="jupyter-notebook",
                        cells=[types.NotebookCellLanguage(language="python")],
                    )
                ],
                save=True,
            ),
        )
        self.results: dict[str, Checked] = {}  # by document (notebook) uri
        self.owner: dict[str, str] = {}  # target uri -> document uri
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.generation: dict[str, int] = {}  # by document uri
        # Checks run one at a time, off the event loop.
        self.worker = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="tfrewrite-check")
        self.published: dict[str, set[str]] = {}  # document uri -> target uris published
        # Each open document's findings, kept between its versions (used by the worker only).
        self.kept: dict[str, DocumentFindings] = {}

    # -- documents ---------------------------------------------------------------------

    def targets(self, uri: str) -> tuple[list[Target], bool] | None:
        notebook = self.workspace.get_notebook_document(notebook_uri=uri)
        if notebook is not None:
            targets = []
            for number, cell in enumerate(notebook.cells, 1):
                if cell.kind != types.NotebookCellKind.Code:
                    continue
                document = self.workspace.get_text_document(cell.document)
                if document.language_id not in (None, "python"):
                    continue
                targets.append(Target(cell.document, document.source, number))
            return targets, True
        if uri in self.workspace.text_documents:
            return [Target(uri, self.workspace.get_text_document(uri).source)], False
        return None

    def bump(self, uri: str) -> int:
        """A new generation of the document: results of checks begun before are dropped."""
        self.generation[uri] = self.generation.get(uri, 0) + 1
        return self.generation[uri]

    async def check_now(self, uri: str, generation: int | None = None) -> None:
        """Check the document as it is now, in the worker thread (so that requests are
        served meanwhile), and publish the findings unless the document changed since."""
        generation = generation if generation is not None else self.bump(uri)
        found = self.targets(uri)
        if found is None:
            return
        targets, notebook = found
        loop = asyncio.get_running_loop()
        kept = self.kept.get(uri)
        if kept is None:
            from rewriter.incremental import DocumentFindings

            kept = self.kept[uri] = DocumentFindings()
        checked = await loop.run_in_executor(
            self.worker, functools.partial(check, targets, path_of(uri), notebook, kept=kept)
        )
        if self.generation.get(uri) != generation:
            return
        self.results[uri] = checked
        codec = self.workspace.position_codec
        published = set()
        for index, target in enumerate(targets):
            self.owner[target.uri] = uri
            if checked.problem is not None:
                items = [problem_diagnostic(checked.problem)] if index == 0 else []
            else:
                lines = _lines(target.text)
                items = [lsp_diagnostic(d, target.text, codec, lines) for d in checked.findings.get(target.uri, [])]
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=target.uri, diagnostics=items))
            published.add(target.uri)
        for gone in self.published.get(uri, set()) - published:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=gone, diagnostics=[]))
        self.published[uri] = published

    def schedule(self, uri: str, delay: float = DEBOUNCE_SECONDS) -> None:
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        generation = self.bump(uri)

        async def later() -> None:
            await asyncio.sleep(delay)
            self.pending.pop(uri, None)
            await self.check_now(uri, generation)

        self.pending[uri] = asyncio.get_running_loop().create_task(later())

    def close(self, uri: str) -> None:
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        self.bump(uri)
        self.results.pop(uri, None)
        self.kept.pop(uri, None)
        for target in self.published.pop(uri, set()):
            self.owner.pop(target, None)
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=target, diagnostics=[]))

    # -- requests ----------------------------------------------------------------------

    def target_text(self, target_uri: str) -> tuple[Checked, Target] | None:
        owner = self.owner.get(target_uri)
        checked = self.results.get(owner) if owner is not None else None
        if checked is None:
            return None
        for target in checked.targets:
            if target.uri == target_uri:
                return checked, target
        return None

    async def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        found = self.target_text(params.text_document.uri)
        if found is None:
            return []
        checked, target = found
        codec = self.workspace.position_codec
        wanted = params.context.only
        actions: list[types.CodeAction] = []
        quick = not wanted or any(types.CodeActionKind.QuickFix.value.startswith(k) for k in wanted)
        fix_all = not wanted or any(FIX_ALL_KIND.startswith(k) for k in wanted)
        if (quick or fix_all) and checked.problem is None and checked.fixed is None:
            await self.complete(checked, target)
        lines = {t.uri: _lines(t.text) for t in checked.targets} if quick else {}
        with_fixes = checked.fixes if checked.fixes is not None else checked.findings
        for diagnostic in with_fixes.get(target.uri, []) if quick else []:
            shown = lsp_diagnostic(diagnostic, target.text, codec, lines[target.uri])
            if diagnostic.fix is None or not diagnostic.fix.edits or not _overlaps(shown.range, params.range):
                continue
            unsafe = diagnostic.fix.applicability != "safe"
            changes: dict[str, list[types.TextEdit]] = {}
            by_cell = {t.cell: t for t in checked.targets}
            for edit in diagnostic.fix.edits:
                where = by_cell.get(edit.cell, target) if edit.cell is not None else target
                changes.setdefault(where.uri, []).append(
                    types.TextEdit(
                        range=_range(edit.location, edit.end_location, lines[where.uri], codec), new_text=edit.content
                    )
                )
            actions.append(
                types.CodeAction(
                    title=f"{diagnostic.code}: {diagnostic.fix.message}" + (" (unsafe)" if unsafe else ""),
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[shown],
                    is_preferred=not unsafe,
                    edit=types.WorkspaceEdit(changes=changes),
                )
            )
        if fix_all and checked.fixed:
            changes = {}
            for other in checked.targets:
                if other.uri in checked.fixed:
                    changes[other.uri] = [
                        types.TextEdit(range=_whole(other.text, codec), new_text=checked.fixed[other.uri])
                    ]
            actions.append(
                types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL_KIND, edit=types.WorkspaceEdit(changes=changes))
            )
        return actions

    async def complete(self, checked: Checked, target: Target) -> None:
        """Apply every fix, as `check --fix` does, the first time the editor asks for code
        actions on this version of the document (diagnostics do without: it is the slow
        part); the result stays with the version's findings."""
        owner = self.owner[target.uri]
        notebook = self.workspace.get_notebook_document(notebook_uri=owner) is not None
        loop = asyncio.get_running_loop()
        complete = await loop.run_in_executor(
            self.worker, functools.partial(check, checked.targets, path_of(owner), notebook, fixes=True)
        )
        checked.fixed = complete.fixed if complete.fixed is not None else {}  # {}: fixing failed; not again
        if complete.problem is None:
            checked.fixes = complete.findings

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        from rewriter.rules import BY_CODE

        found = self.target_text(params.text_document.uri)
        if found is None:
            return None
        checked, target = found
        codec = self.workspace.position_codec
        point = types.Range(start=params.position, end=params.position)
        lines = _lines(target.text)
        for diagnostic in checked.findings.get(target.uri, []):
            shown = lsp_diagnostic(diagnostic, target.text, codec, lines)
            rule = BY_CODE.get(diagnostic.code)
            if rule is not None and _overlaps(shown.range, point):
                text = f"{rule.documentation()}\n[{diagnostic.code} in the README]({rule_url(diagnostic.code)})\n"
                return types.Hover(
                    contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text), range=shown.range
                )
        return None


def build() -> Server:
    server = Server()

    # Notification handlers are plain functions: they schedule the (debounced) check and
    # return at once, so that typing is never held up by a check.
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: Server, params: types.DidOpenTextDocumentParams) -> None:
        if ls.workspace.get_notebook_document(cell_uri=params.text_document.uri) is None:
            ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: Server, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: Server, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: Server, params: types.DidCloseTextDocumentParams) -> None:
        ls.close(params.text_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def notebook_open(ls: Server, params: types.DidOpenNotebookDocumentParams) -> None:
        ls.schedule(params.notebook_document.uri, 0)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def notebook_change(ls: Server, params: types.DidChangeNotebookDocumentParams) -> None:
        ls.schedule(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    def notebook_save(ls: Server, params: types.DidSaveNotebookDocumentParams) -> None:
        ls.schedule(params.notebook_document.uri, 0)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_close(ls: Server, params: types.DidCloseNotebookDocumentParams) -> None:
        ls.close(params.notebook_document.uri)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    async def code_action(ls: Server, params: types.CodeActionParams) -> list[types.CodeAction]:
        return await ls.code_actions(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: Server, params: types.HoverParams) -> types.Hover | None:
        return ls.hover(params)

    return server


def serve() -> None:
    """Serve on standard input and output until the client says exit."""
    build().start_io()
