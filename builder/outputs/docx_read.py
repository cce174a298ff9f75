"""A Word file read back as a reader, a search or the check would get at it.

Used after each Word edition is written (:func:`builder.outputs.docx.make_docx`):

* **What it may hold.** Every part of the package must be one a Word edition
  has (:data:`builder.outputs.wordml.PARTS`: the document, its styles,
  settings, numbering, fonts, footnotes, headers and footers, properties); a
  picture, an embedded object or font, a macro, custom XML, an alternative
  chunk of HTML or anything else is refused, and so is any relationship to
  something outside the file but a link (a template, a picture or a frame
  fetched from the web).
* **Everything a reader can get at, for the leak check.** Each paragraph's
  text with its runs joined (Word splits a word into several runs when its
  formatting or editing history changes: "Temir" + "kulova" is one word), and
  every text and attribute value of every part: footnotes, endnotes,
  comments, headers, footers, field codes, bookmark names, link addresses,
  the document's properties.
* **The words the check counts**, by the rule of :func:`builder.check.words`:
  the body (between the hidden bookmark the writer puts around the report's
  body) without chapter numbers (paragraph numbers are Word list numbers, not
  text), the notes called from it apart, and apart again the words of text
  shown untranslated.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lxml import etree

from builder.check import WordCount, words
from builder.outputs.wordml import LINK, PARTS, W

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          remove_blank_text=False)
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_BODY = "_ReportBody"  # builder.outputs.docx.BODY


class Refused(Exception):
    """The file cannot be read back as a Word file."""


@dataclass(frozen=True)
class ReadBack:
    searchable: str  # everything a reader can get at, in every XML part, for the leak check
    count: WordCount  # the words of the body and of its notes
    notes: int  # footnotes
    # What a Word edition never holds, described (empty: nothing): parts of any
    # other kind, binary parts, relationships to anything outside but links.
    foreign: list[str]


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def read(path: Path) -> ReadBack:
    """Read a Word file back: every XML part searched, whatever its kind, and
    what a Word edition never holds listed (:attr:`ReadBack.foreign`);
    :class:`Refused` if it cannot be read as a Word file at all."""
    try:
        with zipfile.ZipFile(path) as package:
            entries = {info.filename: package.read(info) for info in package.infolist()}
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as exc:
        raise Refused(f"the Word file cannot be read back ({exc})") from None
    parts = {name: root for name, data in entries.items()
             if (root := _xml(data)) is not None}
    types = _content_types(parts.get("[Content_Types].xml"))
    foreign = []
    for name in entries:
        if name == "[Content_Types].xml":
            continue
        kind = types(name)
        if kind not in PARTS or name not in parts:
            foreign.append(f"{name} ({kind or 'no content type'}"
                           f"{'' if name in parts else '; not XML'})")
        if name.endswith(".rels") and name in parts:
            for relation in parts[name].iter(f"{_RELATIONSHIPS}Relationship"):
                if relation.get("TargetMode") == "External" and relation.get("Type") != LINK:
                    foreign.append(f"a relationship of {name} to an outside "
                                   f"{relation.get('Type', '').rsplit('/', 1)[-1]}")
    document = next((parts[name] for name in parts if types(name) == _MAIN), None)
    if document is None:
        raise Refused("the Word file has no document part")
    notes = next((parts[name] for name in parts if types(name) == _NOTES), None)
    count, called = _count(document, notes)
    return ReadBack(_searchable(parts), count, called, foreign)


_MAIN = next(kind for kind, name in PARTS.items() if name == "document")
_NOTES = next(kind for kind, name in PARTS.items() if name == "footnotes")


def _xml(data: bytes):
    """A part's XML tree, or None for a part that is not XML."""
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None


def _content_types(types):
    """The content type of a part name, as [Content_Types].xml gives it."""
    if types is None:
        raise Refused("the Word file has no [Content_Types].xml")
    overrides = {element.get("PartName", "").lstrip("/"): element.get("ContentType")
                 for element in types.iter(f"{_TYPES}Override")}
    defaults = {element.get("Extension", "").lower(): element.get("ContentType")
                for element in types.iter(f"{_TYPES}Default")}

    def kind(name: str) -> str | None:
        if name in overrides:
            return overrides[name]
        base = PurePosixPath(name).name  # ".rels" is an extension here, not a hidden name
        return defaults.get(base.rsplit(".", 1)[-1].lower()) if "." in base else None
    return kind


def paragraph_text(paragraph, *, skip_styles: tuple[str, ...] = ()) -> str:
    """A paragraph's text with its runs joined, as a reader selects it."""
    return "".join(_pieces(paragraph, skip_styles))


def _pieces(paragraph, skip_styles: tuple[str, ...] = (), only_style: str | None = None):
    for run in paragraph.iter(_w("r")):
        style = run.find(f"{_w('rPr')}/{_w('rStyle')}")
        name = style.get(_w("val")) if style is not None else None
        if name in skip_styles or (only_style is not None and name != only_style):
            continue
        for element in run:
            tag = etree.QName(element).localname
            if tag in ("t", "delText"):
                yield element.text or ""
            elif tag in ("tab", "br", "cr"):
                yield " "
            elif tag == "noBreakHyphen":
                yield "-"


def _searchable(parts: dict) -> str:
    """Every paragraph's joined text, then every text and attribute value of
    every part (field codes, link addresses, properties, names...)."""
    found: list[str] = []
    for root in parts.values():
        found += [paragraph_text(paragraph) for paragraph in root.iter(_w("p"))]
        for element in root.iter():
            if element.text and element.text.strip():
                found.append(element.text)
            found += [value for value in element.attrib.values() if value.strip()]
    return "\n".join(dict.fromkeys(found))


def _count(document, notes) -> tuple[WordCount, int]:
    """The words of the body and of the notes it calls (each apart from the
    untranslated ones), and the number of footnotes the document calls."""
    body: list[str] = []
    foreign: list[str] = []
    called: list[str] = []
    in_body: set[str] = set()
    for element in document.iter(_w("bookmarkStart"), _w("bookmarkEnd"), _w("p"),
                                 _w("footnoteReference")):
        tag = etree.QName(element).localname
        if tag == "bookmarkStart" and element.get(_w("name")) == _BODY:
            in_body.add(element.get(_w("id")))
        elif tag == "bookmarkEnd":
            in_body.discard(element.get(_w("id")))
        elif tag == "footnoteReference":
            called.append((element.get(_w("id")), bool(in_body)))
        elif in_body:
            body.append(paragraph_text(element, skip_styles=("ChapterNumber", "Untranslated")))
            foreign.append("".join(_pieces(element, only_style="Untranslated")))
    texts = {}
    if notes is not None:
        for note in notes.iter(_w("footnote")):
            paragraphs = note.findall(_w("p"))
            texts[note.get(_w("id"))] = (
                " ".join(paragraph_text(p, skip_styles=("Untranslated",)) for p in paragraphs),
                " ".join("".join(_pieces(p, only_style="Untranslated")) for p in paragraphs))
    body_notes = [texts.get(ident, ("", "")) for ident, inside in called if inside]
    count = WordCount(words(" ".join(body)), words(" ".join(note for note, _ in body_notes)),
                      words(" ".join(foreign + [other for _, other in body_notes])))
    return count, len(called)
