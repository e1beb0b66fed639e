"""Writing a fixed file in one step: the old text or the new one, never a mix or a loss."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator

from rewriter.results import FileOutcome, Status


class WriteError(OSError):
    """The fixed text could not be written; the file is as it was."""


def write_outcome(
    path: str, shown: str, outcome: FileOutcome, data: bytes, new_data: bytes, before: os.stat_result
) -> FileOutcome:
    """`outcome`, after writing `new_data` over the file's `data` when they differ; a
    FAILED outcome when the write fails (the file is then as it was)."""
    if new_data != data:
        try:
            write_atomic(path, new_data, data, before)
        except OSError as exc:  # WriteError included
            return FileOutcome(shown, Status.FAILED, error=f"not written: {exc.strerror or exc}")
    return outcome


def write_atomic(path: str, data: bytes, expected: bytes, before: os.stat_result) -> None:
    """Replace the file's content with `data` in one step, keeping its mode.

    The new text goes to a temporary file beside the target, then `os.replace` swaps it
    in, so an interruption leaves either the old or the new file. Refuses to write a
    read-only file (it never changes permissions) or one that changed since it was read.
    """
    real = os.path.realpath(path)
    current = os.stat(real)
    if not current.st_mode & stat.S_IWUSR:
        raise WriteError(0, "the file is read-only")
    if (current.st_mtime_ns, current.st_size) != (before.st_mtime_ns, before.st_size):
        raise WriteError(0, "the file changed while it was being processed")
    with _interruptions_held():
        _replace(real, data, expected, current)


def _replace(real: str, data: bytes, expected: bytes, current: os.stat_result) -> None:
    import tempfile  # (only to write: a check need not import it)

    directory, name = os.path.split(real)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tfrewrite", dir=directory)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, stat.S_IMODE(current.st_mode))
        try:
            os.chown(temporary, current.st_uid, current.st_gid)
        except OSError:
            pass  # not permitted for other users' files; the mode is what matters
        with open(real, "rb") as handle:
            if handle.read() != expected:
                raise WriteError(0, "the file changed while it was being processed")
        os.replace(temporary, real)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


@contextlib.contextmanager
def _interruptions_held() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) and SIGTERM while a file is being replaced.

    A signal that arrives meanwhile takes effect right after, when the file is either
    wholly new or as it was and no temporary file is left beside it.
    """
    import signal

    held = {signal.SIGINT, signal.SIGTERM}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError, OSError):  # no signal masks on this platform
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
