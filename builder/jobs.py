"""What a worker process is given and gives back when it makes a PDF: plain
data, importable without WeasyPrint, so that the build's own process (which
only hands out the work, or finds every PDF up to date) never loads it."""

from __future__ import annotations

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


# What :func:`make_pdf` loads: the build loads it once, before its workers fork.
PDF_MODULES = ("builder.pdf",)


def make_pdf(job: PdfJob) -> PdfDone:
    """Lay out, write and check one PDF: :func:`builder.pdf.make_pdf`, loaded
    in the process that runs it."""
    from builder.pdf import make_pdf as lay_out_and_write

    return lay_out_and_write(job)
