"""The hyphenated line ends of a PDF, counted from outside.

WeasyPrint ends a line it hyphenated with U+2010 (CSS's ``hyphenate-character``
by default): that is how this script tells a hyphenated word ("propa‐" /
"ganda") from a line that ends after a hyphen written in the text ("ill-" /
"treatment", which is not hyphenation). It reads a tagged PDF (the build's
PDF/UA-1) with PDFium, as tests/justified.py does, and sorts each hyphenated
line by where the hyphen is::

    python -m hyphenated output/*.pdf       # from tests/: one table for all PDFs

What counts:

* **lines**: the lines of text of the page's content (not the running
  header and footer, which are artifacts), each in one *block*: the
  paragraph, heading, list item, table cell or footnote it belongs to in the
  structure tree; text of two blocks side by side (a label and its value on
  the cover) is two lines;
* **hyphenated**: lines that end with U+2010 (or a soft hyphen, U+00AD);
* **run**: the most hyphenated lines in a row in one block on one page;
* **page end**: a hyphenated line that is its block's last on the page: the
  word goes on at the top of the next page;
* **URL**: a hyphenated word that is a web or e-mail address (``://``,
  ``www.``, ``@``, a domain) or inside a link to one;
* **capitals**: a hyphenated word written in capitals or with a digit
  ("ЛГБТКИ+", "LGBTQI+", "ОБЗОРА"; with text-transform, as printed);
* **compound**: a word written with a hyphen and hyphenated elsewhere than at
  it ("ЛБТ-женщи‐ны", "14-ба‐бында", "женщин-право‐защитниц"): a compound
  breaks only at its own hyphen;
* **heading**: a hyphenated line in a heading, a table's header cell or its
  caption, or a contents entry (a block with a leader of dots);
* **label**: a hyphenated line set in the bold sans-serif of labels (the
  cover's and the cases' "Date", "Contact"..., the "Sources:" before a list).
"""

from __future__ import annotations

import ctypes
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium
from justified import _type
from pagination import char_geometry

HYPHENS = "\u2010\u00ad"  # what a line hyphenated by the layout ends with
HEADINGS = {"H", "H1", "H2", "H3", "H4", "H5", "H6", "TH", "Caption", "TOC", "TOCI"}
# Structure elements that hold lines of their own; the nearest one is a line's block.
BLOCKS = HEADINGS | {"P", "LI", "LBody", "Lbl", "TD", "Note", "BlockQuote"}
# Elements that only group others: a line is in none of them alone.
GROUPS = {"Document", "Part", "Sect", "Div", "Art", "NonStruct", "L", "Table", "TBody",
          "THead", "TFoot", "TR"}
LEADER = re.compile(r"\.{4,}")
URL = re.compile(r"://|www\.|@|\w\.(?:org|com|net|kz|ru|int|info|gov|edu)\b", re.I)
ADDRESS = re.compile(r"\w[./]\w")  # a link's text that is an address, not a number
# A word part (between hyphens and slashes) in capitals or with a digit.
CAPITALS = re.compile(r"^(?=.*\d)|^[^\W\d_]*[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][^\W\d_]*[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]")
GAP = 3.0  # em: a wider gap on one line separates two blocks side by side


@dataclass
class Line:
    page: int  # 1-based
    baseline: float  # pt from the foot of the page
    block: int  # the structure element it belongs to (an address, per page)
    kinds: set[str] = field(default_factory=set)  # the element types its text is in
    word_kinds: set[str] = field(default_factory=set)  # those of its last word
    text: str = ""
    right: float = 0.0  # pt, where its last character ends
    em: float = 0.0  # pt, the font size of its last character
    font: str = ""  # the font of its last letter
    next: Line | None = None  # the block's next line on the same page

    @property
    def hyphenated(self) -> bool:
        return self.text.rstrip().endswith(tuple(HYPHENS))

    @property
    def word(self) -> str:
        """The hyphenated word, both parts joined ("propa" + "ganda"), or its
        first part at a page's end."""
        head = self.text.rstrip().rstrip(HYPHENS).rsplit(" ", 1)[-1]
        tail = self.next.text.lstrip().split(" ", 1)[0] if self.next else ""
        return head + tail

    @property
    def broken_part(self) -> str:
        """The part of the word, between hyphens and slashes, that is broken."""
        head = self.text.rstrip().rstrip(HYPHENS).rsplit(" ", 1)[-1]
        tail = self.next.text.lstrip().split(" ", 1)[0] if self.next else ""
        tail = LEADER.split(tail)[0]  # a contents entry's leader and page number
        return (re.split(r"[-/\u2011]", head)[-1] + re.split(r"[-/\u2011]", tail)[0]).strip(
            "\"'«»“”„‘’()[],.;:")


