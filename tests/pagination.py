"""How the pages of a PDF break, measured from outside.

Reads a tagged PDF (the build's PDF/UA-1): the structure tree with pikepdf
(which structure element each piece of text belongs to, stable across pages)
and the characters' positions with PDFium, as tests/justified.py does. Counts,
per PDF::

    python -m pagination output/*.pdf        # from tests/: a table, then each fault

* **notes off their call's page**: a note whose number is not printed at the
  foot of the page that calls it (or not printed at all). A call is a run of
  digits (and the commas of "31,32") set at less than 7.3 pt in the body; a
  note is a line at the page's left edge, set at 8 pt, that starts with the
  next note's number and a full stop;
* **stranded headings**: a heading (``H1``-``H6``) or a table's caption that is
  the last text of the body of its page, with what it introduces on the next;
  and a heading's table (a list right after a heading, such as a case's facts)
  that ends its page, with the text that follows them on the next; and a
  paragraph that ends its page with a colon, the list it introduces on the
  next ("…recommend that Kazakhstan:");
* **orphans and widows**: a block of text (a paragraph, list item, table cell)
  that runs over a page break and leaves a single line at the foot of the
  first page (an orphan) or at the top of the next (a widow);
* **short pages**: a page whose body and notes fill under a quarter of the
  text area's height, unless it is the first or the last page or a chapter's
  last page (the next page opens with a level-1 or level-2 heading).
"""

from __future__ import annotations

import ctypes
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pypdfium2
import pypdfium2.raw as pdfium

CALL_SIZE = 7.3  # pt: a note call is 65 % of its text, at most 6.8 pt
NOTE_SIZE = 8.0  # pt: the notes' text and numbers
HEADINGS = {"H", "H1", "H2", "H3", "H4", "H5", "H6", "Caption"}
CHAPTERS = {"H1", "H2"}
# Structure elements that hold lines of text, the nearest one counts.
BLOCKS = HEADINGS | {"P", "LBody", "LI", "TD", "TH", "TOCI"}
QUARTER = 0.25
A4_HEIGHT, MARGIN_TOP, MARGIN_BOTTOM = 297, 22, 24  # mm, as print.css sets them
TOLERANCE = 1.0  # pt: the same left edge


@dataclass
class Line:
    baseline: float  # pt from the foot of the page
    top: float
    bottom: float
    left: float
    right: float
    text: str = ""


@dataclass
class Block:
    """The part of one structure element printed on one page."""

    key: tuple[int, int]  # the element's PDF object: the same on every page
    kind: str
    page: int  # 1-based
    lines: list[Line] = field(default_factory=list)
    # The heading's table (a list right after a heading) the block is part
    # of, or the one it follows (the text the heading and table introduce).
    in_table: tuple[int, int] | None = None
    after_table: tuple[int, int] | None = None

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)


@dataclass
class Page:
    number: int
    height: float  # pt
    blocks: list[Block]  # the body's, in reading order
    calls: list[int]  # note numbers called on the page
    notes: list[int]  # note numbers printed at its foot
    body_top: float = 0.0
    body_bottom: float = 0.0  # the lowest text of the body
    notes_height: float = 0.0
    header: str = ""  # the running header's text, in the top margin
    first_note: str = ""  # the first line of the first note printed at its foot


@dataclass
class Pagination:
    path: Path
    pages: list[Page]
    notes_off_page: list[str]
    stranded: list[str]
    orphans: list[str]
    widows: list[str]
    short: list[str]
    # Pages whose first note is "Ibid.": the note it refers to is on another page.
    ibid_first: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {"notes off page": len(self.notes_off_page), "stranded headings": len(self.stranded),
                "orphans": len(self.orphans), "widows": len(self.widows),
                "short pages": len(self.short), "ibid first": len(self.ibid_first)}


