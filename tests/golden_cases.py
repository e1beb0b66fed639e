"""Golden cases: `golden/<rule_module>/<case>.in.py` beside `<case>.out.py`.

No `.out.py` means the input must come out byte-identical. `<case>.findings` lists the
findings in the input (`row:col: CODE message [*]`). An optional first line
`# tfrewrite: --unsafe-fixes --select AG001` sets options. An optional
`<case>.traces.json` is the trace file of a recorded run (`tfrewrite trace`) of the case,
its paths relative to the case's folder.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from rewriter.output.text import diagnostic_line
from rewriter.pipeline import process_source
from rewriter.settings import Settings
from rewriter.source import decode_source

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
HEADER = "# tfrewrite:"


@dataclass(frozen=True)
class Case:
    input: Path

    @property
    def id(self) -> str:
        return f"{self.input.parent.name}/{self.input.name[: -len('.in.py')]}"

    @property
    def output(self) -> Path:
        return self.input.with_name(self.input.name.replace(".in.py", ".out.py"))

    @property
    def findings(self) -> Path:
        return self.input.with_name(self.input.name.replace(".in.py", ".findings"))

    @property
    def traces(self) -> Path:
        return self.input.with_name(self.input.name.replace(".in.py", ".traces.json"))

    def settings(self) -> Settings:
        first = self.input.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace").strip()
        settings = Settings()
        if self.traces.exists():
            stat = self.traces.stat()
            settings = settings.replace(
                trace_file=str(self.traces),
                trace_root=str(self.input.parent),
                trace_version=(stat.st_mtime_ns, stat.st_size),
            )
        if not first.startswith(HEADER):
            return settings
        words = shlex.split(first[len(HEADER) :])
        while words:
            word = words.pop(0)
            if word == "--unsafe-fixes":
                settings = settings.replace(unsafe_fixes=True)
            elif word == "--select":
                settings = settings.replace(select=frozenset(words.pop(0).split(",")))
            elif word == "--ignore":
                settings = settings.replace(ignore=frozenset(words.pop(0).split(",")))
            elif word == "--graph-decorator":
                settings = settings.replace(graph_decorators=settings.graph_decorators | {words.pop(0)})
            elif word == "--range-unroll-max":
                settings = settings.replace(range_unroll_max=int(words.pop(0)))
            else:
                raise ValueError(f"{self.input}: unknown golden option {word!r}")
        return settings

    def text(self) -> str:
        return decode_source(self.input.read_bytes()).text

    def expected_bytes(self) -> bytes:
        return (self.output if self.output.exists() else self.input).read_bytes()


@dataclass(frozen=True)
class Rewritten:
    output: bytes
    findings: str
    second_pass: bytes


def rewrite(case: Case) -> Rewritten:
    """What `tfrewrite check --fix` makes of the case, plus a second pass over that."""
    settings = case.settings()
    source = decode_source(case.input.read_bytes())
    # The full path, which a trace file's entries are matched against.
    name = str(case.input) if case.traces.exists() else case.input.name
    report = process_source(source.text, settings, name)
    findings = "".join(
        diagnostic_line(d, settings.unsafe_fixes).split(":", 1)[1].lstrip() + "\n" for d in report.diagnostics
    )
    again = process_source(report.fixed, settings, name)
    return Rewritten(source.encode(report.fixed), findings, source.encode(again.fixed))


def all_cases() -> list[Case]:
    return [Case(p) for p in sorted(GOLDEN.glob("*/*.in.py"))]
