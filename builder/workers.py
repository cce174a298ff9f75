"""Worker processes that never outlive the build, and leave nothing behind.

PDFs are laid out in worker processes, one per core: forks of the build's
process, started before it loads the content, which load WeasyPrint while it
does; each PDF is handed to them as soon as its HTML is rendered and checked.
Whatever happens to the build, its workers stop with it and clean up after
themselves:

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
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
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
    """The worker processes of one build, started at once: forks of the
    build's process, made before the pool starts any thread of its own. Each
    loads what it runs (``preload``: WeasyPrint, about half a second) as it
    starts, while the build goes on loading and rendering the content, which
    keeps both cores busy from the start. With one worker, jobs run in this
    process instead, which loads them when it first needs them.

    Jobs are handed in with :meth:`submit` as the build makes them, and
    dispatched as workers are free, chosen so that the workers finish at about
    the same time (see :func:`choose`); :meth:`finished` gives their results
    as they come.

    Use as a context manager: on leaving, the workers are stopped at once if
    the build failed or was interrupted, else shut down.
    """

    def __init__(self, count: int, scratch: Path, preload: Iterable[str] = ()) -> None:
        self.pool: ProcessPoolExecutor | None = None
        self.count = count
        self._waiting: list[_Job] = []
        self._running: dict[Future, _Job] = {}
        self._order = itertools.count()  # first in, first out among equals
        self._rates: list[float] = []  # seconds per unit of size of the jobs done
        if count <= 1:
            return
        context = multiprocessing.get_context("fork")
        self.pool = ProcessPoolExecutor(max_workers=count, mp_context=context,
                                        initializer=_start_worker,
                                        initargs=(str(scratch), os.getpid(), tuple(preload)))
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

    def submit(self, tag: object, function: Callable, job: object, size: int = 0,
               expected: float | None = None) -> None:
        """Hand in ``function(job)``; :meth:`finished` gives its result with
        ``tag``. ``size`` measures the job (the length of its HTML);
        ``expected`` is how long it took last time, in seconds, if known."""
        self._waiting.append(_Job(next(self._order), tag, function, job, size, expected))
        if self.pool is not None:
            self._dispatch()

    def finished(self) -> Iterator[tuple[object, object]]:
        """``(tag, result)`` of every job handed in, as each finishes."""
        if self.pool is None:
            self._waiting.sort(key=_largest_first)
            while self._waiting:
                job = self._waiting.pop(0)
                yield job.tag, job.function(job.job)
            return
        try:
            # Not pool.map: on an interrupt it cancels the waiting jobs, which the
            # pool's own thread then fails to mark broken (a traceback on stderr).
            while self._running:
                done, _ = wait(list(self._running), return_when=FIRST_COMPLETED)
                for future in done:
                    job = self._running.pop(future)
                    result = future.result()
                    if job.size > 0:
                        self._rates.append((time.monotonic() - job.started) / job.size)
                    self._dispatch()
                    yield job.tag, result
        except BaseException:
            _stop(self.pool)
            raise

    def _dispatch(self) -> None:
        """Start waiting jobs while a worker is free (none is queued behind a
        running one: the job for a worker is chosen when it is free)."""
        assert self.pool is not None
        try:
            while self._waiting and len(self._running) < self.count:
                job = self._waiting.pop(self._choose())
                job.started = time.monotonic()
                self._running[self.pool.submit(job.function, job.job)] = job
        except BaseException:
            _stop(self.pool)
            raise

    def _choose(self) -> int:
        """The index of the waiting job to start on a free worker: by
        :func:`choose` when every job's time can be foreseen, else the largest
        (the longest first, the quick ones last, where the workers can even
        out)."""
        rate = statistics.median(self._rates) if self._rates else None

        def foreseen(job: _Job) -> float | None:
            if job.expected is not None:
                return job.expected
            return job.size * rate if rate is not None else None

        now = time.monotonic()
        guesses = [foreseen(job) for job in self._waiting]
        running = [(foreseen(job), now - job.started) for job in self._running.values()]
        if len(guesses) > 1 and all(guess is not None for guess in guesses) and \
                all(guess is not None for guess, _ in running):
            loads = [max(guess - elapsed, 0.0) for guess, elapsed in running]
            loads += [0.0] * (self.count - len(running) - 1)
            return choose(loads, guesses)
        return min(range(len(self._waiting)),
                   key=lambda index: _largest_first(self._waiting[index]))


@dataclass
class _Job:
    order: int
    tag: object
    function: Callable
    job: object
    size: int
    expected: float | None
    started: float = 0.0


def _largest_first(job: _Job) -> tuple[int, int]:
    """The order of jobs whose times cannot be foreseen: the largest first,
    then first in, first out."""
    return -job.size, job.order


def choose(busy: list[float], waiting: list[float]) -> int:
    """Which of the ``waiting`` jobs (their foreseen seconds) a free worker
    should start, when the other workers are busy for ``busy`` seconds more:
    the one after which the rest, given out longest first to the first free
    worker, end soonest (among equals, the longest).

    Giving out the longest first all along is the usual rule, and it leaves
    one worker idle at the end more than it needs to: the sample's nine
    PDFs, which take 1.2 to 2.6 s each, ended 1.2 s apart on two workers,
    where with this choice they end 0.2 to 0.5 s apart.
    """
    best: tuple[float, float] | None = None
    chosen = 0
    for index, seconds in enumerate(waiting):
        loads = [seconds, *busy]
        heapq.heapify(loads)
        for other in sorted((s for i, s in enumerate(waiting) if i != index), reverse=True):
            heapq.heapreplace(loads, loads[0] + other)
        key = (max(loads), -seconds)
        if best is None or key < best:
            best, chosen = key, index
    return chosen


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


def _start_worker(scratch: str, parent: int, preload: tuple[str, ...] = ()) -> None:
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
    for module in preload:
        importlib.import_module(module)
    # What is loaded so far lives as long as the worker: kept out of the
    # collector's way while it lays out.
    gc.freeze()


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
