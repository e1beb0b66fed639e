"""`tfrewrite server` end to end: a real LSP client (pytest-lsp) talks to the server
started as a subprocess, as an editor would."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")
from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

from rewriter import server as lsp_server  # noqa: E402

GRAPH = 'import tensorflow as tf\n\n\n@tf.function\ndef step(x):\n    print("x:", x)\n    return x + 1\n'


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "rewriter", "server"]),
)
async def client(lsp_client: LanguageClient, tmp_path: Path):
    params = types.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("visual-studio-code"),
        root_uri=tmp_path.as_uri(),
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


def open_text(client: LanguageClient, uri: str, text: str, language: str = "python") -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        )
    )


async def diagnostics_of(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    while uri not in client.diagnostics:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics.pop(uri))


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: types.Position) -> int:
        return starts[position.line] + position.character  # ASCII text: units are characters

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


@pytest.mark.timeout(120)
@pytest.mark.asyncio
async def test_findings_code_actions_and_a_fix_that_makes_the_finding_go(client: LanguageClient, tmp_path) -> None:
    uri = (tmp_path / "model.py").as_uri()
    open_text(client, uri, GRAPH)
    found = await diagnostics_of(client, uri)
    assert [(d.code, d.range.start.line, d.range.start.character, d.source) for d in found] == [
        ("AG001", 5, 4, "tfrewrite")
    ]
    assert found[0].code_description is not None
    assert found[0].code_description.href.endswith("#ag001-print-in-graph")

    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=5, character=6)
        )
    )
    assert hover is not None and "print-in-graph (AG001)" in hover.contents.value

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=found[0].range,
            context=types.CodeActionContext(diagnostics=found),
        )
    )
    titles = [a.title for a in actions]
    quick = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    # Printing a parameter's values with tf.print is safe (the tf.Tensor wrapper is
    # presentation), so it is the preferred quick fix and "fix all" offers it too.
    assert len(quick) == 1 and not quick[0].title.endswith("(unsafe)"), titles
    assert quick[0].is_preferred
    assert lsp_server.FIX_ALL_TITLE in titles

    fixed = apply_edits(GRAPH, quick[0].edit.changes[uri])
    assert "tf.print(" in fixed and "import sys" in fixed
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    assert await diagnostics_of(client, uri) == []


@pytest.mark.timeout(120)
@pytest.mark.asyncio
async def test_fix_all_with_the_projects_configuration(client: LanguageClient, tmp_path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.tfrewrite]\nunsafe-fixes = true\n")
    uri = (tmp_path / "model.py").as_uri()
    open_text(client, uri, GRAPH)
    found = await diagnostics_of(client, uri)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
        )
    )
    assert found and [a.title for a in actions] == [lsp_server.FIX_ALL_TITLE]
    fixed = apply_edits(GRAPH, actions[0].edit.changes[uri])
    assert 'tf.print("x:", x, summarize=-1, output_stream=sys.stdout)' in fixed


@pytest.mark.timeout(120)
@pytest.mark.asyncio
async def test_a_syntax_error_is_one_diagnostic_at_the_top_and_the_server_goes_on(
    client: LanguageClient, tmp_path
) -> None:
    broken = (tmp_path / "broken.py").as_uri()
    open_text(client, broken, "import tensorflow as tf\n@tf.function\ndef f(:\n")
    found = await diagnostics_of(client, broken)
    assert len(found) == 1
    assert found[0].range.start == types.Position(line=0, character=0)
    assert found[0].message.startswith("tfrewrite could not check this document: SyntaxError")
    assert "\n" not in found[0].message

    good = (tmp_path / "good.py").as_uri()
    open_text(client, good, GRAPH)
    assert [d.code for d in await diagnostics_of(client, good)] == ["AG001"]


@pytest.mark.timeout(120)
@pytest.mark.asyncio
async def test_a_markdown_document(client: LanguageClient, tmp_path) -> None:
    uri = (tmp_path / "chapter.md").as_uri()
    text = (
        "# Chapter\n\n1. Define:\n\n   ```python\n"
        + "".join("   " + line + "\n" if line else "\n" for line in GRAPH.splitlines())
        + "   ```\n"
    )
    open_text(client, uri, text, "markdown")
    found = await diagnostics_of(client, uri)
    assert [(d.code, d.range.start.line, d.range.start.character) for d in found] == [("AG001", 10, 7)]


@pytest.mark.timeout(120)
@pytest.mark.asyncio
async def test_a_notebook_document(client: LanguageClient, tmp_path) -> None:
    notebook = (tmp_path / "demo.ipynb").as_uri()
    sources = [
        ("markdown", "# Demo"),
        ("python", "import tensorflow as tf"),
        ("python", '@tf.function\ndef step(x):\n    print("x:", x)\n    return x\n'),
        ("python", "step(tf.constant(1))\n"),
    ]
    cells = []
    documents = []
    for index, (language, text) in enumerate(sources):
        cell_uri = f"vscode-notebook-cell:{tmp_path}/demo.ipynb#c{index}"
        kind = types.NotebookCellKind.Markup if language == "markdown" else types.NotebookCellKind.Code
        cells.append(types.NotebookCell(kind=kind, document=cell_uri))
        documents.append(types.TextDocumentItem(uri=cell_uri, language_id=language, version=1, text=text))
    client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=notebook, notebook_type="jupyter-notebook", version=1, cells=cells
            ),
            cell_text_documents=documents,
        )
    )
    third = documents[2].uri
    found = await diagnostics_of(client, third)
    assert [(d.code, d.range.start.line, d.range.start.character) for d in found] == [("AG001", 2, 4)]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=third),
            range=found[0].range,
            context=types.CodeActionContext(diagnostics=found),
        )
    )
    quick = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    assert len(quick) == 1
    changes = quick[0].edit.changes
    # The `import sys` goes into the imports' cell, the tf.print into the graph function's.
    assert set(changes) == {documents[1].uri, third}


def test_a_crash_in_a_check_is_a_problem_not_an_exception(monkeypatch) -> None:
    def explode(*args, **kwargs):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr("rewriter.pipeline.find_violations", explode)
    for fixes in (False, True):
        checked = lsp_server.check([lsp_server.Target("file:///x.py", GRAPH)], "/x.py", fixes=fixes)
        assert checked.problem == "internal error: RuntimeError: boom\nsecond line"
    assert lsp_server.problem_diagnostic(checked.problem).message == (
        "tfrewrite could not check this document: internal error: RuntimeError: boom"
    )


def test_findings_come_without_fixing_and_fix_all_on_request(tmp_path) -> None:
    # Diagnostics do not apply fixes (the slow part); "Fix all" asks for them.
    text = "Text.\n\n```python\n" + GRAPH + "```\n"
    target = lsp_server.Target((tmp_path / "doc.md").as_uri(), text)
    settings = lsp_server.Settings(unsafe_fixes=True)
    quick = lsp_server.check([target], str(tmp_path / "doc.md"), settings=settings)
    assert [d.code for d in quick.findings[target.uri]] == ["AG001"] and quick.fixed is None
    full = lsp_server.check([target], str(tmp_path / "doc.md"), settings=settings, fixes=True)
    assert full.findings == quick.findings
    assert full.fixed is not None
    assert 'tf.print("x:", x, summarize=-1, output_stream=sys.stdout)' in full.fixed[target.uri]
    assert full.fixed[target.uri].startswith("Text.\n\n```python\nimport sys\n")


def test_a_file_the_project_excludes_gets_no_findings(tmp_path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.tfrewrite]\nexclude = ["generated"]\n')
    (tmp_path / "generated").mkdir()
    inside, outside = tmp_path / "generated" / "model.py", tmp_path / "model.py"
    for path, expected in ((inside, []), (outside, ["AG001"])):
        target = lsp_server.Target(path.as_uri(), GRAPH)
        checked = lsp_server.check([target], str(path))
        assert checked.problem is None
        assert [d.code for d in checked.findings.get(target.uri, [])] == expected


def test_a_bad_configuration_is_named(tmp_path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.tfrewrite]\nunsafe-fixes = 3\n")
    path = tmp_path / "model.py"
    checked = lsp_server.check([lsp_server.Target(path.as_uri(), GRAPH)], str(path))
    assert checked.problem == f"{tmp_path / 'pyproject.toml'}: error: unsafe-fixes must be true or false"


def test_columns_are_in_the_clients_units() -> None:
    from pygls.workspace import PositionCodec

    text = 'import tensorflow as tf\n\f\n@tf.function\ndef f(x):\n    s = "\U0001f600"; print(s, x)\n    return x\n'
    target = lsp_server.Target("file:///tmp/emoji.py", text)
    checked = lsp_server.check([target], "/tmp/emoji.py", settings=lsp_server.Settings())
    (finding,) = checked.findings[target.uri]
    assert (finding.row, finding.column) == (5, 14)  # characters, 1-based
    for encoding, column in (("utf-16", 14), ("utf-32", 13), ("utf-8", 16)):
        shown = lsp_server.lsp_diagnostic(finding, text, PositionCodec(encoding))
        assert (shown.range.start.line, shown.range.start.character) == (4, column)


# Eager code around graph code with findings of several rules: fixes safe and unsafe,
# one with an import, and one finding without a fix.
MIXED = """import random

