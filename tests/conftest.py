"""Shared fixtures: the repository's sample report and its PDFs, built once per run."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from builder.build import build, localise
from builder.build import edition_html as build_edition_html
from builder.content import load_content
from builder.mechanisms import MECHANISMS
from builder.project import open_project

# What builds record for reuse goes to the user's cache folder: the tests'
# records are kept apart (and removed at the end), in every process they start.
_CACHE = tempfile.TemporaryDirectory(prefix="shadow-report-test-cache-")
os.environ["SHADOW_REPORT_CACHE"] = _CACHE.name

REPO = Path(__file__).resolve().parents[1]
SKELETON = REPO / "builder" / "skeleton"
LANGUAGES = ["en", "ru", "kk"]
EDITIONS = [f"{mechanism}-{language}" for mechanism in MECHANISMS for language in LANGUAGES]


def edition_html(project, name: str, *, internal: bool = False) -> str:
    """The HTML of an edition such as ``upr-kk``, made the way the build makes it."""
    mechanism, language = name.split("-")
    content = load_content(project)
    html, _ = build_edition_html(project, content, localise(project, content, language),
                                 MECHANISMS[mechanism], internal=internal)
    return html


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/*.html from the current templates")
    parser.addoption("--corpus", type=int, default=0, metavar="N",
                     help="also lay out N generated reports (tests/corpus.py) in every edition")


@pytest.fixture
def corpus_seeds(request: pytest.FixtureRequest) -> int:
    return request.config.getoption("--corpus")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture
def sample():
    """The sample report project at the top of the repository."""
    return open_project(REPO)


def english_skeleton(target: Path) -> Path:
    """Copy the content of the project that ``shadow-report new`` creates into
    ``target``, in English only.

    Without its catalogs and its ``languages`` line, so that the many tests
    that start from it build one language; tests/test_new.py checks the whole
    project in its three languages.
    """
    shutil.copytree(SKELETON / "content", target / "content", dirs_exist_ok=True)
    report = target / "content" / "report.yaml"
    text, found = re.subn(r"(?m)^languages: \[en, ru, kk\].*\n", "", report.read_text())
    assert found == 1, "the skeleton's report.yaml lists its languages on one line"
    report.write_text(text)
    return target


@pytest.fixture
def skeleton_project(tmp_path: Path):
    """The content of a new project, in English only (see :func:`english_skeleton`)."""
    return open_project(english_skeleton(tmp_path / "project"))


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory):
    """The sample report built once into a temporary folder, with its logs."""
    output = tmp_path_factory.mktemp("output")
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(logging.WARNING)
    logging.getLogger().addHandler(handler)
    try:
        result = build(open_project(REPO), output=output)
    finally:
        logging.getLogger().removeHandler(handler)
    return result, records


@pytest.fixture(scope="session")
def sample_pdfs(sample_build) -> dict[str, Path]:
    result, _ = sample_build
    return {built.edition.name: built.path for built in result.built}


def run_tool(*args: str) -> str:
    """Run a poppler or qpdf command and return its standard output."""
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout
