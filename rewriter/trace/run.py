"""`tfrewrite trace -- COMMAND`: run a program with the recorder injected, then merge.

The recorder reaches the program through a `sitecustomize` module in a temporary
folder put first on `PYTHONPATH`; it chains to any other `sitecustomize` the program
would have loaded. Every Python process of the run (workers, subprocesses) records to
its own file in that folder; afterwards they are merged into the trace file, with
what it held before. The command's exit code is returned unchanged.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from rewriter.trace import traces

_SITECUSTOMIZE = """\
# Written by `tfrewrite trace`: load the recorder, then any other sitecustomize.
import os as _os
import sys as _sys

_here = _os.path.dirname(_os.path.abspath(__file__))
try:
    from _tfrewrite_recorder import install as _install

    _install(_os.environ["TFREWRITE_TRACE_ROOT"],
             _os.path.join(_here, "trace-%d.json" % _os.getpid()))
except Exception as _error:  # never break the program being traced
    _sys.stderr.write("tfrewrite trace: recorder not loaded: %s\\n" % (_error,))
# The program's own sitecustomize, if it has one further down the path.
import importlib.machinery as _machinery
import importlib.util as _util

_spec = _machinery.PathFinder.find_spec(
    "sitecustomize", [p for p in _sys.path if _os.path.abspath(p or ".") != _here])
if _spec is not None and _spec.loader is not None:
    _theirs = _util.module_from_spec(_spec)
    _spec.loader.exec_module(_theirs)
"""


def run_trace(command: Sequence[str], out: Path, root: Path) -> int:
    """Run `command`, merge what it recorded into `out`; return the command's exit code.

    What was recorded is kept even when the command fails or is interrupted; the trace
    file is written in one step, and nothing else is written.
    """
    folder = Path(tempfile.mkdtemp(prefix="tfrewrite-trace-"))
    try:
        (folder / "sitecustomize.py").write_text(_SITECUSTOMIZE, encoding="utf-8")
        here = Path(__file__).resolve().parent
        shutil.copyfile(here / "recorder.py", folder / "_tfrewrite_recorder.py")
        shutil.copyfile(here / "traces.py", folder / "_tfrewrite_traces.py")
        existing = os.environ.get("PYTHONPATH")
        environment = dict(
            os.environ,
            PYTHONPATH=os.pathsep.join([str(folder), *([existing] if existing else [])]),
            TFREWRITE_TRACE_ROOT=str(root.resolve()),
        )
        code = _run(command, environment)
        _merge_into(out, folder)
        return code
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(command: Sequence[str], environment: dict[str, str]) -> int:
    # Ctrl-C reaches the whole process group: the program handles it; we wait for it
    # to end and then keep what it recorded. (A Python handler, not SIG_IGN: an ignored
    # signal would stay ignored in the program too.)
    previous = signal.signal(signal.SIGINT, _wait_for_the_program)
    try:
        process = subprocess.Popen(list(command), env=environment)
        return_code = process.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return return_code if return_code >= 0 else 128 - return_code


def _wait_for_the_program(signum: int, frame: object) -> None:
    """SIGINT while the program runs: it decides what happens; we keep waiting."""


def _merge_into(out: Path, folder: Path) -> None:
    recorded = sorted(folder.glob("trace-*.json"))
    if not recorded:
        return
    try:
        data = traces.load(out) if out.exists() else traces.empty()
    except traces.TraceFileError as exc:
        sys.stderr.write(f"{exc}; starting a new one\n")
        data = traces.empty()
    for path in recorded:
        try:
            traces.merge(data, traces.load(path))
        except traces.TraceFileError as exc:
            sys.stderr.write(f"tfrewrite trace: a process's record was lost: {exc}\n")
    traces.write(out, data)
