"""Fixes as data: text edits, the imports they need, and how far to trust them."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Applicability(enum.Enum):
    """How far a fix can be trusted (Ruff's levels)."""

    SAFE = "safe"  # keeps eager behaviour and makes the graph agree with it
    UNSAFE = "unsafe"  # may change behaviour in a way the message names
    DISPLAY_ONLY = "display-only"  # a suggestion to read, never applied


@dataclass(frozen=True, order=True)
class Edit:
    """Replace text[start:end] with `content` (offsets in characters).

    Contents use "\\n"; the engine converts them to the file's line ending.
    """

    start: int
    end: int
    content: str


@dataclass(frozen=True)
class ImportRequest:
    """A module-level import a fix needs: `import module` (bound as `name`)."""

    module: str
    name: str


@dataclass(frozen=True)
class Fix:
    applicability: Applicability
    message: str
    edits: tuple[Edit, ...]
    imports: tuple[ImportRequest, ...] = ()
