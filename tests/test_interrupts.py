"""Interrupting a build: Ctrl-C, SIGTERM and SIGKILL of the main process at
different moments stop it quickly, leave no worker process, no temporary PDF
and no temporary folder behind, and the earlier PDFs as they were."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conftest import REPO


def processes_marked(mark: str) -> list[int]:
    """The processes whose environment holds ``mark`` (the build and its workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if mark.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def built_project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("interrupts") / "project"
    root.mkdir()
    for part in ("content", "locales"):
        shutil.copytree(REPO / part, root / part)
    subprocess.run([sys.executable, "-m", "builder", "build", "-p", str(root), "-m",
                    "upr,iccpr", "-l", "en,ru"], check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(REPO)})
    return root


@pytest.mark.parametrize(("how", "after", "status"), [
    ("ctrl-c", 1.5, 130), ("ctrl-c", 4.0, 130), ("sigterm", 3.0, 143), ("sigkill", 3.0, -9),
])
def test_an_interrupted_build_leaves_nothing_behind(built_project, tmp_path, how, after,
                                                    status):
    output = built_project / "output"
    before = {path.name: path.read_bytes() for path in output.iterdir()}
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    mark = f"SHADOW_REPORT_TEST_{uuid.uuid4().hex}"
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(scratch), mark: "1"}
    process = subprocess.Popen(  # --force: lay out again the PDFs the fixture built
        [sys.executable, "-m", "builder", "build", "-p", str(built_project), "-m", "upr,iccpr",
         "-l", "en,ru", "--force"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, start_new_session=True,
        preexec_fn=_as_from_a_terminal)
    time.sleep(after)
    assert process.poll() is None, "the build finished before it could be interrupted"
    started = time.monotonic()
    if how == "ctrl-c":  # a terminal sends SIGINT to the whole foreground group
        os.killpg(process.pid, signal.SIGINT)
    else:
        os.kill(process.pid, signal.SIGTERM if how == "sigterm" else signal.SIGKILL)
    assert process.wait(timeout=10) == status
    assert time.monotonic() - started < 2
    deadline = time.monotonic() + 5
    while processes_marked(mark) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_marked(mark) == [], "a worker outlived the build"
    assert "Traceback" not in process.stderr.read().decode()
    assert {path.name: path.read_bytes() for path in output.iterdir()} == before
    assert list(scratch.iterdir()) == []  # no scratch folder, no /tmp/weasyprint-*


def _as_from_a_terminal() -> None:
    """Ctrl-C as a terminal's foreground command gets it: a test run from a
    background job (where the shell ignores SIGINT, inherited) must not make
    the build ignore it too."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_a_ctrl_c_while_the_workers_start_is_not_lost():
    # The workers are started with Ctrl-C held back; one pressed meanwhile
    # must stop the build right after, not be dropped (the build ran on).
    from builder.workers import _holding_ctrl_c

    # As in a terminal, whatever the disposition this test run inherited.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            with _holding_ctrl_c():
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.1)  # not delivered in here
            time.sleep(2)  # delivered at once: never reaches the end of the sleep
            pytest.fail("the Ctrl-C was lost")
    finally:
        signal.signal(signal.SIGINT, previous)


# Ctrl-C pressed the moment a module starts loading, as on a busy machine where
# loading takes a second or more: the hook is run by Python's own start-up.
_CTRL_C_WHILE_LOADING = """
import os, signal, sys

def _ctrl_c(event, args):
    if event == "import" and args[0] == {module!r}:
        os.kill(os.getpid(), signal.SIGINT)

sys.addaudithook(_ctrl_c)
"""


@pytest.mark.parametrize("module", ["builder.cli", "builder.workers", "builder.commands",
                                    "weasyprint"])
@pytest.mark.parametrize("command", ["python -m builder", "shadow-report"])
def test_a_ctrl_c_while_the_program_loads_stops_it_cleanly(built_project, tmp_path, module,
                                                          command):
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_CTRL_C_WHILE_LOADING.format(module=module))
    if command == "shadow-report":
        program = [str(Path(sys.executable).with_name("shadow-report"))]
        if not Path(program[0]).exists():
            pytest.skip("shadow-report is not installed next to this Python")
    else:
        program = [sys.executable, "-m", "builder"]
    output = built_project / "output"
    before = {path.name: path.read_bytes() for path in output.iterdir()}
    finished = subprocess.run(
        [*program, "build", "-p", str(built_project), "-m", "upr", "-l", "en", "--force"],
        capture_output=True, text=True, timeout=60, preexec_fn=_as_from_a_terminal,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(hook), str(REPO)])})
    assert finished.returncode == 130, finished.stderr
    assert "Traceback" not in finished.stderr
    assert "interrupted" in finished.stderr
    assert {path.name: path.read_bytes() for path in output.iterdir()} == before
