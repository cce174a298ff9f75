"""Corrections to WeasyPrint 70's PDF/UA tagging, made while the PDF is written.

WeasyPrint tags each page on its own, and everything it draws as content.
A reader of the structure tree (a screen reader, a PDF/UA checker) then met:

* the contents' leader dots as thousands of separate "." items (2,217 in the
  sample's upr-en): they are drawn as **artifacts** and left out of the tree;
* a word hyphenated at a line end as "Расследова‐" + "ние": the hyphen the
  layout adds is drawn as an **artifact**, apart from the word's tagged text,
  so that the tree reads "Расследова" + "ние". Extraction that reads every
  glyph (pdftotext, PDFium) still gives the hyphen and the line end;
* a table split across pages as two tables, with the header row repeated
  on the second page as a second ``THead``; a section, list or paragraph
  split across pages as two: elements that continue an element of the page
  before are **merged into it** (one ``Table``, one ``Sect``, one ``P``), and
  a header row repeated on a following page is an artifact;
* the running header and the page numbers (margin boxes) as content that
  belongs to no element: they are artifacts;
* a bookmark's title with the word joiner that keeps "1-жағдай" on one line
  (builder/typography.py): a bookmark reads as the heading's tagged text,
  without it.

:func:`install` replaces ``Stream.marked`` (how a box's content is marked),
WeasyPrint's ``_build_box_tree`` (which boxes become structure elements) and
``add_tags`` (the whole tree, then merged), and :func:`prepare` flags the
boxes of a laid-out document; both are called by :func:`builder.pdf.write_pdf`.
:func:`open_with_bookmarks` is the finisher that makes every PDF open with its
bookmarks shown. tests/test_pdf.py reads the structure back with pikepdf.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pydyf
from weasyprint import pdf as weasyprint_pdf
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import stream as weasyprint_stream
from weasyprint.pdf import tags as weasyprint_tags

from builder.typography import WORD_JOINER

# Attributes set on laid-out boxes by prepare().
ARTIFACT = "_shadow_report_artifact"  # drawn as an artifact, not in the tree
HYPHENATED = "_shadow_report_hyphenated"  # ends with a hyphen the layout added
REPEATED_HEADER = "_shadow_report_repeated_header"  # a table header row group, again


def prepare(document) -> None:
    """Flag the boxes of a laid-out document that are not content: leaders,
    margin boxes, header rows repeated on a table's following pages; and the
    text boxes that end with a hyphen the layout added at a line end. Bookmark
    titles lose their word joiners."""
    tables_seen: set = set()
    for page in document.pages:
        page.bookmarks = [(level, label.replace(WORD_JOINER, ""), point, state)
                          for level, label, point, state in page.bookmarks]
        for box in page._page_box.descendants():
            if isinstance(box, boxes.MarginBox) and box.at_keyword.startswith("@bottom"):
                # The page numbers. The running header stays as WeasyPrint tags
                # it: outloud reads a long chapter title met on fewer than
                # three pages as prose hidden from readers.
                _flag_artifact(box, _PAGINATION, _FOOTER)
            elif getattr(box, "is_leader", False):
                _flag_artifact(box, _LAYOUT)
            elif isinstance(box, boxes.TableBox) and box.element is not None:
                if box.element in tables_seen:
                    for group in box.children:
                        if group.is_header:
                            _flag_artifact(group, _PAGINATION)
                            setattr(group, REPEATED_HEADER, True)
                tables_seen.add(box.element)
            elif isinstance(box, boxes.LineBox):
                texts = [child for child in box.descendants()
                         if isinstance(child, boxes.TextBox)]
                if texts and _ends_hyphenated(texts[-1]):
                    setattr(texts[-1], HYPHENATED, True)


# The kinds of artifact (ISO 32000-1, 14.8.2.2): a page's furniture, a
# layout's (leaders, a hyphen), and the page's foot.
_PAGINATION = {"Type": "/Pagination"}
_LAYOUT = {"Type": "/Layout"}
_FOOTER = {"Subtype": "/Footer"}


def _ends_hyphenated(box) -> bool:
    hyphen = box.style["hyphenate_character"]
    return bool(hyphen) and box.text.endswith(hyphen) and len(box.text) > len(hyphen)


def _flag_artifact(box, *kinds: dict) -> None:
    properties = {key: value for kind in kinds for key, value in kind.items()}
    for descendant in box.descendants():
        setattr(descendant, ARTIFACT, properties)


# --- drawing ------------------------------------------------------------------

_original_marked = weasyprint_stream.Stream.marked


@contextmanager
def marked(self, box, tag):
    """Mark a box's drawing as tagged content, as WeasyPrint does; an artifact's
    as an artifact; a hyphenated text box's hyphen as an artifact after its
    tagged text."""
    if self._tags is None or not isinstance(box, boxes.Box):
        with _original_marked(self, box, tag):
            yield
    elif (properties := getattr(box, ARTIFACT, None)) is not None:
        self.begin_marked_content("Artifact", pydyf.Dictionary(properties))
        try:
            yield
        finally:
            self.end_marked_content()
    elif getattr(box, HYPHENATED, False):
        mcid = len(self._tags)
        self._tags[box] = {"tag": tag, "mcid": mcid}
        # Begun here as WeasyPrint does, so that the box's text object is not
        # joined to the one before (Stream.begin_text drops an "ET BT").
        self.stream.append(_begin(tag, mcid))
        start = len(self.stream)
        try:
            yield
        finally:
            drawn = self.stream[start:]
            del self.stream[start - 1:]
            self.stream.extend(_hyphen_apart(drawn, tag, mcid))
    else:
        with _original_marked(self, box, tag):
            yield


# The last glyph of a TJ operand (4 hex digits: WeasyPrint's fonts that are
# not bitmaps, which the report's are), with what follows it (a kerning).
_LAST_GLYPH = re.compile(rb"^\[(?P<before>.*?)(?P<glyph>[0-9a-f]{4})>(?P<after>-?[\d.]*)\] TJ$",
                         re.DOTALL)


def _hyphen_apart(drawn: list, tag: str, mcid: int) -> list:
    """The operations that draw a hyphenated text box, its text marked as
    ``tag`` with ``mcid`` and its last glyph, the hyphen, as an artifact.

    Both sequences are inside the text object (BT ... ET), so that the text
    position runs on from the word to its hyphen; what is drawn outside it (an
    underline) is an artifact too. Without a text object whose last operation
    shows the hyphen, the whole box is marked as WeasyPrint marks it.
    """
    begin = _begin(tag, mcid)
    try:
        bt = drawn.index(b"BT")
        et = len(drawn) - 1 - drawn[::-1].index(b"ET")
    except ValueError:
        bt = et = -1
    shown = [index for index in range(bt + 1, et) if isinstance(drawn[index], bytes)
             and drawn[index].endswith(b"] TJ")]
    found = _LAST_GLYPH.match(drawn[shown[-1]]) if shown else None
    if not found:
        return [begin, *drawn, b"EMC"]
    word = found["before"]
    # The hyphen began a glyph group of its own, or ended the word's.
    word = word[:-1] if word.endswith(b"<") else word + b">"
    word_ops = [b"[" + word + b"] TJ"] if word else []
    hyphen = b"[<" + found["glyph"] + b">" + found["after"] + b"] TJ"
    before, after = drawn[:bt], drawn[et + 1:]
    return [*_as_artifact(before), b"BT", begin, *drawn[bt + 1:shown[-1]], *word_ops, b"EMC",
            *_as_artifact([hyphen]), *drawn[shown[-1] + 1:et], b"ET", *_as_artifact(after)]


def _begin(tag: str, mcid: int) -> bytes:
    return f"/{tag} <</MCID {mcid}>> BDC".encode()


def _as_artifact(operations: list) -> list:
    return [b"/Artifact <</Type /Layout>> BDC", *operations, b"EMC"] if operations else []


# --- the structure tree ---------------------------------------------------------

_original_build_box_tree = weasyprint_tags._build_box_tree
_original_add_tags = weasyprint_tags.add_tags


class _Records:
    """What WeasyPrint's tagging of one PDF made, for the merge that follows."""

    def __init__(self) -> None:
        self.sources: dict[int, tuple] = {}  # element's object number: (HTML element, tag)
        self.headers: dict = {}  # HTML th element: its first TH structure element
        self.stand_ins: list[tuple[pydyf.Dictionary, object]] = []  # repeated th cells
        self.footnote_areas: set[int] = set()  # object numbers of each page's notes area


