"""What a worker process is given and gives back when it makes a PDF or a
Word file: plain data, importable without WeasyPrint or python-docx, so that
the build's own process (which only hands out the work, or finds every file
up to date) never loads them."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PdfJob:
    """One PDF to make, as plain data a worker process can receive."""

    html: str
    project_root: Path | None
    target: Path  # a temporary file; the caller moves it into place
    variant: str | None = None
    # The needles of confidential values a public edition must not contain
    # (empty: no leak check), and the edition's name for the message.
    secrets: tuple = ()
    name: str = ""


@dataclass(frozen=True)
class PdfDone:
    pages: int
    warnings: list[str]
    seconds: float
    # Every anchor (element id) of the document and the 1-based page it is on.
    anchors: dict[str, int]
    # Seconds spent in each stage: layout, write, checks (for --verbose).
    stages: tuple[tuple[str, float], ...] = ()
    reused: bool = False  # kept from the last build: its inputs did not change
    # The notes written "Ibid." that open a page, printed in full instead.
    in_full: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocxJob:
    """One Word edition to write, as plain data a worker process can receive."""

    html: str
    target: Path  # a temporary file; the caller moves it into place
    secrets: tuple = ()  # as PdfJob's
    name: str = ""
    # The edition's words for the page frame: "Page {page} of {pages}", and
    # the mark of an internal edition ("CONFIDENTIAL"; empty: a public one).
    page_label: str = ""
    mark: str = ""


@dataclass(frozen=True)
class DocxDone:
    count: object  # builder.check.WordCount, as read back from the file
    notes: int  # footnotes
    warnings: list[str]
    seconds: float
    stages: tuple[tuple[str, float], ...] = ()
    reused: bool = False
    pages: int = 0  # Word lays out the pages itself: none counted here


# What each output's maker loads: each worker loads it as it starts.
MODULES = {"pdf": ("builder.pdf",), "docx": ("builder.outputs.docx",)}


def make_pdf(job: PdfJob) -> PdfDone:
    """Lay out, write and check one PDF: :func:`builder.pdf.make_pdf`, loaded
    in the process that runs it."""
    from builder.pdf import make_pdf as lay_out_and_write

    return lay_out_and_write(job)


def make_output(job: PdfJob | DocxJob) -> PdfDone | DocxDone:
    """Make one output, a PDF or a Word file, in the process that runs it.

    Python's cycle collector is held off meanwhile and run once afterwards.
    A layout makes millions of objects that live until it ends, and the
    collector, run as they pile up, went through them again and again: about
    3 % of a PDF's time. The cost is memory: a worker of the sample's build
    peaked at 154 MB, where it did at 147 MB."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        if isinstance(job, DocxJob):
            from builder.outputs.docx import make_docx

            return make_docx(job)
        return make_pdf(job)
    finally:
        if enabled:
            gc.enable()
        gc.collect()
