"""Counting how often files are really processed (not served from the result cache)."""

from __future__ import annotations

import pytest

import rewriter.files
from rewriter.pipeline import process_source
from rewriter.settings import Settings


class Counter:
    """Wraps `process_source` where `rewriter.files` calls it, recording each file it
    processes and whether its fixes were applied."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        self.applied: list[bool] = []
        monkeypatch.setattr(rewriter.files, "process_source", self)

    def __call__(self, text: str, settings: Settings, filename: str = "<string>", **options):  # type: ignore[no-untyped-def]
        self.calls.append(filename)
        self.applied.append(options.get("apply_fixes", True))
        return process_source(text, settings, filename, **options)

    def take(self) -> list[str]:
        """The files processed since the last `take`, sorted."""
        calls, self.calls = sorted(self.calls), []
        return calls