def _elements(page) -> dict[int, tuple[int, frozenset[str]]]:
    """Each marked-content id of the page: its block and the types of the
    elements it is in."""
    found: dict[int, tuple[int, frozenset[str]]] = {}

    def walk(element, block: int | None, kinds: frozenset[str]) -> None:
        kind = _type(element)
        kinds = kinds | {kind}
        address = ctypes.cast(element, ctypes.c_void_p).value
        if kind in BLOCKS or (block is None and kind not in GROUPS):
            block = address
        for index in range(pdfium.FPDF_StructElement_GetMarkedContentIdCount(element)):
            mcid = pdfium.FPDF_StructElement_GetMarkedContentIdAtIndex(element, index)
            # -1: a kid that is not marked content (a link's annotation); an
            # artifact's text (a hyphen, the page's foot) has that id too.
            if mcid >= 0:
                found[mcid] = (block if block is not None else address, kinds)
        for index in range(pdfium.FPDF_StructElement_CountChildren(element)):
            child = pdfium.FPDF_StructElement_GetChildAtIndex(element, index)
            if child:
                walk(child, block, kinds)

    tree = pdfium.FPDF_StructTree_GetForPage(page.raw)
    try:
        for index in range(pdfium.FPDF_StructTree_CountChildren(tree)):
            walk(pdfium.FPDF_StructTree_GetChildAtIndex(tree, index), None, frozenset())
    finally:
        pdfium.FPDF_StructTree_Close(tree)
    return found


def _font(textpage, index: int) -> str:
    size = pdfium.FPDFText_GetFontInfo(textpage.raw, index, None, 0, None)
    buffer = ctypes.create_string_buffer(size)
    pdfium.FPDFText_GetFontInfo(textpage.raw, index, buffer, size, None)
    return buffer.value.decode("latin-1").split("+")[-1]


def _page_lines(page, number: int) -> list[Line]:
    """The page's lines of content, in the order they are drawn."""
    elements = _elements(page)
    textpage = page.get_textpage()
    try:
        lines: list[Line] = []
        line: Line | None = None
        space = False
        box = pdfium.FS_RECTF()
        x, y = ctypes.c_double(), ctypes.c_double()
        matrix = pdfium.FS_MATRIX()
        for index in range(textpage.count_chars()):
            char = chr(pdfium.FPDFText_GetUnicode(textpage.raw, index))
            if pdfium.FPDFText_IsGenerated(textpage.raw, index) or char in "\r\n":
                space = space or char == " "
                continue
            if char == "\x02":  # PDFium's name for a hyphen written in the text, at a line's end
                char = "-"
            if char.isspace():
                space = True
                continue
            mcid, em = char_geometry(textpage, index, box, matrix, x, y)
            em = em or 1.0
            block, kinds = elements.get(mcid, (None, frozenset()))
            same = line is not None and (
                line.baseline - em / 2 <= y.value <= line.baseline + 0.8 * em
                and box.left >= line.right - em
                and box.left - line.right < GAP * em
                and (block is None or block == line.block or line.block is None))
            if not same:
                line = Line(number, y.value, block if block is not None else -1)
                lines.append(line)
                space = False
            elif block is not None and line.block == -1:
                line.block = block
            line.baseline = min(line.baseline, y.value)  # a note call is raised
            if space:
                line.word_kinds = set()
            line.text += (" " if space and line.text else "") + char
            line.kinds |= kinds
            line.word_kinds |= kinds
            line.right, line.em = box.right, em
            if char.isalpha():
                line.font = _font(textpage, index)
            space = False
        content = [line for line in lines if line.block != -1]
        by_block: dict[int, Line] = {}
        for line in content:
            if line.block in by_block:
                by_block[line.block].next = line
            by_block[line.block] = line
        return content
    finally:
        textpage.close()