def _elements(pdf: pikepdf.Pdf) -> list[dict[int, tuple[tuple[int, int], str]]]:
    """For each page, each marked-content id: the nearest block element's object
    id and type (its own element and "" for text outside every block)."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None or "/ParentTree" not in root:
        raise ValueError("the PDF is not tagged (build it as PDF/UA-1)")
    tree = pikepdf.NumberTree(root.ParentTree)
    found = []
    for page in pdf.pages:
        own: dict[int, tuple[tuple[int, int], str]] = {}
        index = page.obj.get("/StructParents")
        parents = tree.get(int(index)) if index is not None else None
        for mcid, element in enumerate(parents or []):
            # Text in no block (a note's) belongs to its own element.
            own[mcid] = (element.objgen, "")
            while isinstance(element, pikepdf.Dictionary) and "/S" in element:
                kind = str(element.S)[1:]
                if kind in BLOCKS:
                    own[mcid] = (element.objgen, kind)
                    break
                element = element.get("/P")
        found.append(own)
    return found


def _heading_tables(pdf: pikepdf.Pdf) -> tuple[dict, dict]:
    """The blocks of each heading's table (an ``L`` right after a heading among
    its siblings, as a case's facts after its title), and the text right after
    each such table (not a heading): two maps from a block's object to its
    table's."""
    in_table: dict[tuple[int, int], tuple[int, int]] = {}
    after_table: dict[tuple[int, int], tuple[int, int]] = {}

    def children(element) -> list:
        kids = element.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        return [kid for kid in kids if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]

    def within(element, table) -> None:
        for kid in children(element):
            in_table[kid.objgen] = table
            within(kid, table)

    pending = [pdf.Root.StructTreeRoot]
    while pending:
        siblings = children(pending.pop())
        pending += siblings
        kinds = [str(kid.S)[1:] for kid in siblings]
        for index in range(1, len(siblings)):
            if kinds[index] == "L" and kinds[index - 1] in HEADINGS:
                table = siblings[index].objgen
                within(siblings[index], table)
                if index + 1 < len(siblings) and kinds[index + 1] not in HEADINGS:
                    after_table[siblings[index + 1].objgen] = table
    return in_table, after_table


@dataclass
class _Char:
    text: str
    left: float
    right: float
    bottom: float
    top: float
    baseline: float
    size: float
    block: tuple[tuple[int, int], str] | None
    space_before: bool = False


def char_geometry(textpage, index: int, box, matrix, x, y) -> tuple[int, float]:
    """A character's marked-content id (-1: none, or an artifact) and its size
    on the page in pt; fills ``box`` (its loose box), ``matrix`` and ``x``,
    ``y`` (its origin)."""
    obj = pdfium.FPDFText_GetTextObject(textpage.raw, index)
    mcid = pdfium.FPDFPageObj_GetMarkedContentID(obj) if obj else -1
    pdfium.FPDFText_GetLooseCharBox(textpage.raw, index, box)
    pdfium.FPDFText_GetMatrix(textpage.raw, index, matrix)
    scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
    pdfium.FPDFText_GetCharOrigin(textpage.raw, index, x, y)
    return mcid, pdfium.FPDFText_GetFontSize(textpage.raw, index) * scale


def _chars(page) -> list[_Char]:
    textpage = page.get_textpage()
    try:
        chars: list[_Char] = []
        space = False
        box, matrix = pdfium.FS_RECTF(), pdfium.FS_MATRIX()
        x, y = ctypes.c_double(), ctypes.c_double()
        for index in range(textpage.count_chars()):
            char = chr(pdfium.FPDFText_GetUnicode(textpage.raw, index))
            if char.isspace() or pdfium.FPDFText_IsGenerated(textpage.raw, index):
                space = True
                continue
            mcid, size = char_geometry(textpage, index, box, matrix, x, y)
            chars.append(_Char(char, x.value, box.right, box.bottom, box.top, y.value, size,
                               mcid, space))
            space = False
        return chars
    finally:
        textpage.close()


_MARKER = re.compile(r"(\d+)\.")
_IBID = re.compile(r"\d+\.\s*(Ibid\.|Там же|Сонда)")


