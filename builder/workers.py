"""Worker processes that never outlive the build, and leave nothing behind.

PDFs are laid out in worker processes, one per core: forks of the build's
process, which loads WeasyPrint once before they fork; each PDF is handed to
them as soon as its HTML is rendered and checked. Whatever happens to the
build, its workers stop with it and clean up after themselves:

* **Ctrl-C** (SIGINT) and **SIGTERM** of the build: the workers ignore SIGINT
  (they would otherwise each die in the middle of WeasyPrint, slowly); the
  build stops them at once with SIGTERM and exits.
* **SIGKILL** of the build, which it cannot see: each worker asked the kernel
  to send it SIGTERM when its parent dies (Linux ``PR_SET_PDEATHSIG``).
* On SIGTERM a worker removes the temporary PDFs it wrote and the build's
  scratch folder, where WeasyPrint keeps its font files (``TMPDIR`` points
  there), and exits.

A scratch folder left by a build killed on a system without the death
signal is removed by the next build.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import heapq
import importlib
import itertools
import multiprocessing
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

SCRATCH_PREFIX = "shadow-report-"
_PR_SET_PDEATHSIG = 1

# In a worker: its scratch folder and the temporary files it wrote.
_scratch: str | None = None
_written: list[Path] = []


class Terminated(KeyboardInterrupt):
    """The build received SIGTERM: it stops as on Ctrl-C (exit status 143)."""

    exit_status = 143


@contextlib.contextmanager
def scratch_folder() -> Iterator[Path]:
    """A private temporary folder for one build, removed afterwards; stale
    ones of builds that were killed are removed first."""
    _remove_stale()
    folder = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
    previous = tempfile.tempdir
    tempfile.tempdir = str(folder)  # WeasyPrint's font folders, in this process
    try:
        yield folder
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(folder, ignore_errors=True)


def _remove_stale() -> None:
    for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*"):
        match = re.fullmatch(rf"{SCRATCH_PREFIX}(\d+)-\w+", folder.name)
        if match and not _alive(int(match.group(1))):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


class Workers:
    """The worker processes of one build, started as soon as the build knows
    how many PDFs it may lay out. What they run (``preload``: WeasyPrint) is
    loaded once, here, before they fork, so that no worker loads it again;
    they are forks of the build's process, made before the pool starts any
    thread of its own. With one worker, jobs run in this process instead.

    Jobs are handed in with :meth:`submit` as the build makes them, and
    dispatched as workers are free, the largest waiting first (the workers
    then finish at about the same time); :meth:`finished` gives their results
    as they come.

    Use as a context manager: on leaving, the workers are stopped at once if
    the build failed or was interrupted, else shut down.
    """

    def __init__(self, count: int, scratch: Path, preload: Iterable[str] = ()) -> None:
        self.pool: ProcessPoolExecutor | None = None
        self.count = count
        self._waiting: list[tuple[int, int, object, Callable, object]] = []
        self._running: dict[Future, object] = {}
        self._order = itertools.count()  # first in, first out among equals
        if count <= 1:
            return
        for module in preload:
            importlib.import_module(module)
        # What is loaded so far lives as long as the process: kept out of the
        # collector's way, in this process and in the forks that share it.
        gc.freeze()
        context = multiprocessing.get_context("fork")
        self.pool = ProcessPoolExecutor(max_workers=count, mp_context=context,
                                        initializer=_start_worker,
                                        initargs=(str(scratch), os.getpid()))
        try:
            with _holding_ctrl_c():  # workers start with Ctrl-C blocked, inherited
                self.pool.submit(_ready)  # starts every worker now, all at once
        except BaseException:
            _stop(self.pool)
            raise

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: type | None, *_: object) -> None:
        if self.pool is None:
            return
        if kind is None:
            self.pool.shutdown(wait=True)
        else:
            _stop(self.pool)

    def submit(self, tag: object, function: Callable, job: object, size: int = 0) -> None:
        """Hand in ``function(job)``; :meth:`finished` gives its result with
        ``tag``. ``size`` orders the jobs waiting for a free worker."""
        heapq.heappush(self._waiting, (-size, next(self._order), tag, function, job))
        if self.pool is not None:
            self._dispatch()

    def finished(self) -> Iterator[tuple[object, object]]:
        """``(tag, result)`` of every job handed in, as each finishes."""
        if self.pool is None:
            while self._waiting:
                _, _, tag, function, job = heapq.heappop(self._waiting)
                yield tag, function(job)
            return
        try:
            # Not pool.map: on an interrupt it cancels the waiting jobs, which the
            # pool's own thread then fails to mark broken (a traceback on stderr).
            while self._running:
                done, _ = wait(list(self._running), return_when=FIRST_COMPLETED)
                for future in done:
                    tag = self._running.pop(future)
                    result = future.result()
                    self._dispatch()
                    yield tag, result
        except BaseException:
            _stop(self.pool)
            raise

    def _dispatch(self) -> None:
        """Start waiting jobs while a worker is free (none is queued behind a
        running one, so the largest waiting job goes to the next free worker)."""
        assert self.pool is not None
        try:
            while self._waiting and len(self._running) < self.count:
                _, _, tag, function, job = heapq.heappop(self._waiting)
                self._running[self.pool.submit(function, job)] = tag
        except BaseException:
            _stop(self.pool)
            raise


def _ready() -> None:
    """A first job, which makes the pool start its workers."""


@contextlib.contextmanager
def _holding_ctrl_c() -> Iterator[None]:
    """Ctrl-C held back while the workers are started, then delivered.

    A worker that got a Ctrl-C during its start-up, before its own set-up
    ignores it, would print a traceback. SIGINT is therefore blocked (not
    ignored) here: the workers start with it blocked, inherited, until their
    set-up ignores it, and a Ctrl-C pressed meanwhile stays pending for this
    process and stops the build as soon as the workers are started. (Ignored
    instead, a Ctrl-C during a slow start was lost and the build ran on.)
    """
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop every worker now (ProcessPoolExecutor has no public way before
    Python 3.14): they remove their temporary files as they go.

    The queue that feeds jobs to the workers may be blocked writing a job
    to a pipe nobody reads any more: it is told not to make this process
    wait for it at exit.
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        process.join(timeout=3)
        if process.is_alive():
            process.kill()
    queue = getattr(pool, "_call_queue", None)
    if queue is not None:
        queue.cancel_join_thread()
    pool.shutdown(wait=False)


def _start_worker(scratch: str, parent: int) -> None:
    global _scratch
    _scratch = scratch
    os.environ["TMPDIR"] = scratch
    tempfile.tempdir = scratch
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _clean_exit)
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the build died before the death signal was set
        _clean_exit()


def written(path: Path) -> None:
    """Note a temporary file this worker writes, to remove it if stopped."""
    if _scratch is not None:
        _written.append(path)


def _clean_exit(*_: object) -> None:
    for path in _written:
        with contextlib.suppress(OSError):
            path.unlink()
    if _scratch is not None:
        shutil.rmtree(_scratch, ignore_errors=True)
    os._exit(143)


def install_termination() -> Callable[[], None]:
    """SIGTERM stops the build like Ctrl-C; returns a function that restores
    the previous handler."""
    def terminated(*_: object) -> None:
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, terminated)
    except ValueError:  # not the main thread: leave signals alone
        return lambda: None
    return lambda: signal.signal(signal.SIGTERM, previous)


__all__: Iterable[str] = ("Terminated", "Workers", "install_termination", "scratch_folder",
                          "written")