_records: _Records | None = None


def build_box_tree(box, parent, pdf, page_number, nums, annotations, tags):
    """WeasyPrint's structure elements of a box, recording which HTML element
    each comes from; nothing for an artifact."""
    if getattr(box, ARTIFACT, None) is not None:
        annotation = getattr(box, "link_annotation", None)
        if annotation is not None:  # a leader is a part of its link
            link = _link_annotation(annotation, parent, pdf, page_number, annotations)
            if link is not None:
                yield link
        if getattr(box, REPEATED_HEADER, False):
            # WeasyPrint links the table's cells to the header cells of the same
            # page: those of the repeated row stand in for the first row's.
            for cell in box.descendants():
                if isinstance(cell, boxes.TableCellBox) and cell.element_tag == "th":
                    cell.mark = pydyf.Dictionary({"A": pydyf.Dictionary()})
                    _records.stand_ins.append((cell.mark, cell.element))
        return
    for element in _original_build_box_tree(box, parent, pdf, page_number, nums,
                                            annotations, tags):
        # Elements yielded through html, body and the page were recorded below.
        if element.number not in _records.sources:
            _records.sources[element.number] = (box.element, box.element_tag)
            if isinstance(box, boxes.FootnoteAreaBox):
                _records.footnote_areas.add(element.number)
            if element["S"] == "/TH":
                _records.headers.setdefault(box.element, element)
        yield element


