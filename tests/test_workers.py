"""The build's worker pool: each PDF handed in as its HTML is ready, the
largest waiting one given to the next free worker."""

from __future__ import annotations

import gc
import multiprocessing
import shutil
import time
from pathlib import Path

import pytest

from builder.workers import Workers, choose


def _started_at(seconds: float) -> float:
    started = time.monotonic()
    time.sleep(seconds)
    return started


def test_the_largest_waiting_job_goes_to_the_next_free_worker(tmp_path):
    with Workers(2, tmp_path) as workers:
        workers.submit("first", _started_at, 0.3, size=1)
        workers.submit("second", _started_at, 1.5, size=1)
        # Both workers are busy: these two wait, and the larger starts first
        # although it was handed in last.
        workers.submit("small", _started_at, 0.0, size=5)
        workers.submit("large", _started_at, 0.0, size=50)
        started = dict(workers.finished())
    assert set(started) == {"first", "second", "small", "large"}
    assert started["large"] < started["small"]
    # It went to the worker that finished first, not behind the longer job.
    assert started["large"] - started["first"] < 1.2


def test_jobs_handed_in_while_others_run_are_all_finished(tmp_path):
    with Workers(2, tmp_path) as workers:
        workers.submit(0, _started_at, 0.2)
        results = []
        for tag, _ in workers.finished():
            results.append(tag)
            if tag < 4:  # handed in after results arrived, as the build does
                workers.submit(tag + 1, _started_at, 0.0)
    assert results == [0, 1, 2, 3, 4]


def test_one_worker_runs_the_jobs_in_this_process_largest_first(tmp_path):
    with Workers(1, tmp_path) as workers:
        assert workers.pool is None
        workers.submit("small", str, "s", size=1)
        workers.submit("large", str, "l", size=9)
        assert list(workers.finished()) == [("large", "l"), ("small", "s")]


def test_a_job_expected_to_take_longer_starts_first_whatever_its_size(tmp_path):
    with Workers(2, tmp_path) as workers:
        workers.submit("first", _started_at, 0.2, expected=0.2)
        workers.submit("second", _started_at, 1.0, expected=1.0)
        # Both wait; the size says "quick" first, the last build's times say
        # "long" takes longer: it starts first, on the first worker free.
        workers.submit("quick", _started_at, 0.0, size=100, expected=0.1)
        workers.submit("long", _started_at, 0.0, size=1, expected=0.5)
        started = dict(workers.finished())
    assert started["long"] < started["quick"]
    assert started["long"] - started["first"] < 0.5


# The sample's nine PDFs as a build of it shared them out: when each one's
# HTML was handed in, and how long each took (seconds).
SAMPLE = {"upr-en": (0.67, 2.22), "upr-ru": (0.77, 2.62), "upr-kk": (1.02, 2.32),
          "cedaw-en": (1.08, 1.18), "cedaw-ru": (1.13, 1.34), "cedaw-kk": (1.22, 1.41),
          "iccpr-en": (1.32, 1.96), "iccpr-ru": (1.44, 2.37), "iccpr-kk": (1.53, 2.35)}
READY = 0.85  # both workers are ready to take a job


def _share_out(pick) -> list[float]:
    """When each of two workers ends, jobs given out by ``pick(free, now,
    waiting, running)`` as workers are free (an event simulation)."""
    arrivals = sorted(SAMPLE, key=lambda name: SAMPLE[name][0])
    now, waiting, ends, running = READY, [], [READY, READY], [None, None]
    while arrivals or waiting or any(running):
        for worker in (0, 1):
            if running[worker] and ends[worker] <= now:
                running[worker] = None
        waiting += [name for name in arrivals if SAMPLE[name][0] <= now]
        arrivals = [name for name in arrivals if SAMPLE[name][0] > now]
        for worker in (0, 1):
            if running[worker] is None and waiting:
                name = pick(worker, now, waiting, running, ends)
                waiting.remove(name)
                running[worker], ends[worker] = name, now + SAMPLE[name][1]
        now = min([ends[w] for w in (0, 1) if running[w]] + [SAMPLE[a][0] for a in arrivals]
                  or [now])
    return ends


def test_the_workers_end_together_where_the_longest_first_leaves_one_idle():
    def longest_first(worker, now, waiting, running, ends):
        return max(waiting, key=lambda name: SAMPLE[name][1])

    def chosen(worker, now, waiting, running, ends):
        busy = [ends[other] - now for other in (0, 1) if other != worker and running[other]]
        return waiting[choose(busy or [0.0], [SAMPLE[name][1] for name in waiting])]

    before = _share_out(longest_first)
    after = _share_out(chosen)
    assert abs(before[0] - before[1]) > 1.0  # as the build did before
    assert abs(after[0] - after[1]) < 0.4
    assert max(after) < max(before) - 0.4


def test_choose_keeps_the_longest_when_it_makes_no_difference():
    assert choose([0.0], [1.0, 3.0, 2.0]) == 1
    # One worker busy for long: the free one takes the long job now.
    assert choose([10.0], [1.0, 5.0]) == 1


def test_the_workers_start_before_the_content_is_loaded_and_stop_with_the_build(
        tmp_path, monkeypatch):
    from conftest import REPO

    from builder import build as building
    from builder.project import Project

    for part in ("content", "locales"):
        shutil.copytree(REPO / part, tmp_path / part)
    seen = []

    def load_checked(project):
        seen.append(len(set(multiprocessing.active_children()) - others))
        return loading(project)

    loading = building.load_checked
    monkeypatch.setattr(building, "load_checked", load_checked)
    others = set(multiprocessing.active_children())  # of other tests, if any
    result = building.build(Project(tmp_path), mechanisms=["cedaw", "upr"], languages=["en"],
                            jobs=2, reuse=False)
    assert seen == [2]  # loading WeasyPrint while the content loads
    assert len(result.built) == 2
    assert set(multiprocessing.active_children()) <= others


def test_the_collector_waits_while_a_file_is_made_and_runs_after(monkeypatch):
    from builder import jobs

    during = []

    def make_pdf(job):
        during.append(gc.isenabled())
        raise RuntimeError("stopped")

    monkeypatch.setattr(jobs, "make_pdf", make_pdf)
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            with pytest.raises(RuntimeError):
                jobs.make_output(jobs.PdfJob("", None, Path("x.pdf")))
            assert gc.isenabled() is enabled  # as it was, even after a failure
        finally:
            gc.enable()
    assert during == [False, False]
