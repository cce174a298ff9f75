"""Lay out an HTML report with WeasyPrint, loading only the project's own assets.

WeasyPrint will otherwise read any ``file:`` URL, fetch web addresses and
attach files to the PDF on a document's say-so. :class:`AssetFetcher` serves
exactly two things: ``asset:`` URLs (the package's fonts and the templates'
stylesheets, project overrides first) and ``file:`` URLs inside the project's
``templates/`` (never its content, translations or output). Everything else
is refused and reported; a refused resource fails the build rather than
silently giving a different PDF.

No file is ever attached to a PDF: a document that asks for an attachment
fails its layout, and every PDF written is read back and refused if it holds
an embedded file all the same (:func:`_inspect`).
"""

from __future__ import annotations

import itertools
import logging
import mimetypes
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
import pypdfium2
from weasyprint import HTML
from weasyprint.formatting_structure import boxes
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from builder import footnotes as notes
from builder import hyphenation, linebreak, tables, tagging
from builder.confidential import refuse_leaks
from builder.errors import FootnoteLayoutError, LeakError, OutputError, RenderError
from builder.jobs import PdfDone, PdfJob
from builder.project import Project
from builder.sandbox import RefusedResource, resolve_asset, template_roots
from builder.workers import written

mimetypes.add_type("font/ttf", ".ttf")

# A page filled less than a quarter is short (tests/pagination.py, which
# measures from the printed lines): with a margin, since the layout's own
# measure counts from the top of the page's area (upr-ru of generated report
# 4242: 25.6 % here, 24 % printed).
SHORT = 0.30
RELAYOUTS = 3  # at most, each only when a kept-together element left a page short
# Kept together by WeasyPrint's own stylesheet, and with what follows them
# (break-after: avoid), or after a page break the templates ask for.
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "caption"}


class AssetFetcher(URLFetcher):
    """Serve ``asset:`` URLs and ``file:`` URLs inside the project's ``templates/``;
    refuse everything else."""

    def __init__(self, project: Project | None = None):
        super().__init__(allowed_protocols=("asset", "file"), allow_redirects=False,
                         fail_on_errors=True)
        self.project = project
        self.refused: list[str] = []

    def resolve(self, url: str) -> Path:
        return resolve_asset(url, self.project)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        try:
            path = self.resolve(url)
        except (RefusedResource, RenderError) as exc:
            self.refused.append(str(exc))
            raise RefusedResource(str(exc)) from None
        mime, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(url, path.read_bytes(),
                                  {"Content-Type": mime or "application/octet-stream"})


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
    in_full: tuple[str, ...] = ()  # the notes "Ibid." printed in full (ibids_in_full)

    @property
    def pages(self) -> int:
        return len(self.document.pages)


def layout(html: str, project: Project | None) -> Rendered:
    """Lay the document out into pages; raise if it asked for anything refused."""
    notes.install()
    hyphenation.install()  # Kazakh
    linebreak.install()  # a space at a line's end hangs
    tables.install()  # a table's first entry kept whole
    messages: list[str] = []
    source, document = _render(html, project, messages)
    # Laid out again while an element kept together leaves a page short, each
    # such element then breaking where it starts (a change can move the next).
    breakable: list[str] = []
    for _ in range(RELAYOUTS):
        more = [name for name in split_kept_together(document) if name not in breakable]
        if not more:
            break
        breakable += more
        source, document = _render(allow_breaks(html, breakable), project, messages)
    _refuse_attachments(document)
    notes.order_notes(document)
    notes.check_layout(source, document, notes.expected_notes(html))
    return Rendered(document, [_located(message, project) for message in
                               dict.fromkeys(messages)], ibids_in_full(document))


def _render(html: str, project: Project | None, messages: list[str]) -> tuple:
    """WeasyPrint's source and laid-out document; its warnings go to ``messages``."""
    fetcher = AssetFetcher(project)
    base_url = (project.root.as_uri() + "/") if project is not None else None
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    previous = logger.propagate
    logger.propagate = False
    try:
        source = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        document = source.render()
    except FatalURLFetchingError:
        # Raised for the refused resource (fail_on_errors); the check below says
        # which and why.
        document = None
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous
        messages += handler.messages
    if fetcher.refused or document is None:
        raise RenderError("; ".join(dict.fromkeys(fetcher.refused)) or
                          "a resource could not be loaded")
    return source, document