import numpy as np
import tensorflow as tf


def load(path):
    with open(path) as handle:
        print("loading", path)
        return [line.split(",") for line in handle]


class Counter(tf.Module):
    def __init__(self):
        self.count = 0

    @tf.function
    def __call__(self, x):
        v = tf.Variable(tf.zeros_like(x))
        v.assign_add(x)
        self.count += 1
        return v.read_value()


def noisy(x):
    noise = np.random.normal(size=(3,))
    return x + noise


@tf.function
def step(x, y):
    print("tracing", x.shape)
    loss = tf.reduce_mean(tf.square(x - y))
    print(f"loss={loss}")
    return noisy(x) * random.random() + loss


@tf.function
def collect(x, n):
    total = tf.zeros_like(x)
    history = []
    for i in range(n):
        total += x * i
        history.append(total)
    return total, history
"""


def _check_json(path: Path) -> list[dict]:
    import json
    import subprocess

    command = [sys.executable, "-m", "rewriter", "check", "--output-format", "json", path.name]
    done = subprocess.run(command, cwd=path.parent, capture_output=True, text=True, timeout=120)
    return json.loads(done.stdout)


def _span(start: dict, end: dict) -> tuple[int, int, int, int]:
    """A JSON location pair as 0-based LSP line and character numbers (ASCII text)."""
    return (start["row"] - 1, start["column"] - 1, end["row"] - 1, end["column"] - 1)


def _lsp_span(range_: types.Range) -> tuple[int, int, int, int]:
    return (range_.start.line, range_.start.character, range_.end.line, range_.end.character)


@pytest.mark.timeout(240)
@pytest.mark.asyncio
async def test_diagnostics_and_code_actions_are_what_check_and_check_fix_give(client: LanguageClient, tmp_path) -> None:
    import subprocess

    (tmp_path / "pyproject.toml").write_text("[tool.tfrewrite]\nunsafe-fixes = true\n")
    path = tmp_path / "model.py"
    path.write_text(MIXED)
    uri = path.as_uri()
    open_text(client, uri, MIXED)
    shown = await diagnostics_of(client, uri)
    expected = _check_json(path)
    assert len({f["code"] for f in expected}) >= 4 and any(f["fix"] is None for f in expected)
    assert [(d.code, d.message, _lsp_span(d.range)) for d in shown] == [
        (f["code"], f["message"], _span(f["location"], f["end_location"])) for f in expected
    ]

    # Each finding's quick fix makes the edits `check` reports for it.
    for diagnostic, finding in zip(shown, expected):
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=diagnostic.range,
                context=types.CodeActionContext(diagnostics=[diagnostic], only=[types.CodeActionKind.QuickFix]),
            )
        )
        mine = [
            a
            for a in actions
            if [(d.code, _lsp_span(d.range)) for d in a.diagnostics or []]
            == [(diagnostic.code, _lsp_span(diagnostic.range))]
        ]
        if finding["fix"] is None:
            assert mine == []
            continue
        assert len(mine) == 1 and mine[0].title.startswith(f"{finding['code']}: {finding['fix']['message']}")
        assert sorted((_lsp_span(e.range), e.new_text) for e in mine[0].edit.changes[uri]) == sorted(
            (_span(e["location"], e["end_location"]), e["content"]) for e in finding["fix"]["edits"]
        )

    # "Fix all" gives the text `check --fix` writes.
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
        )
    )
    subprocess.run(
        [sys.executable, "-m", "rewriter", "check", "--fix", path.name],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
    )
    assert path.read_text() != MIXED
    assert [a.title for a in actions] == [lsp_server.FIX_ALL_TITLE]
    assert apply_edits(MIXED, actions[0].edit.changes[uri]) == path.read_text()

    # A new version gets its own fixes, not the cached ones of the version before.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=GRAPH)],
        )
    )
    (finding,) = await diagnostics_of(client, uri)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=finding.range,
            context=types.CodeActionContext(diagnostics=[finding]),
        )
    )
    fix_all = [a for a in actions if a.title == lsp_server.FIX_ALL_TITLE]
    assert [a.title.split(":")[0] for a in actions if a.kind == types.CodeActionKind.QuickFix] == ["AG001"]
    assert 'tf.print("x:", x, summarize=-1, output_stream=sys.stdout)' in apply_edits(
        GRAPH, fix_all[0].edit.changes[uri]
    )


@pytest.mark.timeout(120)
@pytest.mark.asyncio
async def test_edits_typed_into_functions_give_a_whole_checks_findings(client: LanguageClient, tmp_path) -> None:
    # The server analyses again only what an edit changed (`rewriter.incremental`): after
    # each edit, its findings are those of a whole check of the text.
    uri = (tmp_path / "model.py").as_uri()
    text = MIXED + "".join(f"\n\ndef filler_{n}(z):\n    return z - {n}\n" for n in range(6))
    open_text(client, uri, text)
    await diagnostics_of(client, uri)
    lines = text.splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith("    return noisy(x)"))
    at = types.Range(start=types.Position(line=row, character=0), end=types.Position(line=row, character=0))
    typed = [
        (at, '    print("y", y)\n'),  # a finding added, the lines below moved
        (
            types.Range(start=types.Position(line=row, character=4), end=types.Position(line=row, character=9)),
            "tf.print",
        ),
        (
            types.Range(start=types.Position(line=2, character=0), end=types.Position(line=3, character=0)),
            "",
        ),  # an import gone
    ]
    for version, (where, new_text) in enumerate(typed, 2):
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangePartial(range=where, text=new_text)],
            )
        )
        text = apply_edits(text, [types.TextEdit(range=where, new_text=new_text)])
        shown = await diagnostics_of(client, uri)
        whole = lsp_server.check([lsp_server.Target(uri, text)], str(tmp_path / "model.py"))
        expected = [(d.code, d.message, d.location.row - 1, d.location.column - 1) for d in whole.findings.get(uri, [])]
        assert [(d.code, d.message, d.range.start.line, d.range.start.character) for d in shown] == expected
        assert expected, version


class _Written:
    """A writer that keeps what the server sends."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.messages.append(data)

    def close(self) -> None:
        pass


