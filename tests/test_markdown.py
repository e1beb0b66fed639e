"""Markdown documents: Python code blocks as one module, fixed in place, the rest kept.

The cases in tests/markdown_cases are golden-style: `<name>.in.<suffix>` is the document,
`<name>.out.<suffix>` what `--fix --unsafe-fixes` makes of it (no `.out` file: must not
change).
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from rewriter import markdown
from rewriter.cli import main
from rewriter.discover import discover
from rewriter.files import Mode, process_file
from rewriter.results import Status
from rewriter.settings import Settings

CASES = Path(__file__).parent / "markdown_cases"
INPUTS = sorted(CASES.glob("*.in.*"))


def expected_of(case: Path) -> Path:
    return case.with_name(case.name.replace(".in.", ".out."))


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def copy(case: Path, tmp_path: Path, name: str | None = None, crlf: bool = False) -> Path:
    data = case.read_bytes()
    if crlf:
        data = data.replace(b"\n", b"\r\n")
    target = tmp_path / (name or case.name.replace(".in.", "."))
    target.write_bytes(data)
    return target


def outside_blocks(data: bytes) -> list[str]:
    document = markdown.load(data)
    return markdown._outside(document)


# --- golden cases ------------------------------------------------------------------------


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
@pytest.mark.parametrize("case", INPUTS, ids=lambda p: p.name)
def test_fix_gives_the_golden_output_and_a_second_fix_changes_nothing(
    case: Path, crlf: bool, tmp_path: Path, capsys
) -> None:
    target = copy(case, tmp_path, crlf=crlf)
    expected_path = expected_of(case)
    expected = expected_path.read_bytes() if expected_path.exists() else case.read_bytes()
    if crlf:
        expected = expected.replace(b"\n", b"\r\n")
    run(["check", "--fix", "--unsafe-fixes", "--no-cache", str(target)], capsys)
    assert target.read_bytes() == expected
    first = target.read_bytes()
    run(["check", "--fix", "--unsafe-fixes", "--no-cache", str(target)], capsys)
    assert target.read_bytes() == first


@pytest.mark.parametrize("case", [c for c in INPUTS if expected_of(c).exists()], ids=lambda p: p.name)
def test_everything_outside_the_python_blocks_keeps_its_bytes(case: Path) -> None:
    expected_path = expected_of(case)
    before, after = outside_blocks(case.read_bytes()), outside_blocks(expected_path.read_bytes())
    assert before == after
    assert "".join(before) != ""  # the test compares something


# --- findings, diffs, output formats ------------------------------------------------------


def test_findings_carry_the_documents_rows_and_columns(tmp_path: Path, capsys) -> None:
    target = copy(CASES / "tutorial.in.md", tmp_path)
    code, out, _ = run(["check", "--no-cache", str(target.name)], capsys)
    assert code == 1
    lines = target.read_text().splitlines()
    found = [line.split(" ")[0] for line in out.splitlines() if "AG001" in line]
    assert found == ["tutorial.md:22:5:", "tutorial.md:48:8:", "tutorial.md:64:7:"]
    for where in found:
        _, row, column, _ = where.split(":")
        assert lines[int(row) - 1][int(column) - 1 :].startswith("print(")


def test_a_graph_function_defined_in_one_block_and_called_in_another_is_seen(tmp_path: Path, capsys) -> None:
    # `step` in block 2 is called in block 3 only; the tensor fact comes from the call.
    target = copy(CASES / "tutorial.in.md", tmp_path)
    document = markdown.load(target.read_bytes())
    assert "def step" in document.view and "step(tf.constant(i))" in document.view
    assert [b.first_row for b in document.cells] == [13, 20, 33, 40, 46, 62]


def test_diff_shows_the_documents_lines(tmp_path: Path, capsys) -> None:
    target = copy(CASES / "tutorial.in.md", tmp_path)
    code, out, _ = run(["check", "--diff", "--unsafe-fixes", "--no-cache", target.name], capsys)
    assert code == 1
    assert out.startswith("--- a/tutorial.md\n+++ b/tutorial.md\n")
    assert "@@ -45,7 +47,7 @@" in out
    assert "-       print(x)\n+       tf.print(x, summarize=-1, output_stream=sys.stdout)\n" in out
    assert '->     print("quoted", x)\n' in out
    assert target.read_bytes() == (CASES / "tutorial.in.md").read_bytes()


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
def test_fix_edits_in_json_rebuild_the_fixed_document(tmp_path: Path, capsys, crlf: bool) -> None:
    for case in (CASES / "tutorial.in.md", CASES / "listed.in.qmd"):
        target = copy(case, tmp_path, crlf=crlf)
        _, out, _ = run(["check", "--output-format", "json", "--unsafe-fixes", "--no-cache", target.name], capsys)
        findings = json.loads(out)
        assert findings and all(f["cell"] is None for f in findings)
        text = target.read_bytes().decode()
        starts = [0]
        for line in text.splitlines(keepends=True):
            starts.append(starts[-1] + len(line))

        def offset(location: dict, starts: list[int] = starts) -> int:
            return starts[location["row"] - 1] + location["column"] - 1

        edits = {
            (e["content"], offset(e["location"]), offset(e["end_location"]))
            for f in findings
            for e in f["fix"]["edits"]
        }
        for content, start, end in sorted(edits, key=lambda e: e[1], reverse=True):
            text = text[:start] + content + text[end:]
        expected = expected_of(case).read_bytes().decode()
        assert text == (expected.replace("\n", "\r\n") if crlf else expected)


def test_sarif_and_github_point_at_the_document(tmp_path: Path, capsys) -> None:
    target = copy(CASES / "listed.in.qmd", tmp_path)
    _, out, _ = run(["check", "--output-format", "github", "--no-cache", target.name], capsys)
    assert out.startswith("::error file=listed.qmd,line=18,col=8,endLine=18,endColumn=16,title=AG001::")
    _, out, _ = run(["check", "--output-format", "sarif", "--no-cache", target.name], capsys)
    result = json.loads(out)["runs"][0]["results"][0]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (18, 8)


# --- skipped blocks, bad input ---------------------------------------------------------------


def test_blocks_that_are_not_python_are_skipped_with_a_note_under_verbose(tmp_path: Path, capsys) -> None:
    target = copy(CASES / "tutorial.in.md", tmp_path)
    code, _, err = run(["check", "--no-cache", target.name], capsys)
    assert code == 1 and "note" not in err
    code, _, err = run(["check", "--verbose", "--no-cache", target.name], capsys)
    assert code == 1
    assert "tutorial.md: note: line 54: code block skipped: not Python (SyntaxError" in err


def test_a_document_with_only_console_sessions_passes(tmp_path: Path, capsys) -> None:
    target = copy(CASES / "prose.in.md", tmp_path)
    code, out, err = run(["check", "--fix", "--no-cache", target.name], capsys)
    assert code == 0 and "error" not in err
    assert target.read_bytes() == (CASES / "prose.in.md").read_bytes()


def test_a_document_that_is_not_utf8_is_a_one_line_error(tmp_path: Path, capsys) -> None:
    target = tmp_path / "latin.md"
    target.write_bytes("# Caf\xe9\n\n```python\nimport tensorflow as tf\n@tf.function\n```\n".encode("latin-1"))
    code, _, err = run(["check", "--fix", "--no-cache", target.name], capsys)
    assert code == 2
    assert err == "latin.md: error: not UTF-8: byte 0xe9 at offset 5\n"


def test_a_document_in_another_encoding_that_never_names_tensorflow_is_skipped(tmp_path: Path, capsys) -> None:
    (tmp_path / "README.md").write_bytes("# Caf\xe9\n\n```python\nprint(1)\n```\n".encode("latin-1"))
    code, out, err = run(["check", "--no-cache", "."], capsys)
    assert (code, err) == (0, "")


def test_a_block_whose_lines_cannot_be_mapped_is_skipped() -> None:
    # A tab that the list item's indentation splits: markdown-it gives the code with
    # spaces the file does not have, so the block is left alone rather than rewritten.
    text = "- item\n\n\t```python\n\t\tx = 1\n\t```\n"
    document = markdown.parse(text)
    if document.cells:  # the parser kept the tab: then the prefix must be the file's
        assert document.cells[0].prefixes[0].startswith("\t")
    else:
        assert document.notes and "cannot be mapped" in document.notes[0]


def test_languages_and_fences() -> None:
    text = "".join(
        f"{fence}{info}\nx{i} = {i}\n{fence}\n\n"
        for i, (fence, info) in enumerate(
            [
                ("```", "python"),
                ("```", "py"),
                ("~~~", "python3"),
                ("```", "ipython"),
                ("````", "{python}"),
                ("```", "{.python .numberLines}"),
                ("```", "pycon"),
                ("```", ""),
                ("```", "javascript"),
            ]
        )
    )
    document = markdown.parse(text)
    assert [b.source for b in document.cells] == [f"x{i} = {i}\n" for i in range(6)]


# --- discovery, cache, stdin, apply, review -------------------------------------------------------


def test_discovery_includes_markdown_and_honours_exclude(tmp_path: Path) -> None:
    for name in ("a.md", "b.markdown", "c.qmd", "d.txt", "docs/e.md", "f.py"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x\n")
    found = discover(["."]).files
    assert found == ["a.md", "b.markdown", "c.qmd", "docs/e.md", "f.py"]
    assert discover(["."], exclude=("docs",)).files == ["a.md", "b.markdown", "c.qmd", "f.py"]


def test_a_directory_run_checks_markdown(tmp_path: Path, capsys) -> None:
    (tmp_path / "book").mkdir()
    copy(CASES / "tutorial.in.md", tmp_path, name="book/chapter.md")
    code, out, _ = run(["check", "--no-cache", "book"], capsys)
    assert code == 1
    assert out.count("book/chapter.md:") == 3


def test_the_cache_serves_markdown(tmp_path: Path, capsys) -> None:
    target = copy(CASES / "tutorial.in.md", tmp_path)
    first = run(["check", target.name], capsys)
    assert list(tmp_path.glob(".tfrewrite_cache/*/*"))
    second = run(["check", target.name], capsys)
    assert first == second
    code, _, _ = run(["check", "--fix", "--unsafe-fixes", target.name], capsys)
    assert target.read_bytes() == (CASES / "tutorial.out.md").read_bytes()


def test_markdown_on_standard_input_by_its_name(tmp_path: Path, monkeypatch, capsys) -> None:
    data = (CASES / "listed.in.qmd").read_bytes()
    stdout = io.BytesIO()

    class Stdin:
        buffer = io.BytesIO(data)

    class Stdout:
        buffer = stdout

        def write(self, text: str) -> None:
            stdout.write(text.encode())

        def flush(self) -> None:
            pass

    monkeypatch.setattr("sys.stdin", Stdin)
    monkeypatch.setattr("sys.stdout", Stdout())
    code = main(["check", "--fix", "--unsafe-fixes", "--stdin-filename", "x.qmd", "-"])
    assert code == 0
    assert stdout.getvalue() == (CASES / "listed.out.qmd").read_bytes()


def test_apply_takes_the_diff_and_refuses_changes_outside_blocks(tmp_path: Path, capsys) -> None:
    target = copy(CASES / "tutorial.in.md", tmp_path)
    _, patch, _ = run(["check", "--diff", "--unsafe-fixes", "--no-cache", target.name], capsys)
    (tmp_path / "fix.diff").write_text(patch)
    code, _, _ = run(["apply", "fix.diff"], capsys)
    assert code == 0
    assert target.read_bytes() == (CASES / "tutorial.out.md").read_bytes()

    shutil.copy(CASES / "tutorial.in.md", target)
    prose = patch.replace("@@ -10,6 +10,8 @@\n </div>\n", "@@ -10,6 +10,8 @@\n-</div>\n+</section>\n")
    assert prose != patch
    (tmp_path / "prose.diff").write_text(prose)
    code, _, err = run(["apply", "prose.diff"], capsys)
    assert code != 0
    assert "not confined to the Python code blocks" in err
    assert target.read_bytes() == (CASES / "tutorial.in.md").read_bytes()


def test_review_writes_accepted_hunks_of_a_document(tmp_path: Path) -> None:
    from rewriter.review import Reviewer

    target = copy(CASES / "listed.in.qmd", tmp_path)
    out = io.StringIO()
    reviewer = Reviewer(io.StringIO("a\n"), out, False, True)
    reviewer.review_file(target.name, Settings(unsafe_fixes=True), Mode.DIFF)
    assert "AG001" in out.getvalue()
    assert target.read_bytes() == (CASES / "listed.out.qmd").read_bytes()


def test_outcome_of_a_markdown_file_keeps_the_documents_text(tmp_path: Path) -> None:
    target = copy(CASES / "tutorial.in.md", tmp_path)
    outcome = process_file(str(target), Settings(unsafe_fixes=True), Mode.DIFF)
    assert outcome.status is Status.CHANGED
    assert outcome.original == (CASES / "tutorial.in.md").read_text()
    assert outcome.fixed == (CASES / "tutorial.out.md").read_text()
    assert outcome.notes == ["line 54: code block skipped: not Python (SyntaxError: invalid syntax (line 1, column 1))"]


# --- round trips ------------------------------------------------------------------------------


def _documents():
    from hypothesis import strategies as st

    prose = st.sampled_from(["Text.", "", "   ", "| a | b |", "<div>", "---", "> quote", "  trailing  ", "# Head"])
    code = st.sampled_from(["x = 1", "", "def f(x):", "    return x", "%timeit f(1)", "y = [", "]", "# note  "])
    fence = st.tuples(
        st.sampled_from(["", "  ", "   ", "> ", "- ", "1. "]),  # container prefix
        st.sampled_from(["```", "~~~", "````"]),
        st.sampled_from(["python", "py", "ipython", "{python}", "text", ""]),
        st.lists(code, max_size=5),
    )
    piece = st.one_of(prose, fence)
    return st.tuples(st.lists(piece, max_size=8), st.sampled_from(["\n", "\r\n"]), st.booleans())


def _render(pieces, newline: str, final_newline: bool) -> str:
    lines = []
    for piece in pieces:
        if isinstance(piece, str):
            lines.append(piece)
            continue
        prefix, fence, info, code = piece
        inner = " " * len(prefix) if prefix[:1] in ("-", "1") else prefix
        lines.append(prefix + fence + info)
        lines.extend(inner + line if line else inner.rstrip() for line in code)
        lines.append(inner + fence)
    text = newline.join(lines)
    return text + newline if final_newline and text else text


def test_round_trip_property() -> None:
    from hypothesis import given, settings

    @settings(max_examples=300, deadline=None)
    @given(_documents())
    def check(document) -> None:
        text = _render(*document)
        parsed = markdown.parse(text)
        assert parsed.with_view(parsed.view) == text
        for block in parsed.cells:
            assert text[block.span[0] : block.span[1]].count("\n") <= len(block.prefixes)
        # A change to every block's code keeps everything else and the blocks themselves.
        sources = [b.source + "z = 2\n" if not b.closed else b.source + "\nz = 2" for b in parsed.cells]
        if not sources:
            return
        from rewriter.cells import join_cells

        try:
            changed = parsed.with_view(join_cells([(b.number, s) for b, s in zip(parsed.cells, sources)]))
        except markdown.MarkdownError:
            return  # e.g. `z = 2` added inside an open bracket
        assert markdown._outside(markdown.parse(changed)) == markdown._outside(parsed)
        assert [b.source for b in markdown.parse(changed).cells] == sources

    check()