def split_kept_together(document) -> list[str]:
    """The ids of the elements to be kept on one page (``break-inside: avoid``,
    a follow-up entry) that keeping together did not serve: the layout split
    one across pages all the same (it is longer than a page), or moved one
    whole to the top of the next page, leaving the page before it under a
    quarter full.

    Kept together, such an element left the room where it would have started
    empty: in a generated report's follow-up table, pages 6-17 % full, holding
    the end of the entry before or the chapter's heading and lead-in.
    """
    pages: dict[str, list[tuple[int, float]]] = {}  # id -> (page, top) of its parts
    tops: list[dict[float, str]] = []  # per page: top of each line -> its element id
    for number, page in enumerate(document.pages):
        lines: dict[float, str] = {}
        for box, kept in _flow_boxes(page._page_box):
            if kept is not None and box.element is not None and box.element.get("id") == kept:
                found = pages.setdefault(kept, [])
                if not found or found[-1][0] != number:
                    found.append((number, box.position_y))
            if isinstance(box, boxes.LineBox):
                lines.setdefault(box.position_y, kept or "")
        tops.append(lines)
    chosen = []
    for name, found in pages.items():
        if len(found) > 1:
            chosen.append(name)
            continue
        number, top = found[0]
        above = [line for line, owner in tops[number].items() if line < top and owner != name]
        if number > 0 and not above and _filled(document.pages[number - 1]) < SHORT:
            chosen.append(name)
    return sorted(chosen)


def _flow_boxes(page_box):
    """The boxes of a page's body (not its margins or notes), each with the
    id of the nearest kept-together element holding it (None: none), table
    headers left out (repeated on each page a table runs over)."""
    stack = [(child, None) for child in page_box.children
             if not isinstance(child, (boxes.MarginBox, boxes.FootnoteAreaBox))]
    while stack:
        box, kept = stack.pop()
        if isinstance(box, boxes.TableRowGroupBox) and box.is_header:
            continue
        if box.element is not None and box.style["break_inside"] in ("avoid", "avoid-page") \
                and box.element.get("id") and box.element_tag not in _HEADINGS:
            kept = box.element.get("id")
        yield box, kept
        stack.extend((child, kept) for child in getattr(box, "children", ())
                     if isinstance(child, boxes.Box))


def _filled(page) -> float:
    """How much of a page's text area its body and notes fill, 0 to 1."""
    page_box = page._page_box
    top, height = page_box.content_box_y(), page_box.height
    bottom = max((box.position_y + box.margin_height() for box, _ in _flow_boxes(page_box)
                  if isinstance(box, boxes.LineBox)), default=top)
    notes = sum(area.margin_height() for area in page_box.children
                if isinstance(area, boxes.FootnoteAreaBox) and area.children)
    return (bottom - top + notes) / height if height else 1.0


def ibids_in_full(document) -> tuple[str, ...]:
    """The notes written "Ibid." printed as the citation they stand for, the
    first note of their page (see builder/linebox.py: _ibid_forms), by their
    ``data-ibid`` numbers."""
    return tuple(box.element.get("data-ibid") for _, _, area in notes.areas(document)
                 for box in area.descendants()
                 if isinstance(box, boxes.InlineBox) and box.element is not None
                 and box.element.get("data-ibid") and any(
                     "ibid-full" in (child.element.get("class") or "").split()
                     for child in box.children if child.element is not None))


def allow_breaks(html: str, names: list[str]) -> str:
    """``html`` with the elements of these ids also in class ``breakable``:
    the stylesheet lets them break across pages where they start."""
    for name in names:
        tag = re.search(rf"""<[a-z][^<>]*\sid=(["']){re.escape(name)}\1[^<>]*>""", html)
        if tag is None:
            continue
        start, classes = tag.group(), re.compile(r"""(\sclass=["'])""")
        marked = (classes.sub(r"\1breakable ", start, count=1) if classes.search(start)
                  else re.sub(r"^<([a-z][a-z0-9]*)", r'<\1 class="breakable"', start))
        html = html[:tag.start()] + marked + html[tag.end():]
    return html


