"""Word editions: each edition's HTML, the very document its PDF is laid out
from, written as a Word file with Word's own structure.

The HTML the templates render is walked element by element and each kind of
element becomes its Word counterpart, so that the text, the paragraph numbers
and the notes of a Word edition cannot drift from its PDF:

* headings become Word's heading styles (outline levels; the table of
  contents is a Word TOC field whose entries link to the headings);
* numbered paragraphs and recommendations become Word numbered lists that
  count as the PDF does (a number the HTML skips restarts the list there);
* each ``<span class="footnote">`` becomes a real Word footnote;
* tables become Word tables with their header rows repeated on each page,
  and the cover's and cases' facts two-column tables without borders;
* links inside the document become links to Word bookmarks; a
  ``<span class="fallback">`` (untranslated text) keeps its language and tint.

Word lays the pages out itself: a Word edition has no page count of its own,
and its table of contents gets its page numbers when Word updates its fields
(it asks on opening). The bundled fonts are named in the styles, not embedded.

:func:`make_docx` writes one edition, with fixed zip timestamps and
properties taken from the report's date (the same HTML gives the same
bytes), then reads it back (:mod:`builder.outputs.docx_read`) and refuses it
if it holds a part it should not or, for a public edition, any confidential
value.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
import zipfile
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from babel import Locale
from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn

from builder.confidential import refuse_leaks
from builder.errors import OutputError, RenderError
from builder.jobs import DocxDone, DocxJob
from builder.outputs import docx_read, wordml
from builder.outputs.wordml import ORDER, twips
from builder.typography import WORD_JOINER, ZERO_WIDTH_SPACE
from builder.workers import written

# --- the HTML as a tree ------------------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "source", "track", "wbr"}


class Node:
    """An element of the edition's HTML."""

    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def elements(self, tag: str | None = None) -> list[Node]:
        return [child for child in self.children
                if isinstance(child, Node) and tag in (None, child.tag)]

    def descendants(self, tag: str) -> list[Node]:
        found = []
        for child in self.elements():
            if child.tag == tag:
                found.append(child)
            found += child.descendants(tag)
        return found

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text()
                       for child in self.children)


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {}, None)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(node)
        if tag not in _VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.current.children.append(
            Node(tag, {name: value or "" for name, value in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:  # else a stray end tag
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> Node:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree.root


# --- what each element becomes -----------------------------------------------------

_BLOCKS = {"address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt",
           "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
           "hr", "li", "main", "nav", "ol", "p", "section", "table", "ul"}
# Inline elements displayed as blocks by print.css.
_BLOCK_CLASSES = {"source-note"}
_SKIPPED = {"head", "script", "style", "template", "title", "img", "svg", "object", "embed",
            "iframe", "video", "audio", "canvas", "colgroup", "col"}

_NUMERAL_HYPHEN = re.compile(r"(?<=\d)-" + WORD_JOINER + "|^-" + WORD_JOINER)

# Paragraph styles by class (wordml.styles_xml defines them); a paragraph with
# none of these takes its container's (a table cell's, a list item's...).
_CLASS_STYLES = {
    "cover-confidential": "CoverConfidential", "cover-kind": "CoverKind",
    "cover-advocacy": "CoverAdvocacy", "cover-session": "CoverSession",
    "cover-title": "Title", "cover-subtitle": "Subtitle", "toc-title": "TOCHeading",
    "para": "NumberedParagraph", "see-also": "SeeAlso", "case-links": "SeeAlso",
    "rec-text": "Recommendation", "rec-meta": "RecommendationDetails",
    "annex-intro": "Small", "case-response": "Small", "case-sources": "Small",
    "case-confidential": "CaseConfidential", "source-note": "SourceNote",
}
_CONTAINER_STYLES = {"td": "TableText", "th": "TableHeading", "dd": "FactText",
                     "dt": "FactLabel", "caption": "Caption"}
# Lists printed without numbers or bullets (list-style: none in print.css).
_PLAIN_LISTS = {"organisations", "documents", "toc-entries"}
# Column widths of tables, in per cent, as print.css gives them.
_COLUMNS = {"follow-up": (34, 22, 16, 28), "figures": (62, 20, 18)}
# The label column of the cover's and the cases' facts (print.css grids), in mm.
_FACT_LABELS = {"cover-facts": 42, "case-facts": 34}


@dataclass(frozen=True)
class Look:
    """How a run looks, inherited from the elements around it."""

    bold: bool = False
    italic: bool = False
    sans: bool = False
    placeholder: bool = False
    style: str | None = None  # a character style
    color: str | None = None
    language: str | None = None  # a Word language tag, for untranslated text


_ASSESSMENT_COLOURS = {"assessment-not-implemented": "8A1C1C",
                       "assessment-worsened": "8A1C1C",
                       "assessment-partially-implemented": "7A5A00",
                       "assessment-implemented": "1D5E2A"}
_BOLD_CLASSES = {"label", "contact-org", "lead", "prev-number", "assessment"}


def _look(node: Node, look: Look) -> Look:
    """The look of the runs inside ``node``, from its tag and classes (as
    print.css gives them)."""
    classes = node.classes
    changes: dict = {}
    if node.tag in ("strong", "b") or classes & _BOLD_CLASSES:
        changes["bold"] = True
    if node.tag in ("em", "i", "cite"):
        changes["italic"] = True
    if "symbol" in classes:
        changes["sans"] = True
    if node.tag == "mark" or "tbc" in classes:
        changes["placeholder"] = True
    if "chapter-num" in classes:
        changes["style"] = "ChapterNumber"
    if "fallback" in classes:
        changes["style"] = "Untranslated"
        if node.attrs.get("lang"):
            changes["language"] = word_language(node.attrs["lang"])
    for name, colour in _ASSESSMENT_COLOURS.items():
        if name in classes:
            changes["color"] = colour
    return replace(look, **changes) if changes else look


def word_language(code: str) -> str:
    """The Word language tag of an edition language: en-GB (UN usage), ru-RU,
    kk-KZ, and the likeliest country for any other."""
    known = {"en": "en-GB", "ru": "ru-RU", "kk": "kk-KZ"}
    if code in known:
        return known[code]
    try:
        locale = Locale.parse(code)
        territory = locale.territory or Locale.parse(
            Locale.parse(code).language, resolve_likely_subtags=True).territory
    except (ValueError, TypeError):
        return code
    return f"{locale.language}-{territory}" if territory else locale.language


# --- small XML helpers ---------------------------------------------------------------


def _child(parent, tag: str, attrs: dict[str, str] | None = None):
    """Add ``<w:tag>`` to a properties element in schema order."""
    order = ORDER[parent.tag.split("}")[1]]
    element = OxmlElement(f"w:{tag}")
    for name, value in (attrs or {}).items():
        element.set(qn(f"w:{name}"), str(value))
    later = order[order.index(tag) + 1:]
    existing = parent.find(qn(f"w:{tag}"))
    if existing is not None:
        parent.replace(existing, element)
        return element
    for child in parent:
        if child.tag.split("}")[1] in later:
            child.addprevious(element)
            return element
    parent.append(element)
    return element


def _properties(element, kind: str):
    """The ``<w:pPr>``/``<w:rPr>``/... of ``element``, made first if need be."""
    found = element.find(qn(f"w:{kind}"))
    if found is None:
        found = OxmlElement(f"w:{kind}")
        element.insert(0, found)
    return found


def _element(tag: str, **attrs) -> object:
    element = OxmlElement(f"w:{tag}")
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _run(look: Look | None = None, style: str | None = None):
    run = OxmlElement("w:r")
    if look is None and style is None:
        return run
    look = look or Look()
    rpr = OxmlElement("w:rPr")
    if style or look.style:
        _child(rpr, "rStyle", {"val": style or look.style})
    if look.sans or look.placeholder:
        _child(rpr, "rFonts", {name: wordml.SANS for name in ("ascii", "hAnsi", "cs")})
    if look.bold:
        _child(rpr, "b")
        _child(rpr, "bCs")
    if look.italic:
        _child(rpr, "i")
        _child(rpr, "iCs")
    if look.color:
        _child(rpr, "color", {"val": look.color})
    if look.placeholder:
        _child(rpr, "highlight", {"val": "yellow"})
    if look.language:
        _child(rpr, "lang", {"val": look.language})
    if len(rpr):
        run.append(rpr)
    return run


def _text(run, text: str) -> object:
    element = OxmlElement("w:t")
    element.text = text
    element.set(qn("xml:space"), "preserve")
    run.append(element)
    return element


def _field(container, instruction: str, shown: str = "", look: Look | None = None) -> None:
    """A Word field (PAGE, NUMPAGES, STYLEREF, PAGEREF...) with the text it shows
    until Word updates it."""
    for kind in ("begin", None, "separate", "shown", "end"):
        run = _run(look)
        if kind is None:
            instr = OxmlElement("w:instrText")
            instr.text = f" {instruction} "
            instr.set(qn("xml:space"), "preserve")
            run.append(instr)
        elif kind == "shown":
            if not shown:
                continue
            _text(run, shown)
        else:
            run.append(_element("fldChar", fldCharType=kind))
        container.append(run)


_SPACES = re.compile(r"[ \t\n\r\f]+")


class Paragraph:
    """The runs of one Word paragraph, white space collapsed as a browser does."""

    def __init__(self, writer: _Writer, element, part) -> None:
        self.writer, self.element, self.part = writer, element, part
        self.container = element  # the paragraph, or the link being written
        self.at_space = True  # nothing yet, or the last text ended with a space
        self.last_text = None
        self.ends: list = []  # bookmark ends, written when the paragraph is done
        self.has_content = False

    @property
    def properties(self):
        return _properties(self.element, "pPr")

    def style(self, ident: str | None) -> None:
        if ident:
            _child(self.properties, "pStyle", {"val": ident})

    def text(self, text: str, look: Look) -> None:
        text = _SPACES.sub(" ", text)
        if self.at_space:
            text = text.lstrip(" ")
        if not text:
            return
        run = _run(look)
        # A numeral's hyphen the HTML joins to its suffix (builder/typography.py)
        # is Word's own non-breaking hyphen. The other word joiners and
        # zero-width spaces (a UN symbol's, a web address's) steer the PDF's
        # line breaks only: Word breaks lines by its own rules, and a reader
        # searching the Word file for "CEDAW/C/KAZ" finds it.
        for index, part in enumerate(_NUMERAL_HYPHEN.split(text)):
            if index:
                run.append(OxmlElement("w:noBreakHyphen"))
            part = part.replace(WORD_JOINER, "").replace(ZERO_WIDTH_SPACE, "")
            if part:
                self.last_text = _text(run, part)
        self.container.append(run)
        self.at_space = text.endswith(" ")
        self.has_content = True

    def line_break(self) -> None:
        run = _run()
        run.append(OxmlElement("w:br"))
        self.container.append(run)
        self._trim()
        self.at_space = True

    def bookmark(self, name: str) -> None:
        ident = self.writer.next_bookmark()
        self.element.append(_element("bookmarkStart", id=ident, name=name))
        self.ends.append(_element("bookmarkEnd", id=ident))

    def footnote_reference(self, ident: int, *, after_another: bool) -> None:
        if after_another:  # "31,32" as in the PDF, not "3132"
            run = _run(style="FootnoteReference")
            _text(run, ",")
            self.container.append(run)
        run = _run(style="FootnoteReference")
        run.append(_element("footnoteReference", id=ident))
        self.container.append(run)
        self.has_content = True

    def open_link(self, *, anchor: str | None = None, address: str | None = None) -> None:
        link = OxmlElement("w:hyperlink")
        if anchor:
            link.set(qn("w:anchor"), anchor)
        else:
            link.set(qn("r:id"), self.part.relate_to(address, RT.HYPERLINK, is_external=True))
        self.element.append(link)
        self.container = link

    def close_link(self) -> None:
        if self.container is not self.element and not len(self.container):
            self.element.remove(self.container)  # an empty link
        self.container = self.element

    def _trim(self) -> None:
        if self.last_text is not None:
            self.last_text.text = self.last_text.text.rstrip(" ")

    def finish(self) -> None:
        if self.at_space:
            self._trim()
        for end in self.ends:
            self.element.append(end)
        self.ends = []


class Sink:
    """Where paragraphs and tables go: the document body, a table cell, a
    header or footer, a footnote."""

    def __init__(self, part, add_paragraph, add_table=None, first=None) -> None:
        self.part = part
        self._add_paragraph, self._add_table = add_paragraph, add_table
        self._first = first  # an empty paragraph already there, used first

    def paragraph(self):
        if self._first is not None:
            first, self._first = self._first, None
            return first
        return self._add_paragraph()

    def table(self, rows: int, columns: int):
        if self._add_table is None:
            return None
        self._first = None
        return self._add_table(rows, columns)


@dataclass
class _Context:
    """What paragraphs made inside an element inherit."""

    style: str | None = None  # for paragraphs that have none of their own
    keep_next: bool = False
    right: bool = False  # aligned right (a figure's cell: class "num")
    in_note: bool = False  # inside a footnote: a note in a note is text


@dataclass
class _Pending:
    """What the next paragraph takes: a number, bookmarks, a page break."""

    number: int | None = None  # a <w:num> id
    bookmarks: list[str] = field(default_factory=list)
    page_break: bool = False


class _Numbers:
    """Word list instances (``<w:num>``), one per run of numbers: a list whose
    next number is not the one expected starts a new instance there."""

    def __init__(self, numbering) -> None:
        self.numbering = numbering
        self.current: dict[str, tuple[int, int]] = {}  # kind -> (num id, next value)
        self.next_id = 1

    def restart(self, kind: str) -> None:
        self.current.pop(kind, None)

    def take(self, kind: str, value: int | None = None) -> int:
        num, expected = self.current.get(kind, (None, None))
        if num is None or (value is not None and value != expected):
            num = self._new(kind, value if value is not None else 1)
            expected = value if value is not None else 1
        self.current[kind] = (num, expected + 1)
        return num

    def _new(self, kind: str, start: int) -> int:
        ident, self.next_id = self.next_id, self.next_id + 1
        num = parse_xml(
            f'<w:num {wordml.NAMESPACES} w:numId="{ident}"><w:abstractNumId '
            f'w:val="{wordml.LISTS[kind][0]}"/><w:lvlOverride w:ilvl="0"><w:startOverride '
            f'w:val="{start}"/></w:lvlOverride></w:num>')
        self.numbering.append(num)
        return ident


def bookmark_name(ident: str) -> str:
    """A Word bookmark name for an HTML id: letters, digits and underscores,
    at most 40 characters, starting with a letter (the same id gives the
    same name)."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", ident)
    if not name[:1].isalpha():
        name = "b" + name
    if len(name) > 40:
        name = name[:31] + "_" + hashlib.sha256(ident.encode()).hexdigest()[:8]
    return name


# A hidden bookmark around the report's body (<main>), from the executive
# summary to the last recommendation: what the check counts.
BODY = "_ReportBody"


# --- the writer ------------------------------------------------------------------------


@dataclass
class Meta:
    """What the HTML's head says about the edition."""

    language: str = "en"
    title: str = ""
    authors: list[str] = field(default_factory=list)
    subject: str = ""
    keywords: str = ""
    date: datetime = datetime(2000, 1, 1, tzinfo=UTC)


def _meta(root: Node) -> Meta:
    meta = Meta()
    html = next(iter(root.descendants("html")), None)
    if html is not None and html.attrs.get("lang"):
        meta.language = html.attrs["lang"]
    title = next(iter(root.descendants("title")), None)
    if title is not None:
        meta.title = " ".join(title.text().split())
    for element in root.descendants("meta"):
        name, value = element.attrs.get("name"), " ".join(
            (element.attrs.get("content") or "").split())
        if name == "author":
            meta.authors.append(value)
        elif name == "description":
            meta.subject = value
        elif name == "keywords":
            meta.keywords = value
        elif name == "dcterms.created":
            match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
            if match:
                meta.date = datetime(*map(int, match.groups()), tzinfo=UTC)
    return meta


class _Writer:
    """One edition's HTML written into a python-docx document."""

    def __init__(self, root: Node, meta: Meta, job: DocxJob) -> None:
        self.root, self.meta, self.job = root, meta, job
        self.language = word_language(meta.language)
        self.document = Document(io.BytesIO(wordml.template(
            self.language, hyphenate=meta.language in ("en", "ru"))))
        part = self.document.part
        self.footnotes = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES,
                                 parse_xml(wordml.footnotes_xml()), part.package)
        part.relate_to(self.footnotes, RT.FOOTNOTES)
        self.notes = 0
        self.numbers = _Numbers(part.numbering_part.element)
        self.bookmarks = 0
        self.pending = _Pending()
        self.warnings: list[str] = []
        self.targets = {element.attrs["href"][1:] for element in root.descendants("a")
                        if element.attrs.get("href", "").startswith("#")}
        self.anchors: set[str] = set()  # element ids written as bookmarks
        body = self.document
        self.body = Sink(part, lambda: body.add_paragraph()._p,
                         lambda rows, columns: body.add_table(rows, columns))

    def next_bookmark(self) -> int:
        self.bookmarks += 1
        return self.bookmarks

    # -- blocks --------------------------------------------------------------------------

    def write(self) -> None:
        body = next(iter(self.root.descendants("body")), self.root)
        self.blocks(body, self.body, _Context())
        dangling = sorted(self.targets - self.anchors)
        if dangling:
            raise RenderError("links without a target in the document: " + ", ".join(dangling))
        self._page_frame()
        self._properties()

    def blocks(self, node: Node, sink: Sink, context: _Context, look: Look = Look()) -> None:
        """The children of a block element: inline content gathered into
        paragraphs, block elements each in their own way."""
        current: Paragraph | None = None
        for child in node.children:
            if isinstance(child, str) or child.tag not in _BLOCKS and \
                    not child.classes & _BLOCK_CLASSES:
                if isinstance(child, Node) and child.tag in _SKIPPED:
                    self._skipped(child)
                    continue
                if current is None:
                    if isinstance(child, str) and not child.strip():
                        continue  # white space between blocks
                    current = self.paragraph(sink, context.style, context)
                self.inline(child, current, look, context)
                continue
            if current is not None:
                current.finish()
                current = None
            self.block(child, sink, context, look)
        if current is not None:
            current.finish()

    def block(self, node: Node, sink: Sink, context: _Context, look: Look) -> None:
        classes = node.classes
        look = _look(node, look)
        if "running-title" in classes:
            return  # printed in the page header instead
        if node.attrs.get("id"):
            self._anchor(node.attrs["id"], node)
        if node.tag == "table":
            self.table(node, sink, context, look)
        elif node.tag == "dl":
            self.facts(node, sink, context, look)
        elif node.tag in ("ul", "ol"):
            self.list(node, sink, context, look)
        elif node.tag == "nav" and "toc" in classes:
            self.contents(node, sink, context)
            self.pending.page_break = True
        elif node.tag == "main":
            start = len(self.document.element.body) - 1  # before the section properties
            self.blocks(node, sink, context, look)
            self._mark_body(start)
        elif node.tag == "hr":
            return
        elif node.tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "caption") or \
                classes & _BLOCK_CLASSES:
            paragraph = self.paragraph(sink, self._style(node, context), context)
            if "introduces" in classes and not context.keep_next:
                # "…recommend that Kazakhstan:" stays with the list, as in the PDF.
                _child(paragraph.properties, "keepNext")
            self.inline_children(node, paragraph, look, context)
            paragraph.finish()
        else:  # a container: section, div, header, li, td...
            if "annex" in classes:
                self.pending.page_break = True
            self.blocks(node, sink, context, look)
            if "cover" in classes and node.tag == "header":
                self.pending.page_break = True

    def _style(self, node: Node, context: _Context) -> str | None:
        for name in node.classes:
            if name in _CLASS_STYLES:
                return _CLASS_STYLES[name]
        if node.attrs.get("data-toc", "").isdigit():
            return f"Heading{min(int(node.attrs['data-toc']), 4)}"
        return {"h1": "Title", "h2": "Heading1", "h3": "Heading3", "h4": "Heading4",
                "h5": "Heading4", "h6": "Heading4"}.get(node.tag, context.style)

    def paragraph(self, sink: Sink, style: str | None, context: _Context) -> Paragraph:
        """A new paragraph in ``sink``, taking what is pending."""
        paragraph = Paragraph(self, sink.paragraph(), sink.part)
        paragraph.style(style)
        pending = self.pending
        if context.keep_next:
            _child(paragraph.properties, "keepNext")
        if context.right:
            _child(paragraph.properties, "jc", {"val": "right"})
        if pending.page_break and sink is self.body:
            _child(paragraph.properties, "pageBreakBefore")
            pending.page_break = False
        if pending.number is not None:
            numbering = _child(paragraph.properties, "numPr")
            numbering.append(_element("ilvl", val=0))
            numbering.append(_element("numId", val=pending.number))
            pending.number = None
        for name in pending.bookmarks:
            paragraph.bookmark(name)
        pending.bookmarks = []
        return paragraph

    def _anchor(self, ident: str, node: Node) -> None:
        if ident in self.targets or node.attrs.get("data-toc"):
            self.anchors.add(ident)
            self.pending.bookmarks.append(bookmark_name(ident))

    def _mark_body(self, start: int) -> None:
        """Bookmark the body's blocks (for the word count of the read-back)."""
        blocks = list(self.document.element.body)  # the last: the section properties
        ident = self.next_bookmark()
        blocks[min(start, len(blocks) - 1)].addprevious(
            _element("bookmarkStart", id=ident, name=BODY))
        blocks[-1].addprevious(_element("bookmarkEnd", id=ident))

    def _skipped(self, node: Node) -> None:
        if node.tag in ("img", "svg", "object", "embed", "iframe", "video", "audio",
                        "canvas"):
            warning = (f"a <{node.tag}> of the templates is left out of the Word edition "
                       "(pictures and objects are not written into Word files)")
            if warning not in self.warnings:
                self.warnings.append(warning)

    # -- lists ---------------------------------------------------------------------------

    def list(self, node: Node, sink: Sink, context: _Context, look: Look) -> None:
        classes = node.classes
        plain = bool(classes & _PLAIN_LISTS)
        if "recommendation-list" in classes:
            kind, style = "recommendation", None
        else:
            kind = "bullet" if node.tag == "ul" else "list"
            style = "Bibliography" if "bibliography" in classes else \
                "ListBullet" if kind == "bullet" else "ListNumber"
            self.numbers.restart(kind)
        value = int(node.attrs["start"]) if node.attrs.get("start", "").isdigit() else None
        for item in node.elements("li"):
            if item.attrs.get("id"):
                self._anchor(item.attrs["id"], item)
            if item.attrs.get("value", "").isdigit():
                value = int(item.attrs["value"])
            if not plain:
                self.pending.number = self.numbers.take(kind, value)
            value = value + 1 if value is not None else None
            self.blocks(item, sink, replace(context, style=context.style if plain else style),
                        _look(item, look))
            self.pending.number = None

    # -- tables --------------------------------------------------------------------------

    def table(self, node: Node, sink: Sink, context: _Context, look: Look) -> None:
        for caption in node.elements("caption"):
            self.block(caption, sink, replace(context, style="Caption"), look)
        rows: list[tuple[Node, bool]] = []  # (row, in the header)
        groups: dict[int, str] = {}  # index of a row group's first row -> the group's id
        for part in node.elements():
            if part.tag == "tr":
                rows.append((part, False))
            elif part.tag in ("thead", "tbody", "tfoot"):
                if part.attrs.get("id"):  # a follow-up entry, linked to from a recommendation
                    groups[len(rows)] = part.attrs["id"]
                rows += [(row, part.tag == "thead") for row in part.elements("tr")]
        if not rows:
            return
        columns = max(sum(_span(cell) for cell in row.elements() if cell.tag in ("td", "th"))
                      for row, _ in rows)
        table = self._new_table(sink, len(rows), columns, context)
        if table is None:  # a table inside a footnote: its cells as text
            for row, _ in rows:
                self.blocks(row, sink, context, look)
            return
        kind = next((name for name in node.classes if name in _COLUMNS), None)
        widths = _COLUMNS[kind] if kind and len(_COLUMNS[kind]) == columns else \
            (100 / columns,) * columns
        self._layout(table, [round(wordml.TEXT_WIDTH * share / 100) for share in widths],
                     fixed=kind == "follow-up")
        for index, (row, header) in enumerate(rows):
            word_row = table.rows[index]
            properties = _properties(word_row._tr, "trPr")
            if "prev-detail" not in row.classes:  # a long row may run over a page
                _child(properties, "cantSplit")
            if header:
                _child(properties, "tblHeader")
            if index in groups:
                self._anchor(groups[index], row)
            if row.attrs.get("id"):
                self._anchor(row.attrs["id"], row)
            at = 0
            for cell in (cell for cell in row.elements() if cell.tag in ("td", "th")):
                span = min(_span(cell), columns - at)
                if span <= 0:
                    break
                word_cell = word_row.cells[at]
                if span > 1:
                    word_cell = word_cell.merge(word_row.cells[at + span - 1])
                at += span
                self._cell_look(word_cell, cell, row, header)
                cell_sink = Sink(sink.part, lambda c=word_cell: c.add_paragraph()._p,
                                 lambda rows, cols, c=word_cell: c.add_table(rows, cols),
                                 first=word_cell.paragraphs[0]._p)
                style = "TableHeading" if cell.tag == "th" or header else "TableText"
                if cell.attrs.get("id"):
                    self._anchor(cell.attrs["id"], cell)
                self.blocks(cell, cell_sink,
                            replace(context, style=style,
                                    keep_next="prev-summary" in row.classes or header,
                                    right="num" in cell.classes),
                            _look(cell, _look(row, look)))

    def _new_table(self, sink: Sink, rows: int, columns: int, context: _Context):
        if self.pending.page_break and sink is self.body:
            self.paragraph(sink, None, context).finish()  # the page break, before the table
        table = sink.table(rows, columns)
        if table is None:
            return None
        table.style = None
        properties = table._tbl.tblPr
        _child(properties, "tblStyle", {"val": "ReportTable"})
        if self.pending.bookmarks:  # an anchor on the table: on the paragraph before it
            self.paragraph(sink, None, context).finish()
        return table

    def _layout(self, table, widths: list[int], *, fixed: bool) -> None:
        properties = table._tbl.tblPr
        _child(properties, "tblW", {"w": sum(widths), "type": "dxa"})
        if fixed:
            _child(properties, "tblLayout", {"type": "fixed"})
        for column, width in zip(table.columns, widths, strict=True):
            column._gridCol.set(qn("w:w"), str(width))
        for row in table.rows:
            for cell, width in zip(row._tr.tc_lst, widths, strict=False):
                _child(_properties(cell, "tcPr"), "tcW", {"w": width, "type": "dxa"})

    def _cell_look(self, word_cell, cell: Node, row: Node, header: bool) -> None:
        properties = word_cell._tc.get_or_add_tcPr()
        navy, grey = wordml.NAVY, "BBBBBB"
        if header or cell.tag == "th":
            bottom, fill = ("single", 8, navy), "E8EDF3"
        elif "prev-summary" in row.classes:
            bottom, fill = ("single", 4, "CCD3DD"), "F4F6F9"
        elif "prev-detail" in row.classes:
            bottom, fill = ("single", 8, navy), None
        else:
            bottom, fill = ("single", 4, grey), None
        borders = _child(properties, "tcBorders")
        borders.append(_element("bottom", val=bottom[0], sz=bottom[1], space=0,
                                color=bottom[2]))
        if fill:
            _child(properties, "shd", {"val": "clear", "color": "auto", "fill": fill})

    def facts(self, node: Node, sink: Sink, context: _Context, look: Look) -> None:
        """A list of facts (``<dl>``: the cover's, a case's) as a two-column
        table without borders: the label, then what it says."""
        pairs: list[tuple[Node | None, list[Node]]] = []
        for child in node.elements():
            if child.tag == "dt":
                pairs.append((child, []))
            elif child.tag == "dd":
                if not pairs:
                    pairs.append((None, []))
                pairs[-1][1].append(child)
        if not pairs:
            return
        table = self._new_table(sink, len(pairs), 2, context)
        if table is None:
            for label, values in pairs:
                for part in ([label] if label else []) + values:
                    self.blocks(part, sink, context, look)
            return
        label_width = twips(next((width for name, width in _FACT_LABELS.items()
                                  if name in node.classes), 40))
        self._layout(table, [label_width, wordml.TEXT_WIDTH - label_width], fixed=True)
        if "cover-facts" in node.classes:  # the rule above the cover's facts
            rule = _child(table._tbl.tblPr, "tblBorders")
            rule.append(_element("top", val="single", sz=12, space=0, color=wordml.NAVY))
        for index, (label, values) in enumerate(pairs):
            row = table.rows[index]
            _child(_properties(row._tr, "trPr"), "cantSplit")
            for cell, parts, style in ((row.cells[0], [label] if label else [], "FactLabel"),
                                       (row.cells[1], values, "FactText")):
                cell_sink = Sink(sink.part, lambda c=cell: c.add_paragraph()._p,
                                 lambda rows, cols, c=cell: c.add_table(rows, cols),
                                 first=cell.paragraphs[0]._p)
                for part in parts:
                    if part.attrs.get("id"):
                        self._anchor(part.attrs["id"], part)
                    self.blocks(part, cell_sink, replace(context, style=style),
                                _look(part, look))

    # -- the table of contents -------------------------------------------------------------

    def contents(self, node: Node, sink: Sink, context: _Context) -> None:
        """The contents as a Word TOC field over heading levels 1 and 2; until
        Word updates it, it shows the HTML's entries, each linked to its heading."""
        entries: list[tuple[int, str, str]] = []
        for child in node.elements():
            if child.tag in ("ol", "ul"):
                for item in child.elements("li"):
                    link = next(iter(item.descendants("a")), None)
                    level = 2 if "toc-level-2" in item.classes else 1
                    if link is not None:
                        entries.append((level, link.attrs.get("href", "")[1:],
                                        " ".join(link.text().split())))
            else:
                self.block(child, sink, context, Look())
        paragraphs = []
        for level, target, text in entries or [(1, "", "")]:
            paragraph = self.paragraph(sink, f"TOC{level}", context)
            paragraphs.append(paragraph)
            if target:
                paragraph.open_link(anchor=bookmark_name(target))
                paragraph.text(text, Look())
                paragraph.container.append(_run())
                paragraph.container[-1].append(OxmlElement("w:tab"))
                _field(paragraph.container, f"PAGEREF {bookmark_name(target)} \\h")
                paragraph.close_link()
        first, last = paragraphs[0].element, paragraphs[-1].element
        begin = OxmlElement("w:r")
        begin.append(_element("fldChar", fldCharType="begin"))
        instruction = OxmlElement("w:r")
        code = OxmlElement("w:instrText")
        code.text = ' TOC \\o "1-2" \\h \\z \\u '
        code.set(qn("xml:space"), "preserve")
        instruction.append(code)
        separate = OxmlElement("w:r")
        separate.append(_element("fldChar", fldCharType="separate"))
        at = 1 if first.find(qn("w:pPr")) is not None else 0
        for offset, run in enumerate((begin, instruction, separate)):
            first.insert(at + offset, run)
        end = OxmlElement("w:r")
        end.append(_element("fldChar", fldCharType="end"))
        last.append(end)
        for paragraph in paragraphs:
            paragraph.finish()

    # -- inline content ----------------------------------------------------------------------

    def inline_children(self, node: Node, paragraph: Paragraph, look: Look,
                        context: _Context) -> None:
        for child in node.children:
            self.inline(child, paragraph, look, context)

    def inline(self, node: Node | str, paragraph: Paragraph, look: Look,
               context: _Context) -> None:
        if isinstance(node, str):
            paragraph.text(node, look)
            return
        if node.tag in _SKIPPED:
            self._skipped(node)
            return
        if node.attrs.get("id"):
            self._anchor(node.attrs["id"], node)
            for name in self.pending.bookmarks:  # an anchor inside a paragraph
                paragraph.bookmark(name)
            self.pending.bookmarks = []
        classes = node.classes
        if "para-num" in classes:
            self._paragraph_number(node, paragraph)
            return
        if "ibid-full" in classes:  # Word lays out its own pages: "Ibid." as written
            return
        if "footnote" in classes and not context.in_note:
            self.footnote(node, paragraph, look, context)
            return
        if node.tag == "br":
            paragraph.line_break()
            return
        look = _look(node, look)
        if node.tag == "a" and node.attrs.get("href") and paragraph.container is \
                paragraph.element:
            href = node.attrs["href"]
            if href.startswith("#"):
                paragraph.open_link(anchor=bookmark_name(href[1:]))
            elif re.match(r"(?i)(https?|mailto):", href):
                paragraph.open_link(address=href)
            else:
                self.inline_children(node, paragraph, look, context)
                return
            self.inline_children(node, paragraph, look, context)
            paragraph.close_link()
            return
        if node.tag in _BLOCKS or classes & _BLOCK_CLASSES:  # a block inside a paragraph
            paragraph.line_break()
        self.inline_children(node, paragraph, look, context)

    def _paragraph_number(self, node: Node, paragraph: Paragraph) -> None:
        """A body paragraph's number (``<span class="para-num">12.</span>``)
        becomes the paragraph's place in Word's list of numbered paragraphs."""
        match = re.fullmatch(r"\s*(\d+)\.?\s*", node.text())
        if not match:
            paragraph.text(node.text(), Look())
            return
        numbering = _child(paragraph.properties, "numPr")
        numbering.append(_element("ilvl", val=0))
        numbering.append(_element("numId", val=self.numbers.take("paragraph",
                                                                 int(match[1]))))

    def footnote(self, node: Node, paragraph: Paragraph, look: Look,
                 context: _Context) -> None:
        """A real Word footnote: its reference here, its text in the footnotes part."""
        self.notes += 1
        ident = self.notes
        note = _element("footnote", id=ident)
        self.footnotes.element.append(note)
        def add() -> object:
            element = OxmlElement("w:p")
            note.append(element)
            return element

        text = self.paragraph(Sink(self.footnotes, add), "FootnoteText",
                              replace(context, keep_next=False))
        mark = _run(style="FootnoteReference")
        mark.append(OxmlElement("w:footnoteRef"))
        text.element.append(mark)
        tab = OxmlElement("w:r")
        tab.append(OxmlElement("w:tab"))
        text.element.append(tab)
        self.inline_children(node, text, look, replace(context, in_note=True))
        text.finish()
        paragraph.footnote_reference(ident, after_another="next-note" in node.classes)

    # -- headers, footers, properties ------------------------------------------------------

    def _page_frame(self) -> None:
        """Running title and chapter at the top of each page but the first, as in
        the PDF; "Page X of Y" at the foot of every page; an internal
        edition's mark at both corners of the foot of every page."""
        section = self.document.sections[0]
        section.different_first_page_header_footer = True
        running = next((node for node in self.root.descendants("p")
                        if "running-title" in node.classes), None)
        header = section.header
        header.is_linked_to_previous = False
        paragraph = Paragraph(self, header.paragraphs[0]._p, header.part)
        paragraph.style("Header")
        if running is not None:
            paragraph.text(running.text(), Look())
        tab = OxmlElement("w:r")
        tab.append(OxmlElement("w:tab"))
        paragraph.element.append(tab)
        tab = OxmlElement("w:r")
        tab.append(OxmlElement("w:tab"))
        paragraph.element.append(tab)
        _field(paragraph.element, 'STYLEREF "Heading 1"')
        paragraph.finish()
        section.first_page_header.is_linked_to_previous = False
        for footer in (section.footer, section.first_page_footer):
            footer.is_linked_to_previous = False
            self._footer(Paragraph(self, footer.paragraphs[0]._p, footer.part))

    def _footer(self, paragraph: Paragraph) -> None:
        paragraph.style("Footer")
        mark = self.job.mark
        if mark:
            paragraph.text(mark, Look(style="Confidential"))
        paragraph.element.append(_run())
        paragraph.element[-1].append(OxmlElement("w:tab"))
        label = self.job.page_label or "{page}"
        for part in re.split(r"(\{page\}|\{pages\})", label):
            if part == "{page}":
                _field(paragraph.element, "PAGE", "1")
            elif part == "{pages}":
                _field(paragraph.element, "NUMPAGES", "1")
            elif part:
                run = _run()
                _text(run, part)
                paragraph.element.append(run)
        if mark:
            paragraph.element.append(_run())
            paragraph.element[-1].append(OxmlElement("w:tab"))
            run = _run(style="Confidential")
            _text(run, mark)
            paragraph.element.append(run)

    def _properties(self) -> None:
        """The document's properties, from the HTML's head; every date is the
        report's date, never the clock."""
        properties = self.document.core_properties
        meta = self.meta
        properties.title = _fit(meta.title)
        properties.author = _fit(", ".join(meta.authors))
        properties.subject = _fit(meta.subject)
        properties.keywords = _fit(meta.keywords, ", ")
        properties.language = self.language
        properties.created = properties.modified = meta.date.replace(tzinfo=None)
        properties.last_modified_by = ""
        properties.revision = 1


def _fit(text: str, separator: str = " ", limit: int = 255) -> str:
    """Text cut to the 255 characters Word keeps of a document property, at
    the last ``separator`` that fits (whole key words, whole words)."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    at = cut.rfind(separator)
    return (cut[:at] if at > 0 else cut).rstrip(" ,;") + "…"


def _span(cell: Node) -> int:
    value = cell.attrs.get("colspan", "1")
    return max(1, min(int(value), 63)) if value.isdigit() else 1


# --- the file ---------------------------------------------------------------------------


def render_docx(html: str, job: DocxJob) -> tuple[bytes, list[str]]:
    """The Word edition of ``html`` as bytes (reproducible), and warnings."""
    root = parse(html)
    writer = _Writer(root, _meta(root), job)
    writer.write()
    buffer = io.BytesIO()
    writer.document.save(buffer)
    return reproducible(buffer.getvalue(), writer.meta.date), writer.warnings


def reproducible(data: bytes, date: datetime) -> bytes:
    """The same package with every entry dated ``date`` and in a fixed order,
    so that the same edition gives the same bytes on any day."""
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        entries = {name: package.read(name) for name in names}
    ordered = ["[Content_Types].xml"] + sorted(name for name in names
                                              if name != "[Content_Types].xml")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name in ordered:
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            package.writestr(info, entries[name], compresslevel=6)
    return buffer.getvalue()


def _refuse_foreign(package: docx_read.ReadBack, name: str, target: Path) -> None:
    """A Word file that holds anything a Word edition never has (a picture, an
    embedded object, a link to an outside template...) is removed: its
    contents are out of reach of the leak check, or reach outside the file."""
    if package.foreign:
        target.unlink(missing_ok=True)
        raise RenderError(f"{name or target.name}: the Word file holds what a Word edition "
                          f"never has ({'; '.join(package.foreign)}); it was not kept")


def make_docx(job: DocxJob) -> DocxDone:
    """Write one Word edition to ``job.target`` (a temporary file the build
    moves into place) and check it read back: only the parts a Word edition
    may hold, and for a public edition no confidential value in any of them."""
    started = time.perf_counter()
    try:
        data, warnings = render_docx(job.html, job)
    except RenderError as error:
        if job.name and not str(error).startswith(f"{job.name}:"):
            raise RenderError(f"{job.name}: {error}") from None
        raise
    made = time.perf_counter()
    written(job.target)
    try:
        job.target.write_bytes(data)
    except OSError as exc:
        raise OutputError(f"{job.target.parent}: the Word file cannot be written: "
                          f"{exc.strerror or exc}") from None
    try:
        package = docx_read.read(job.target)
    except docx_read.Refused as refused:
        job.target.unlink(missing_ok=True)
        raise RenderError(f"{job.name or job.target.name}: {refused}") from None
    refuse_leaks(package.searchable, job.secrets, job.name, job.target,
                 "the Word file as read back")
    _refuse_foreign(package, job.name, job.target)
    finished = time.perf_counter()
    return DocxDone(package.count, package.notes, warnings, finished - started,
                    (("write", made - started), ("read-back and checks", finished - made)))