def _read_page(number: int, page, elements, next_note: int) -> Page:
    chars = _chars(page)
    for char in chars:
        char.block = elements.get(char.block) if isinstance(char.block, int) else None
    height = page.get_height()
    # The running header and the page number are in the margins.
    top, foot = height * (1 - MARGIN_TOP / A4_HEIGHT), height * MARGIN_BOTTOM / A4_HEIGHT
    structured = [char for char in chars
                  if char.block is not None and foot <= char.baseline <= top]
    header = "".join((" " if char.space_before else "") + char.text
                     for char in chars if char.baseline > top).strip()
    left = min((char.left for char in structured), default=0.0)

    # Notes: lines at the left edge, at 8 pt, starting "N." for the next N.
    rows: list[list[_Char]] = []
    for char in structured:
        if not rows or abs(char.baseline - rows[-1][0].baseline) > char.size / 2:
            rows.append([])
        rows[-1].append(char)
    notes, notes_top, first_note = [], None, ""
    for row in rows:
        first = row[0]
        match = _MARKER.match("".join(char.text for char in row[:8]))
        if (match and int(match.group(1)) == next_note and abs(first.left - left) <= TOLERANCE
                and abs(first.size - NOTE_SIZE) < 0.3):
            notes.append(next_note)
            next_note += 1
            if notes_top is None:
                notes_top = max(char.top for char in row)
                first_note = "".join((" " if char.space_before else "") + char.text
                                     for char in row).strip()
    bottom = notes_top + 0.5 if notes_top is not None else -1.0  # the notes' top
    body = [char for char in structured if char.top > bottom]
    note_chars = [char for char in structured if char.top <= bottom]

    calls: list[int] = []
    run, baseline, previous = "", 0.0, 0.0
    for char in body + [_Char(" ", 0, 0, 0, 0, 0, 99, None)]:
        # A call is small and raised above the text it follows; a group of
        # calls, "146,147", may break after its comma.
        if (char.size < CALL_SIZE and (char.text.isdigit() or char.text == ",")
                and (char.baseline > baseline + 1 or run.endswith(",")
                     or (run and abs(char.baseline - previous) < 0.5))):
            run, previous = run + char.text, char.baseline
            continue
        calls += [int(part) for part in run.split(",") if part]
        run, baseline = "", char.baseline

    blocks: list[Block] = []
    by_key: dict[tuple[int, int], Block] = {}
    for char in body:
        key, kind = char.block
        block = by_key.get(key)
        if block is None:
            block = by_key[key] = Block(key, kind, number)
            blocks.append(block)
        if not block.lines or char.baseline < block.lines[-1].baseline - char.size / 2:
            block.lines.append(Line(char.baseline, char.top, char.bottom, char.left, char.right))
        line = block.lines[-1]
        line.baseline = min(line.baseline, char.baseline)  # a call is raised
        line.top, line.bottom = max(line.top, char.top), min(line.bottom, char.bottom)
        line.left, line.right = min(line.left, char.left), max(line.right, char.right)
        line.text += (" " if char.space_before and line.text else "") + char.text
    result = Page(number, height, blocks, calls, notes, header=header, first_note=first_note)
    if body:
        result.body_top = max(char.top for char in body)
        result.body_bottom = min(char.bottom for char in body)
    if note_chars:
        result.notes_height = notes_top - min(char.bottom for char in note_chars)
    return result


def read(path: Path) -> list[Page]:
    """The pages of a tagged PDF: their blocks of text, calls and notes."""
    with pikepdf.open(path) as pdf:
        elements = _elements(pdf)
        in_table, after_table = _heading_tables(pdf)
    document = pypdfium2.PdfDocument(path)
    pages = []
    try:
        next_note = 1
        for index in range(len(document)):
            page = document[index]
            pages.append(_read_page(index + 1, page, elements[index], next_note))
            for block in pages[-1].blocks:
                block.in_table = in_table.get(block.key)
                block.after_table = after_table.get(block.key)
            next_note += len(pages[-1].notes)
            page.close()
    finally:
        document.close()
    return pages


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _continues(before: Block, after: Block) -> bool:
    """Whether the first block of a page goes on with the last of the page
    before: the PDF tags each page's part of a paragraph as an element of its
    own. It does when both are of one kind, in one column, and the last line
    before the break ends with a hyphen or is stretched to the column's right
    edge, as no paragraph's last line is (a ragged paragraph is not seen)."""
    if before.kind != after.kind or before.kind in HEADINGS or not before.kind:
        return False
    last = before.lines[-1]
    if last.text.endswith(("\u2010", "\u00ad")):
        return True
    full = [line.right for line in before.lines[:-1] + after.lines[:-1]]
    if not full:
        return False
    return abs(last.right - max(full)) <= TOLERANCE and \
        abs(after.lines[0].left - (before.lines[1:] or after.lines)[0].left) <= TOLERANCE