# What a WeasyPrint warning about a stylesheet quotes from it.
_QUOTED = [re.compile(r"^Ignored `(?P<text>[^`]+)` at \d+:\d+"),
           re.compile(r"^Unknown rule <AtRule (?P<text>@[\w-]+)"),
           re.compile(r"^Invalid or unsupported selector, '(?P<text>[^']+)'"),
           re.compile(r"^Font-face '(?P<text>[^']+)' cannot be loaded")]


def _located(message: str, project: Project | None) -> str:
    """A renderer warning, with the template file and line it comes from.

    WeasyPrint's warnings about stylesheets quote the declaration, rule or
    selector, with a position inside the stylesheet but no file (an inline
    ``<style>`` has none). The quoted text is looked for in the project's
    template overrides, then in the shipped templates.
    """
    quoted = next((found["text"].strip() for pattern in _QUOTED
                   if (found := pattern.search(message))), "")
    if not quoted:
        return message
    for root, prefix in template_roots(project):
        for path in sorted(root.rglob("*")):
            if path.suffix not in (".css", ".html") or not path.is_file():
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            at = text.find(quoted)
            if at >= 0:
                line = text.count("\n", 0, at) + 1
                column = at - (text.rfind("\n", 0, at) + 1) + 1
                shown = (prefix or "shadow-report's templates/") + \
                    path.relative_to(root).as_posix()
                return f"{shown}:{line}:{column}: {message}"
    return message


def _refuse_attachments(document) -> None:
    """Fail the layout of a document that asks for a file to be attached.

    WeasyPrint 70 embeds the file of every ``<link rel="attachment">`` (kept
    in ``document.metadata.attachments``) and of every ``<a rel="attachment">``
    (a link of kind "attachment" in ``page.links``) when it writes the PDF. No
    template of ours attaches anything, and an attached file would bypass every
    check of what a PDF shows: any attachment is refused.
    """
    asked = len(document.metadata.attachments) + sum(
        1 for page in document.pages for kind, *_ in page.links if kind == "attachment")
    if asked:
        raise RenderError(f"a template asked to attach a file to the PDF ({asked} "
                          "attachment(s), <link rel=\"attachment\"> or <a rel=\"attachment\">)"
                          "; attachments are refused")


def write_pdf(rendered: Rendered, target: Path, *, variant: str | None = None) -> None:
    """Write the PDF to ``target`` (the caller makes the write atomic); a full
    disk or a missing permission is the user's machine, not a bug.

    Tagged for PDF/UA with the corrections of :mod:`builder.tagging`; every
    variant opens with its bookmarks shown."""
    tagging.install()
    tagging.prepare(rendered.document)
    try:
        rendered.document.write_pdf(target, pdf_variant=variant,
                                    finisher=tagging.open_with_bookmarks)
    except OSError as exc:
        raise OutputError(f"{target.parent}: the PDF cannot be written: "
                          f"{exc.strerror or exc}") from None


BUNDLED_FAMILIES = {"Report Serif", "Report Sans"}


def make_pdf(job: PdfJob) -> PdfDone:
    """Lay out, write and check one PDF (runs in a worker process); every error
    names the edition."""
    try:
        return _make_pdf(job)
    except FootnoteLayoutError as error:
        raise FootnoteLayoutError(job.name, error.problems, error.entries) from None
    except LeakError:
        raise
    except RenderError as error:
        if job.name and not str(error).startswith(f"{job.name}:"):
            raise RenderError(f"{job.name}: {error}") from None
        raise


