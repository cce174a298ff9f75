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
from docx import Document
from lxml import etree

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
                     help="rewrite tests/golden/*.html and the page images in tests/golden/pages/ "
                          "from the current templates and stylesheet")
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
    """The sample report built once into a temporary folder, with its logs:
    each edition as a PDF and as a Word file (``--format pdf,docx``)."""
    output = tmp_path_factory.mktemp("output")
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(logging.WARNING)
    logging.getLogger().addHandler(handler)
    try:
        result = build(open_project(REPO), output=output, formats=("pdf", "docx"))
    finally:
        logging.getLogger().removeHandler(handler)
    return result, records


@pytest.fixture(scope="session")
def sample_pdfs(sample_build) -> dict[str, Path]:
    result, _ = sample_build
    return {built.edition.name: built.path for built in result.built if built.kind == "pdf"}


@pytest.fixture(scope="session")
def sample_docx(sample_build) -> dict[str, Path]:
    """The Word edition of each edition of the sample, built with its PDF."""
    result, _ = sample_build
    return {built.edition.name: built.path for built in result.built if built.kind == "docx"}


def run_tool(*args: str) -> str:
    """Run a poppler or qpdf command and return its standard output."""
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


# --- Word files, read from outside ---------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def joined(element, *, calls: bool = True) -> str:
    """An element's text with its runs joined, white space collapsed; without
    ``calls``, the commas between note calls ("31,32") left out."""
    texts = [(t.text or "") if t.tag == w("t") else "-"  # Word's non-breaking hyphen
             for run in element.iter(w("r")) for t in run.iter(w("t"), w("noBreakHyphen"))
             if calls or run.find(f"{w('rPr')}/{w('rStyle')}[@{w('val')}='FootnoteReference']")
             is None]
    return " ".join("".join(texts).split())


def docx_text(path: Path) -> str:
    """Everything python-docx gives of a Word file: the text of every XML part
    (document, footnotes, headers, footers...), each paragraph's runs joined,
    and the document's properties."""
    document = Document(str(path))
    found = []
    for item in document.part.package.iter_parts():
        if item.content_type.endswith("xml"):
            root = etree.fromstring(item.blob)
            found += [joined(paragraph) for paragraph in root.iter(w("p"))]
            found += list(root.itertext())
    properties = document.core_properties
    found += [properties.title, properties.author, properties.subject, properties.keywords,
              properties.comments, properties.last_modified_by, properties.category]
    return "\n".join(found)
