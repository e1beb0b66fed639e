"""Capturing what a call prints, at the file-descriptor level (runs in the verify child).

`tf.print` writes from C++ straight to descriptors 1 and 2, so swapping `sys.stdout`
alone would miss it; this swaps the descriptors themselves.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Iterator

# Lines that TensorFlow and absl log on their own; they are not the program's output.
_LOG_PREFIXES = ("WARNING:", "INFO:", "I0000", "W0000", "E0000")


@contextlib.contextmanager
def captured_fds() -> Iterator[dict[str, str]]:
    """Capture descriptors 1 and 2 (and Python's sys.stdout/sys.stderr, which write there).

    The dict it yields holds "stdout" and "stderr" once the block ends.
    """
    captured: dict[str, str] = {}
    sys.stdout.flush()
    sys.stderr.flush()
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    files = {fd: tempfile.TemporaryFile() for fd in (1, 2)}
    old_streams = sys.stdout, sys.stderr
    try:
        for fd, handle in files.items():
            os.dup2(handle.fileno(), fd)
        # Unbuffered Python streams on the same descriptors keep Python and C++ writes
        # in the order they happened.
        sys.stdout = io.TextIOWrapper(os.fdopen(os.dup(1), "wb", buffering=0), write_through=True)
        sys.stderr = io.TextIOWrapper(os.fdopen(os.dup(2), "wb", buffering=0), write_through=True)
        yield captured
    finally:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
            stream.close()
        sys.stdout, sys.stderr = old_streams
        for fd in (1, 2):
            os.dup2(saved[fd], fd)
            os.close(saved[fd])
        for name, fd in (("stdout", 1), ("stderr", 2)):
            files[fd].seek(0)
            captured[name] = program_output(files[fd].read().decode("utf-8", errors="replace"))
            files[fd].close()


def program_output(text: str) -> str:
    """`text` without TensorFlow's own log lines."""
    keep = [
        line
        for line in text.splitlines(keepends=True)
        if not line.startswith(_LOG_PREFIXES) and " tensorflow/" not in line
    ]
    return "".join(keep)