def _link_annotation(annotation, parent, pdf, page_number, annotations):
    """Tag a link annotation of an artifact in its parent ``Link`` element, or
    give it one (returned) when the parent is not a link; as WeasyPrint tags a
    box's link."""
    reference = pydyf.Dictionary({"Type": "/OBJR", "Obj": annotation.reference,
                                  "Pg": pdf.page_references[page_number]})
    pdf.add_object(reference)
    link = None
    if parent["S"] != "/Link":
        link = parent = pydyf.Dictionary({"Type": "/StructElem", "S": "/Link", "K": pydyf.Array(),
                                          "Pg": pdf.page_references[page_number],
                                          "P": parent.reference})
        pdf.add_object(link)
    parent["K"].append(reference.reference)
    annotations.append((parent.reference, annotation))
    return link


def add_tags(pdf, document, pdf_version, page_streams):
    """WeasyPrint's structure tree, with the elements split by a page break
    merged (:func:`_merge_continued`)."""
    global _records
    _records = _Records()
    try:
        _original_add_tags(pdf, document, pdf_version, page_streams)
        _link_repeated_headers(pdf)
        notes = _detach_notes(pdf, _parents(document))
        _merge_continued(pdf)
        _attach_notes(pdf, notes)
    finally:
        _records = None


def _object(pdf, reference):
    """The object a reference (``b"12 0 R"``) points to; None for anything else."""
    if isinstance(reference, bytes) and reference.endswith(b" R"):
        return pdf.objects[int(reference.split()[0])]
    return None


def _link_repeated_headers(pdf) -> None:
    """Point the cells that WeasyPrint linked to a repeated header cell at the
    header cell of the table's first page."""
    first = {}
    for stand_in, element in _records.stand_ins:
        header = _records.headers.get(element)
        if "ID" in stand_in and header is not None and "ID" in header:
            first[stand_in["ID"].string] = header["ID"]
    if not first:
        return
    for number in _records.sources:
        cell = pdf.objects[number]
        if cell.get("S") == "/TD" and "Headers" in cell.get("A", {}):
            cell["A"]["Headers"] = pydyf.Array(
                first.get(key.string, key) for key in cell["A"]["Headers"])


# The structure elements after whose text a footnote is read.
_NOTE_HOLDERS = {"/P", "/TD", "/TH", "/LBody", "/Caption", "/H1", "/H2", "/H3", "/H4", "/H5",
                 "/H6"}


def _parents(document) -> dict:
    """Each HTML element of the document: its parent."""
    roots = {box.element for page in document.pages for box in page._page_box.children
             if box.element_tag == "html"}
    return {child: parent for root in roots for parent in root.iter() for child in parent}


def _detach_notes(pdf, parents: dict) -> list[tuple[bytes, object]]:
    """Take the footnotes out of the notes area that WeasyPrint tags at each
    page's end (which would stand between a paragraph's two halves), each with
    the HTML element of the paragraph or cell that calls it; an area left
    empty leaves the tree. A note whose caller has no such element stays."""
    holders = {source[0] for number, source in _records.sources.items()
               if pdf.objects[number].get("S") in _NOTE_HOLDERS and source[0] is not None
               and source[1] == source[0].tag}
    notes = []
    for number in sorted(_records.footnote_areas):
        area = pdf.objects[number]
        kept = pydyf.Array()
        for kid in area["K"]:
            note = _object(pdf, kid)
            source = _records.sources.get(note.number) if note is not None else None
            holder = source[0] if source else None
            while holder is not None and holder not in holders:
                holder = parents.get(holder)
            if holder is None:
                kept.append(kid)
            else:
                notes.append((kid, holder))
        area["K"] = kept
        if not kept:
            parent = _object(pdf, area["P"])
            parent["K"] = pydyf.Array(kid for kid in parent["K"] if kid != area.reference)
            area.clear()
    return notes


