"""Lay out an HTML report with WeasyPrint, loading only the project's own assets.

WeasyPrint will otherwise read any ``file:`` URL, fetch web addresses and
attach files to the PDF on a document's say-so. :class:`AssetFetcher` serves
exactly two things: ``asset:`` URLs (the package's fonts and the templates'
stylesheets, project overrides first) and ``file:`` URLs inside the report
project. Everything else is refused and reported; a refused resource fails
the build rather than silently giving a different PDF.
"""

from __future__ import annotations

import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.formatting_structure import boxes
from weasyprint.urls import URLFetcher, URLFetcherResponse

from builder.errors import RenderError
from builder.project import FONTS_DIR, Project, package_templates

mimetypes.add_type("font/ttf", ".ttf")


class RefusedResource(ValueError):
    """A document asked for something outside the project's own assets."""


class AssetFetcher(URLFetcher):
    """Serve ``asset:`` and in-project ``file:`` URLs; refuse everything else."""

    def __init__(self, project: Project | None = None):
        super().__init__(allowed_protocols=("asset", "file"), allow_redirects=False,
                         fail_on_errors=True)
        self.project = project
        self.refused: list[str] = []

    def roots(self) -> dict[str, list[Path]]:
        templates = [package_templates()]
        if self.project is not None and self.project.templates.is_dir():
            templates.insert(0, self.project.templates)
        return {"fonts": [FONTS_DIR], "templates": templates}

    def resolve(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.scheme == "asset":
            kind, _, rest = unquote(parts.path).partition("/")
            for root in self.roots().get(kind, []):
                path = _inside(root, rest)
                if path is not None and path.is_file():
                    return path
            raise RefusedResource(f"no such asset: {url}")
        if parts.scheme == "file" and self.project is not None and not parts.netloc:
            path = _inside(self.project.root, unquote(parts.path), absolute=True)
            if path is not None and path.is_file():
                return path
        raise RefusedResource(f"refused to load {url!r}: only the project's own files and "
                              "the package's assets are used")

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        try:
            path = self.resolve(url)
        except RefusedResource as exc:
            self.refused.append(str(exc))
            raise
        mime, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(url, path.read_bytes(),
                                  {"Content-Type": mime or "application/octet-stream"})


def _inside(root: Path, relative: str, *, absolute: bool = False) -> Path | None:
    root = root.resolve()
    path = (Path(relative) if absolute else root / relative).resolve()
    try:
        path.relative_to(root)
    except ValueError:
        return None
    return path


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass
class Rendered:
    document: object  # weasyprint.Document
    warnings: list[str]

    @property
    def pages(self) -> int:
        return len(self.document.pages)


def layout(html: str, project: Project | None) -> Rendered:
    """Lay the document out into pages; raise if it asked for anything refused."""
    fetcher = AssetFetcher(project)
    base_url = (project.root.as_uri() + "/") if project is not None else None
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    previous = logger.propagate
    logger.propagate = False
    try:
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render()
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous
    if fetcher.refused:
        raise RenderError("; ".join(dict.fromkeys(fetcher.refused)))
    expected = html.count('class="footnote"')
    printed = _printed_footnotes(document)
    if printed != expected:
        raise RenderError(f"the layout printed {printed} of {expected} footnotes; "
                          "a stylesheet change probably hides some (see print.css)")
    return Rendered(document, handler.messages)


def _printed_footnotes(document) -> int:
    """How many footnote bodies the laid-out pages carry in their footnote areas."""
    return sum(
        len(box.children)
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, boxes.FootnoteAreaBox)
    )


def write_pdf(rendered: Rendered, target: Path, *, variant: str | None = None) -> None:
    """Write the PDF to ``target`` (the caller makes the write atomic)."""
    rendered.document.write_pdf(target, pdf_variant=variant)
