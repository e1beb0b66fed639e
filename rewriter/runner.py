"""Running the per-file work over many files: in this process or in a pool of processes.

`run_files` returns one outcome per path, in the order of `paths` whatever the number of
jobs, and never raises for a file: a worker process that crashes turns the file it was
processing into a FAILED outcome, and the other files are still processed.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from rewriter.results import FileOutcome, Status

Work = Callable[[str], FileOutcome]

# Below this many files a pool costs more to start than it saves.
MIN_FILES_FOR_POOL = 8
# Each worker gets about this many chunks, so the last ones balance the load ...
CHUNKS_PER_JOB = 16
# ... and no chunk is so big that the progress bar stalls on it.
MAX_CHUNK = 32


def default_jobs() -> int:
    """The number of CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run_files(
    paths: Sequence[str],
    work: Work,
    jobs: int = 1,
    progress: TextIO | None = None,
    known: Callable[[str], FileOutcome | None] | None = None,
) -> list[FileOutcome]:
    """`work(path)` for every path, in order.

    `work` must be picklable (a module-level function or a functools.partial of one)
    when `jobs` > 1. With `progress` (a terminal stream), a progress bar is drawn there
    for runs that take a while, and erased before this returns.

    `known(path)`, when given, is asked first, in this process: the outcome `work` would
    give without the work (a cached result), or None. Only the other paths go to `work`,
    so a run where every file is known starts no worker.
    """
    from rewriter.progress import Progress

    bar = Progress(len(paths), progress) if progress is not None else None
    try:
        found = [_known(known, path) for path in paths] if known is not None else [None] * len(paths)
        if bar is not None:
            bar.advance(sum(outcome is not None for outcome in found))
        missing = [path for path, outcome in zip(paths, found) if outcome is None]
        if not missing:
            outcomes = []
        elif jobs <= 1 or len(missing) < MIN_FILES_FOR_POOL:
            outcomes = _run_here(missing, work, bar)
        else:
            outcomes = _run_pool(missing, work, jobs, bar)
        done = iter(outcomes)
        return [outcome if outcome is not None else next(done) for outcome in found]
    finally:
        if bar is not None:
            bar.close()


def _known(known: Callable[[str], FileOutcome | None], path: str) -> FileOutcome | None:
    try:
        return known(path)
    except Exception:  # a bug here costs only time: the work reports on the file
        return None


def _run_here(paths: Sequence[str], work: Work, bar: object) -> list[FileOutcome]:
    outcomes = []
    for path in paths:
        outcomes.append(_guarded(work, path))
        if bar is not None:
            bar.advance(1)  # type: ignore[attr-defined]
    return outcomes


class WithoutTexts:
    """`work`, with the texts (as read and as fixed) left out of each outcome.

    For callers that only report findings: a run over a large tree then keeps, and sends
    between processes, only what it prints.
    """

    def __init__(self, work: Work) -> None:
        self.work = work

    def __call__(self, path: str) -> FileOutcome:
        outcome = self.work(path)
        outcome.original = outcome.fixed = None
        return outcome


def _guarded(work: Work, path: str) -> FileOutcome:
    """`work(path)`, with anything it raises turned into a FAILED outcome.

    The cyclic garbage collector is paused while one file is processed: a parse makes
    hundreds of thousands of objects that are all alive until the file is done, so
    collections in between only scan them in vain (about a tenth of the CPU time).
    Right after the file, the young generation is collected if it is due, as the
    collector would have done itself; only a file's leftover cycles are young then,
    so that is quick, and memory does not grow from file to file.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return work(path)
    except Exception as exc:  # process_file never raises; this is the last line of defence
        return _failed(path, f"internal error: {type(exc).__name__}: {exc}")
    finally:
        if paused:
            gc.enable()
            if gc.get_count()[0] > gc.get_threshold()[0]:
                gc.collect(0)


def _failed(path: str, reason: str) -> FileOutcome:
    from rewriter.files import display_path

    return FileOutcome(display_path(path), Status.FAILED, error=reason)


# --- the pool --------------------------------------------------------------------------

_worker_work: Work | None = None


def _init_worker(work: Work) -> None:
    global _worker_work
    import signal

    # Ctrl-C is the parent's to handle: it stops handing out work and lets the
    # running chunks finish, so no file is left half-written and no worker prints a
    # traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_work = work


def _run_chunk(paths: list[str]) -> list[FileOutcome]:
    assert _worker_work is not None
    return [_guarded(_worker_work, path) for path in paths]


def _chunks(count: int, jobs: int) -> list[range]:
    size = max(1, min(MAX_CHUNK, count // (jobs * CHUNKS_PER_JOB)))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _run_pool(paths: Sequence[str], work: Work, jobs: int, bar: object) -> list[FileOutcome]:
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    results: list[FileOutcome | None] = [None] * len(paths)
    chunks = _chunks(len(paths), jobs)
    unfinished: list[int] = []  # indexes of paths whose worker died under them
    executor = _executor(min(jobs, len(chunks)), work)
    try:
        pending = {executor.submit(_run_chunk, [paths[i] for i in chunk]): chunk for chunk in chunks}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                chunk = pending.pop(future)
                try:
                    outcomes = future.result()
                except BrokenProcessPool:
                    unfinished.extend(chunk)
                    continue
                except Exception as exc:  # e.g. an outcome that cannot be pickled
                    outcomes = [_failed(paths[i], f"internal error: {type(exc).__name__}: {exc}") for i in chunk]
                for index, outcome in zip(chunk, outcomes):
                    results[index] = outcome
                if bar is not None:
                    bar.advance(len(chunk))  # type: ignore[attr-defined]
    except BaseException:
        # Ctrl-C or worse: hand out no more work, let the running chunks end (each file
        # is written whole or not at all) and the workers exit, then pass it on.
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
    for index in sorted(unfinished):
        results[index] = _run_isolated(paths[index], work)
        if bar is not None:
            bar.advance(1)  # type: ignore[attr-defined]
    return [
        outcome if outcome is not None else _failed(paths[i], "internal error: no result")
        for i, outcome in enumerate(results)
    ]


def _run_isolated(path: str, work: Work) -> FileOutcome:
    """One file in a pool of its own, so a crash is pinned on the file that caused it."""
    from concurrent.futures.process import BrokenProcessPool

    executor = _executor(1, work)
    try:
        return executor.submit(_run_chunk, [path]).result()[0]
    except BrokenProcessPool:
        return _failed(path, "internal error: the worker process died while processing this file")
    except Exception as exc:
        return _failed(path, f"internal error: {type(exc).__name__}: {exc}")
    finally:
        executor.shutdown(wait=True)


def _executor(jobs: int, work: Work):  # -> ProcessPoolExecutor
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(_start_method()),
        initializer=_init_worker,
        initargs=(work,),
    )


def _start_method() -> str:
    """ "fork" when it is safe (one thread: the command line), else a fresh interpreter.

    Forking is cheapest (the workers start with everything imported) but a process with
    other threads may hold locks that the child then never sees released, so an
    embedding program with threads gets "forkserver" (or "spawn" where that is missing).
    """
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform.startswith("linux") and _thread_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _thread_count() -> int:
    """Threads of this process as the OS counts them (TensorFlow's included)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 2  # unknown: assume the unsafe case