def _make_pdf(job: PdfJob) -> PdfDone:
    """Lay out, write and check one PDF.

    After writing, the document must hold up: every internal link (table of
    contents, case references) has its target; only the bundled fonts are
    embedded, with no missing glyph; and every character laid out can be
    extracted again through the fonts' Unicode maps, so that a Kazakh PDF's
    text really contains its Kazakh letters.
    """
    started = time.perf_counter()
    project = Project(job.project_root) if job.project_root is not None else None
    rendered = layout(job.html, project)
    laid_out_at = time.perf_counter()
    document = rendered.document
    anchors = {name: number for number, page in enumerate(document.pages, start=1)
               for name in page.anchors}
    dangling = sorted({target for page in document.pages for kind, target, *_ in page.links
                       if kind == "internal" and target not in anchors})
    if dangling:
        raise RenderError(f"links without a target in the document: {', '.join(dangling)}")
    written(job.target)
    write_pdf(rendered, job.target, variant=job.variant)
    written_at = time.perf_counter()
    problems = []
    extractable: set[str] = set()
    for font in document.fonts.values():
        if font.family not in BUNDLED_FAMILIES:
            problems.append(f"a font that is not bundled was used: {font.family}")
        if font.missing:
            problems.append(f"{font.family} lacks the glyphs of {len(font.missing)} "
                            "character(s)")
        extractable.update("".join(font.to_unicode.values()))
    laid_out = set().union(*(box.text for page in document.pages
                             for box in page._page_box.descendants()
                             if isinstance(box, boxes.TextBox)))
    laid_out = {char for char in laid_out
                if not char.isspace() and unicodedata.category(char) != "Cf"}  # soft hyphen
    unreadable = laid_out - extractable
    if unreadable:
        problems.append("text that cannot be extracted again: "
                        f"{''.join(sorted(unreadable))!r}")
    if problems:
        raise RenderError("; ".join(problems))
    try:
        with pikepdf.open(job.target) as written_pdf:
            embedded, strings = _inspect(written_pdf)
            text, page_ends = _readable(written_pdf, job.target) if job.secrets else ("", [])
    except (pikepdf.PdfError, pypdfium2.PdfiumError) as exc:
        # A PDF that cannot be read back cannot be checked: it is not kept.
        job.target.unlink(missing_ok=True)
        raise RenderError(f"{job.name or job.target.name}: the PDF could not be read back to "
                          f"be checked ({type(exc).__name__}: {exc}); a text may be far too "
                          "long") from None
    if embedded:
        job.target.unlink(missing_ok=True)
        raise RenderError(_embedded_message(embedded))
    refuse_leaks(text + "\n" + "\n".join(dict.fromkeys(strings)), job.secrets, job.name,
                 job.target, "the PDF as read back", page_ends)
    finished = time.perf_counter()
    return PdfDone(rendered.pages, rendered.warnings, finished - started, anchors,
                   (("layout", laid_out_at - started), ("write", written_at - laid_out_at),
                    ("read-back and checks", finished - written_at)), in_full=rendered.in_full)


def read_back(path: Path) -> str:
    """All a reader of the PDF can get at: text, metadata, bookmarks, links.

    A PDF with an embedded file is refused (:class:`RenderError`), whatever
    the file's name: its contents are out of reach of the leak check.
    """
    with pikepdf.open(path) as document:
        embedded, strings = _inspect(document)
        if embedded:
            raise RenderError(f"{path.name}: {_embedded_message(embedded)}")
        return _readable(document, path)[0] + "\n" + "\n".join(dict.fromkeys(strings))


def _embedded_message(embedded: list[str]) -> str:
    return (f"the PDF holds an embedded file ({'; '.join(embedded)}); attachments are "
            "refused, so it was not kept")


def page_texts(path: Path) -> list[str]:
    """The text of each page as a reader selects and copies it, extracted by
    PDFium (the engine of Chrome's PDF viewer): about twenty times faster than
    pypdf's extraction, with the same words. PDFium joins a word hyphenated
    at a line end and marks the join with U+FFFE; it is given back as the
    hyphen and line end the page shows, as pypdf gives it."""
    document = pypdfium2.PdfDocument(path)
    try:
        texts = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range().replace("\r\n", "\n")
                         .replace("\ufffe", "-\n"))
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


# A word the layout hyphenated at a line end (WeasyPrint writes U+2010 there;
# page_texts gives PDFium's mark of a join as "-" and a line end).
_LINE_END_HYPHEN = re.compile(r"(?<=\w)[\u2010-]\n(?=\w)")


def unhyphenated(text: str) -> str:
    """Text with the words hyphenated at line ends joined again, as a reader
    reads them: the leak check then sees "Бота" in "Бо‐/та", and not a name
    with an ending in the second half of "ра‐/ботающая"."""
    return _LINE_END_HYPHEN.sub("", text)


