"""Result values: diagnostics and per-file outcomes (never exceptions)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Mode(enum.Enum):
    """What a run does with each file."""

    CHECK = "check"  # report only
    DIFF = "diff"  # compute fixes, write nothing
    FIX = "fix"  # write fixes in place


@dataclass(frozen=True)
class Location:
    row: int  # 1-based
    column: int  # 1-based, in characters


@dataclass(frozen=True)
class EditInfo:
    content: str
    location: Location
    end_location: Location
    cell: int | None = None  # notebook cell the edit lies in, 1-based (rows are relative to it)


@dataclass(frozen=True)
class FixInfo:
    applicability: str  # "safe" | "unsafe" | "display-only"
    message: str
    edits: tuple[EditInfo, ...]


@dataclass(frozen=True)
class Diagnostic:
    """One finding, in Ruff's shape (rows and columns are 1-based)."""

    code: str
    name: str
    message: str
    filename: str
    location: Location
    end_location: Location
    fix: FixInfo | None = None
    cell: int | None = None  # notebook cell number, 1-based

    @property
    def row(self) -> int:
        return self.location.row

    @property
    def column(self) -> int:
        return self.location.column

    def fix_applicable(self, unsafe_fixes: bool) -> bool:
        if self.fix is None:
            return False
        return self.fix.applicability == "safe" or (unsafe_fixes and self.fix.applicability == "unsafe")

    def to_json(self) -> dict[str, Any]:
        fix = None
        if self.fix is not None:
            fix = {
                "applicability": self.fix.applicability,
                "message": self.fix.message,
                "edits": [
                    {
                        "content": e.content,
                        "location": _loc(e.location),
                        "end_location": _loc(e.end_location),
                        **({"cell": e.cell} if e.cell is not None else {}),
                    }
                    for e in self.fix.edits
                ],
            }
        return {
            "cell": self.cell,
            "code": self.code,
            "end_location": _loc(self.end_location),
            "filename": self.filename,
            "fix": fix,
            "location": _loc(self.location),
            "message": self.message,
            "noqa_row": self.location.row,
            "url": None,
        }


def _loc(location: Location) -> dict[str, int]:
    return {"column": location.column, "row": location.row}


class Status(enum.Enum):
    UNCHANGED = "unchanged"  # looked at; nothing to write
    CHANGED = "changed"  # fixes apply (written with --fix)
    SKIPPED = "skipped"  # not looked at closely (prefilter, excluded)
    FAILED = "failed"  # could not be processed; `error` says why


@dataclass
class FileOutcome:
    """What happened to one file. `diagnostics` are those still to report."""

    path: str
    status: Status
    diagnostics: list[Diagnostic] = field(default_factory=list)
    fixed_count: int = 0
    original: str | None = None
    fixed: str | None = None
    error: str | None = None
    detail: str | None = None  # a traceback, shown only with --verbose
    # Every finding in the file as read, before fixes (with --fix, `diagnostics` holds only
    # those left); reports use it to say what changed.
    found: list[Diagnostic] = field(default_factory=list)
    # Things left out that a reader may want to know of (a Markdown code block that is
    # not Python, say); shown with --verbose.
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status is Status.FAILED