def measure(path: Path) -> Pagination:
    """Every fault of the pages of one PDF, each described with its page."""
    pages = read(Path(path))

    called: dict[int, int] = {}
    for page in pages:
        for number in page.calls:
            called.setdefault(number, page.number)
    printed = {number: page.number for page in pages for number in page.notes}
    off = [f"note {number}: called on page {page}, "
           + (f"printed on page {printed[number]}" if number in printed else "not found")
           for number, page in sorted(called.items()) if printed.get(number) != page]
    off += [f"note {number}: printed on page {page}, its call not found"
            for number, page in sorted(printed.items()) if number not in called]

    stranded = [f"page {page.number}: {page.blocks[-1].kind} {_short(page.blocks[-1].text)!r}"
                for page in pages[:-1] if page.blocks and page.blocks[-1].kind in HEADINGS]
    stranded += [f"page {page.number}: a heading's table ending {_short(page.blocks[-1].text)!r}"
                 for page, following in zip(pages, pages[1:], strict=False)
                 if page.blocks and following.blocks and page.blocks[-1].in_table
                 and following.blocks[0].after_table == page.blocks[-1].in_table]

    stranded += [f"page {page.number}: a lead-in {_short(page.blocks[-1].text)!r}"
                 for page, following in zip(pages, pages[1:], strict=False)
                 if page.blocks and following.blocks and page.blocks[-1].kind == "P"
                 and page.blocks[-1].text.rstrip().endswith(":")
                 and not _continues(page.blocks[-1], following.blocks[0])]

    orphans, widows = [], []
    for page, following in zip(pages, pages[1:], strict=False):
        if not (page.blocks and following.blocks):
            continue
        before, after = page.blocks[-1], following.blocks[0]
        if not _continues(before, after):
            continue
        if len(before.lines) == 1:
            orphans.append(f"page {before.page}: {_short(before.text)!r}")
        if len(after.lines) == 1:
            widows.append(f"page {after.page}: {_short(after.text)!r}")

    short = []
    for page, following in zip(pages[1:-1], pages[2:], strict=False):
        area = page.height * (A4_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM) / A4_HEIGHT
        top = page.height * (1 - MARGIN_TOP / A4_HEIGHT)
        filled = (top - page.body_bottom if page.blocks else 0) + page.notes_height
        opens_chapter = following.blocks and following.blocks[0].kind in CHAPTERS
        if filled < QUARTER * area and not opens_chapter:
            short.append(f"page {page.number}: {filled / area:.0%} full")
    ibid_first = [f"page {page.number}: {page.first_note!r}" for page in pages
                  if _IBID.match(page.first_note)]
    return Pagination(Path(path), pages, off, stranded, orphans, widows, short, ibid_first)


def main(argv: list[str]) -> int:
    """Print the counts of each PDF, then every fault found."""
    results = [measure(Path(name)) for name in argv]
    columns = list(results[0].counts) if results else []
    print(f"{'':16} {'pages':>5} {'notes':>5} " + " ".join(f"{c:>{len(c)}}" for c in columns))
    for result in results:
        notes = sum(len(page.notes) for page in result.pages)
        print(f"{result.path.name:16} {len(result.pages):5} {notes:5} "
              + " ".join(f"{v:>{len(c)}}" for c, v in result.counts.items()))
    for result in results:
        for label, found in (("note off its call's page", result.notes_off_page),
                             ("stranded heading", result.stranded), ("orphan", result.orphans),
                             ("widow", result.widows), ("short page", result.short),
                             ('"Ibid." opening a page', result.ibid_first)):
            for item in found:
                print(f"{result.path.name}: {label}: {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