def _attach_notes(pdf, notes: list[tuple[bytes, object]]) -> None:
    """Put each detached footnote at the end of the (merged) element of the
    paragraph or cell that calls it, in the order of the notes."""
    first: dict = {}
    for number, (element, tag) in sorted(_records.sources.items()):
        found = pdf.objects[number]
        if found.get("S") in _NOTE_HOLDERS and element is not None and tag == element.tag:
            first.setdefault(element, found)
    for count, (kid, holder) in enumerate(notes, 1):
        note = _object(pdf, kid)
        note["P"] = first[holder].reference
        # A footnote is a Note, with the unique ID PDF/UA asks of one.
        note["S"] = "/Note"
        note["ID"] = pydyf.String(f"note-{count}")
        first[holder]["K"].append(kid)


def _merge_continued(pdf) -> None:
    """Merge each structure element that continues, at the top of a page, the
    element of the same HTML element that ends the page before.

    WeasyPrint builds the tree page by page: a table on pages 6 and 7 is a
    ``Table`` of page 6 and a ``Table`` of page 7, in a ``Sect`` of page 6 and a
    ``Sect`` of page 7. Siblings that come from the same HTML element (and
    tag) and whose second begins on a later page than the first ends are one
    element: the second's children move to the first, whose marked content on
    the later page is referred to with its page (``MCR``), and every reference
    to the second (the parent tree, the annotations) goes to the first. The
    second is left empty (pydyf 0.13 cannot leave an object out of an object
    stream: its cross-reference stream would then be shifted).
    """
    page_of = {reference: index for index, reference in enumerate(pdf.page_references)}
    last_page: dict[int, int] = {}  # a merged element's number: the last page it is on
    merged_into: dict[int, bytes] = {}

    def continues(first, second) -> bool:
        source = _records.sources.get(first.number)
        return (source is not None and source[0] is not None
                and _records.sources.get(second.number, (None,))[0] is source[0]
                and _records.sources[second.number][1] == source[1]
                and first["S"] == second["S"]
                and page_of[second["Pg"]] > last_page.get(first.number, page_of[first["Pg"]]))

    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    stack = [_object(pdf, root["K"][0])]
    while stack:
        parent = stack.pop()
        kids = pydyf.Array()
        for kid in parent["K"]:
            element = _object(pdf, kid)
            previous = _object(pdf, kids[-1]) if kids else None
            if (element is not None and previous is not None and "S" in element
                    and "S" in previous and continues(previous, element)):
                _absorb(pdf, previous, element, page_of, last_page)
                merged_into[element.number] = previous.reference
            else:
                kids.append(kid)
        parent["K"] = kids
        stack += [element for element in map(lambda kid: _object(pdf, kid), kids)
                  if element is not None and element.get("Type") == "/StructElem"]
    if not merged_into:
        return

    def survivor(reference):
        while (found := _object(pdf, reference)) is not None and found.number in merged_into:
            reference = merged_into[found.number]
        return reference

    nums = _object(pdf, root["ParentTree"])["Nums"]
    for index in range(1, len(nums), 2):
        if isinstance(nums[index], list):
            nums[index] = pydyf.Array(survivor(reference) for reference in nums[index])
        else:
            nums[index] = survivor(nums[index])
    for number in merged_into:
        pdf.objects[number].clear()


def _absorb(pdf, first, second, page_of, last_page) -> None:
    """Move the children of ``second`` to ``first``."""
    for kid in second["K"]:
        if isinstance(kid, int):  # marked content of the second's page
            kid = pydyf.Dictionary({"Type": "/MCR", "Pg": second["Pg"], "MCID": kid})
        elif (child := _object(pdf, kid)) is not None and child.get("Type") == "/StructElem":
            child["P"] = first.reference
        first["K"].append(kid)
    last_page[first.number] = max(last_page.get(first.number, page_of[first["Pg"]]),
                                  last_page.get(second.number, page_of[second["Pg"]]))


def open_with_bookmarks(document, pdf) -> None:
    """A finisher for ``write_pdf``: the PDF opens with its bookmarks shown."""
    pdf.catalog["PageMode"] = "/UseOutlines"


def install() -> None:
    """Use these corrections when WeasyPrint writes a PDF in this process."""
    weasyprint_stream.Stream.marked = marked
    weasyprint_tags._build_box_tree = build_box_tree
    weasyprint_pdf.add_tags = add_tags
