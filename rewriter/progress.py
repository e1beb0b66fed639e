"""A one-line progress bar on a terminal: files done of total, rate and time left.

Drawn only once a run has taken `delay` seconds (so quick runs never flicker; the
environment variable TFREWRITE_PROGRESS_DELAY changes it), redrawn at most ten times a
second, and erased when the run ends so the report that follows starts on a clean line.
The caller decides whether the stream is a terminal; this module only draws.
"""

from __future__ import annotations

import os
import shutil
import time
from typing import TextIO

DEFAULT_DELAY = 0.25  # seconds
REDRAW_INTERVAL = 0.1  # seconds


def _delay_from_environment() -> float:
    try:
        return max(0.0, float(os.environ.get("TFREWRITE_PROGRESS_DELAY", DEFAULT_DELAY)))
    except ValueError:
        return DEFAULT_DELAY


class Progress:
    def __init__(self, total: int, stream: TextIO, delay: float | None = None) -> None:
        self.total = total
        self.stream = stream
        self.delay = _delay_from_environment() if delay is None else delay
        self.done = 0
        self.start = time.monotonic()
        self._last_draw = float("-inf")
        self._drawn = False
        self._fill, self._empty = ("█", "░") if _can_encode(stream, "█░") else ("#", "-")

    def advance(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.start < self.delay or now - self._last_draw < REDRAW_INTERVAL:
            return
        self._last_draw = now
        self._draw(now)

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")  # back to the start of the line, erase it
            self.stream.flush()

    def line(self, now: float, width: int) -> str:
        """The bar as text, at most `width` characters."""
        elapsed = max(now - self.start, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else None
        counts = f"{self.done:>{len(str(self.total))}}/{self.total} files"
        tail = f" {100 * self.done // max(self.total, 1):3d}%  {rate:,.0f} files/s  ETA {_clock(left)}"
        room = width - len(counts) - len(tail) - 4
        if room >= 10:
            cells = min(room, 40)
            full = cells * self.done // max(self.total, 1)
            return f"{counts} [{self._fill * full}{self._empty * (cells - full)}]{tail}"
        return (counts + tail)[:width]

    def width(self) -> int:
        """Columns to draw in: the stream's terminal's, else $COLUMNS, else 80 (less one,
        so the cursor never wraps)."""
        columns = 0
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            pass
        if columns <= 0:  # not known (a pseudo-terminal nobody sized, say)
            columns = shutil.get_terminal_size((80, 24)).columns
        return max(columns - 1, 20)

    def _draw(self, now: float) -> None:
        self.stream.write("\r" + self.line(now, self.width()) + "\x1b[K")
        self.stream.flush()
        self._drawn = True


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"


def _can_encode(stream: TextIO, text: str) -> bool:
    try:
        text.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True