@pytest.mark.timeout(60)
@pytest.mark.asyncio
async def test_the_server_keeps_nothing_of_handled_messages(tmp_path) -> None:
    # pygls files each handler's future under the message's id and drops only a request's
    # when it answers; the server's protocol drops the others too, or each edit would
    # leave about 2 kB behind.
    import asyncio
    import json

    server = lsp_server.build()
    protocol = server.protocol
    written = _Written()
    protocol.set_writer(written)
    uri = (tmp_path / "model.py").as_uri()
    numbers = iter(range(1, 1000))

    def send(method: str, params: dict, request: bool = False) -> None:
        message = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            message["id"] = next(numbers)
        protocol.handle_message(json.loads(json.dumps(message), object_hook=protocol.structure_message))

    async def answered(count: int) -> None:
        while sum(b'"result"' in m for m in written.messages) < count:
            await asyncio.sleep(0.01)

    send("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}, request=True)
    await answered(1)
    send("initialized", {})
    send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": GRAPH}})
    for version in range(2, 12):
        change = {
            "range": {"start": {"line": 6, "character": 0}, "end": {"line": 6, "character": 0}},
            "text": "    _ = 0\n",
        }
        send("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": 7, "character": 0}}
    send(
        "textDocument/codeAction", {"textDocument": {"uri": uri}, "range": whole, "context": {"diagnostics": []}}, True
    )
    send("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 5, "character": 4}}, request=True)
    await answered(3)
    while server.pending or not any(b"publishDiagnostics" in m and b"AG001" in m for m in written.messages):
        await asyncio.sleep(0.01)  # the debounced check
    assert protocol._request_futures == {}