def _readable(document: pikepdf.Pdf, path: Path) -> tuple[str, list[int]]:
    """All a reader can get at (see :func:`read_back`), and where each page's
    text ends in it (the metadata, bookmarks and links come after)."""
    parts = [unhyphenated(text) for text in page_texts(path)]
    page_ends = list(itertools.accumulate(len(part) + 1 for part in parts))
    parts += [str(value) for value in document.docinfo.values()]
    xmp = document.Root.get("/Metadata")
    if isinstance(xmp, pikepdf.Stream):
        parts.append(xmp.read_bytes().decode("utf-8", "replace"))
    with document.open_outline() as outline:
        stack = list(outline.root)
        while stack:
            item = stack.pop()
            parts.append(item.title or "")
            stack += item.children
    for page in document.pages:
        for annotation in page.obj.get("/Annots") or []:
            for key in ("/Contents", "/T", "/TU"):
                if key in annotation:
                    parts.append(str(annotation[key]))
            action = annotation.get("/A")
            if isinstance(action, pikepdf.Dictionary) and "/URI" in action:
                parts += _readable_uri(str(action["/URI"]))
    return "\n".join(parts), page_ends


def _readable_uri(uri: str) -> list[str]:
    """A link's address as stored (WeasyPrint percent-encodes non-ASCII
    paths and IDNA-encodes host names) and as a reader's browser shows it:
    a name in ``https://vk.com/%D0%A1...`` is a name all the same."""
    shown = unquote(uri, errors="replace")
    try:
        host = urlsplit(shown).hostname or ""
        shown = shown.replace(host, host.encode("ascii").decode("idna"), 1) if host else shown
    except (UnicodeError, ValueError):
        pass
    return [uri, shown]


def _inspect(document: pikepdf.Pdf) -> tuple[list[str], list[str]]:
    """Every trace of an embedded file in the PDF, described (empty: none),
    and every string and name the file holds (link targets, alternative
    texts, named destinations ...), for the leak check.

    Looks at every object of the file, referenced or not (including those in
    object streams), and at every dictionary nested in them: the catalog's
    ``/Names /EmbeddedFiles`` tree, ``FileAttachment`` annotations, ``/AF``
    (associated files) arrays, file specifications with an ``/EF`` entry, and
    streams of type ``/EmbeddedFile``. qpdf (through pikepdf) parses the file:
    about four times faster than pypdf, which this used before, with the same
    strings found.
    """
    found: dict[str, None] = {}
    strings: list[str] = []
    seen: set[tuple[int, int]] = set()
    stack: list = [document.trailer, *document.objects]
    while stack:
        item = stack.pop()
        if not isinstance(item, pikepdf.Object):
            if isinstance(item, str):  # a name or string pikepdf gave as str
                strings.append(item)
            continue
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        if isinstance(item, (pikepdf.Stream, pikepdf.Dictionary)):
            # Read once into a dict: each look-up in pikepdf's own is a call to qpdf.
            entries = dict((item.stream_dict if isinstance(item, pikepdf.Stream)
                            else item).items())
            if entries.keys() & _EMBEDDING:
                found.update(dict.fromkeys(_embedding_keys(entries)))
            stack += entries.values()
        elif isinstance(item, pikepdf.Array):
            stack += list(item)
        elif isinstance(item, pikepdf.String):
            raw = bytes(item)
            strings.append(str(item))
            as_utf8 = raw.decode("utf-8", "ignore")
            if as_utf8 != strings[-1]:
                strings.append(as_utf8)
        elif isinstance(item, pikepdf.Name):
            strings.append(str(item))
    return list(found), strings


# The keys that can embed a file (see _embedding_keys).
_EMBEDDING = frozenset({"/EmbeddedFiles", "/AF", "/EF", "/Type", "/Subtype"})


def _embedding_keys(entry: dict) -> list[str]:
    """What in one PDF dictionary (its entries) embeds or points to an
    embedded file."""
    found = []
    if "/EmbeddedFiles" in entry:
        found.append("an /EmbeddedFiles name tree")
    if "/AF" in entry:
        found.append("an /AF associated-files array")
    if "/EF" in entry:
        found.append("a file specification with an embedded file")
    if entry.get("/Type") == "/EmbeddedFile":
        found.append("an /EmbeddedFile stream")
    if entry.get("/Subtype") == "/FileAttachment":
        found.append("a FileAttachment annotation")
    return found