def lines(path: Path) -> list[Line]:
    """The lines of content of a PDF, page by page."""
    document = pypdfium2.PdfDocument(path)
    try:
        found = []
        for index in range(len(document)):
            page = document[index]
            found += _page_lines(page, index + 1)
            page.close()
        return found
    finally:
        document.close()


def is_url(line: Line) -> bool:
    word = line.word.rstrip(".,;:)]»”")
    return bool(URL.search(word)) or ("Link" in line.word_kinds and ADDRESS.search(word))


def in_capitals(line: Line) -> bool:
    return bool(CAPITALS.search(line.broken_part))


def in_compound(line: Line) -> bool:
    word = line.word.strip("\"'«»“”„‘’()[],.;:")
    return bool(re.search(r"[^\s\-\u2011][-\u2011]\u2060?\w", word)) and not is_url(line)


def in_heading(line: Line, blocks: dict[tuple[int, int], str]) -> bool:
    return bool(line.kinds & HEADINGS) or bool(LEADER.search(blocks[line.page, line.block]))


def is_label(line: Line) -> bool:
    return "Sans-Bold" in line.font or "SansBold" in line.font


@dataclass
class Report:
    """What one PDF's hyphenated lines are."""

    lines: int
    hyphenated: list[Line]
    runs: list[list[Line]]  # hyphenated lines in a row, longest first
    page_ends: list[Line]
    urls: list[Line]
    capitals: list[Line]
    compounds: list[Line]
    headings: list[Line]
    labels: list[Line]

    @property
    def longest_run(self) -> int:
        return len(self.runs[0]) if self.runs else 0


def measure(path: Path) -> Report:
    found = lines(path)
    # The text of each block on each page, to tell a contents entry by its leader.
    blocks: dict[tuple[int, int], str] = {}
    for line in found:
        blocks[line.page, line.block] = blocks.get((line.page, line.block), "") + " " + line.text
    hyphenated = [line for line in found if line.hyphenated]
    runs: list[list[Line]] = []
    for line in hyphenated:
        if not any(line in run for run in runs):
            run = [line]
            while run[-1].next is not None and run[-1].next.hyphenated:
                run.append(run[-1].next)
            runs.append(run)
    runs.sort(key=len, reverse=True)
    return Report(
        lines=len(found), hyphenated=hyphenated, runs=runs,
        page_ends=[line for line in hyphenated if line.next is None],
        urls=[line for line in hyphenated if is_url(line)],
        capitals=[line for line in hyphenated if in_capitals(line) and not is_url(line)],
        compounds=[line for line in hyphenated if in_compound(line)],
        headings=[line for line in hyphenated if in_heading(line, blocks)],
        labels=[line for line in hyphenated if is_label(line) and not in_heading(line, blocks)],
    )


def where(line: Line) -> str:
    after = line.next.text[:20] if line.next else "(next page)"
    return f"p. {line.page}: …{line.text[-40:]} / {after}"


def main(argv: list[str]) -> int:
    """Print, for each PDF, its lines, hyphenated lines, longest run of them,
    and how many are at a page's end, in a URL, in capitals, in a compound, in
    a heading or a label; then each of the latter with its page."""
    columns = ("lines", "hyph.", "run", ">2", "page end", "URL", "capitals", "compound",
               "heading", "label")
    print(f"{'':16}" + "".join(f"{name:>9}" for name in columns))
    wrong: list[str] = []
    for name in argv:
        report = measure(Path(name))
        values = (report.lines, len(report.hyphenated), report.longest_run,
                  sum(1 for run in report.runs if len(run) > 2), len(report.page_ends),
                  len(report.urls), len(report.capitals), len(report.compounds),
                  len(report.headings), len(report.labels))
        print(f"{Path(name).name:16}" + "".join(f"{value:9}" for value in values))
        for kind in ("page_ends", "urls", "capitals", "compounds", "headings", "labels"):
            wrong += [f"  {Path(name).name} {kind}: {where(line)}"
                      for line in getattr(report, kind)]
        wrong += [f"  {Path(name).name} run of {len(run)}: {where(run[0])}"
                  for run in report.runs if len(run) > 2]
    print("\n".join(wrong))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
