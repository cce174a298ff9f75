"""The build's worker pool: each PDF handed in as its HTML is ready, the
largest waiting one given to the next free worker."""

from __future__ import annotations

import time

from builder.workers import Workers


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
