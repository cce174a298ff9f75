"""The spaces between words on the justified lines of a PDF, measured from outside.

A justified line is stretched to its block's width by widening each of its
spaces by the same amount; a line with few words, or before a long word that
did not fit, gets wide spaces ("rivers"). This reads a tagged PDF (the build's
PDF/UA-1) with PDFium, as the tests read text (builder.pdf.page_texts), and
measures the spaces of every justified line in em of the text's font size (a
normal space of Noto Serif is 0.26 em)::

    python -m justified output/*.pdf          # from tests/: figures and widest spaces

What counts:

* **paragraphs**: characters whose structure element is inside a ``P`` and not
  inside a heading, a table header, a caption or the table of contents, nor in
  a footnote (a ``Note`` element read after the paragraph that calls it);
* **justified lines**: lines of a paragraph (a new line starts where the text
  goes down half an em or more) that end where at least two other lines of the
  document, with other words, end too, give or take 0.25 pt (the right edge of
  a text column or a table cell), and are not the paragraph's last line on its
  page (which is not stretched);
* **gaps**: between two characters of such a line with a space (U+0020 or
  U+00A0, the spaces justification widens) between them, from the end of one
  word (its advance) to the start of the next, in em of the larger of the two
  characters' font sizes. A gap that ends at the paragraph's left edge is left
  out: it follows a hanging paragraph number, in a box of its own;
* **a line's word space**: the width most of its gaps share (to 0.02 em; the
  narrowest if none is more common). Every space of a justified line is
  widened alike, so that a wider gap on the same line is not a space: a
  margin between two labels, as in a recommendation's "Addressed to: ...
  Follows up: ..." line, which is set ragged right and ends at the column's
  edge only by chance.
"""

from __future__ import annotations

import bisect
import ctypes
import math
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium

# Structure elements whose text is not running text set justified.
NOT_PROSE = {"Note", "TH", "Caption", "H", "H1", "H2", "H3", "H4", "H5", "H6", "TOC", "TOCI"}
EXPANDABLE = " \u00a0"  # the spaces WeasyPrint widens to justify a line
TOLERANCE = 0.25  # pt: the same right or left edge


@dataclass
class Char:
    text: str
    left: float  # pt, the start of its advance
    right: float  # pt, the end of its advance
    em: float  # pt, its font size
    space_before: str  # "": none; " ": a space justification widens; "-": another


@dataclass
class Line:
    page: int  # 1-based
    baseline: float  # pt from the foot of the page
    chars: list[Char] = field(default_factory=list)
    left_edge: float = 0.0  # pt, where its paragraph's lines start

    @property
    def text(self) -> str:
        return "".join((" " if c.space_before and i else "") + c.text
                       for i, c in enumerate(self.chars))

    @property
    def right(self) -> float:
        return self.chars[-1].right

    @property
    def gaps(self) -> list[float]:
        """The width of each gap at a space between words, in em."""
        return [(after.left - before.right) / max(before.em, after.em)
                for before, after in zip(self.chars, self.chars[1:], strict=False)
                if after.space_before == " " and abs(after.left - self.left_edge) > TOLERANCE]

    @property
    def word_space(self) -> float | None:
        """The width of the line's spaces, in em (None: no space)."""
        counts = Counter(round(gap / 0.02) for gap in self.gaps)
        if not counts:
            return None
        most = max(counts.values())
        return min(key for key, count in counts.items() if count == most) * 0.02


def _type(element) -> str:
    size = pdfium.FPDF_StructElement_GetType(element, None, 0)
    buffer = ctypes.create_string_buffer(size)
    pdfium.FPDF_StructElement_GetType(element, buffer, size)
    return buffer.raw.decode("utf-16-le").rstrip("\x00")


def _paragraphs(page) -> dict[int, int]:
    """Each marked-content id of running text: the paragraph (``P``) it is in."""
    found: dict[int, int] = {}

    def walk(element, paragraph: int | None, prose: bool) -> None:
        kind = _type(element)
        prose = prose and kind not in NOT_PROSE
        if kind == "P":
            paragraph = ctypes.cast(element, ctypes.c_void_p).value
        if prose and paragraph is not None:
            for index in range(pdfium.FPDF_StructElement_GetMarkedContentIdCount(element)):
                found[pdfium.FPDF_StructElement_GetMarkedContentIdAtIndex(element, index)] = \
                    paragraph
        for index in range(pdfium.FPDF_StructElement_CountChildren(element)):
            child = pdfium.FPDF_StructElement_GetChildAtIndex(element, index)
            if child:
                walk(child, paragraph, prose)

    tree = pdfium.FPDF_StructTree_GetForPage(page.raw)
    try:
        for index in range(pdfium.FPDF_StructTree_CountChildren(tree)):
            walk(pdfium.FPDF_StructTree_GetChildAtIndex(tree, index), None, True)
    finally:
        pdfium.FPDF_StructTree_Close(tree)
    return found


def _lines(page, number: int) -> list[list[Line]]:
    """The lines of each paragraph of the page, in order."""
    paragraphs = _paragraphs(page)
    textpage = page.get_textpage()
    try:
        lines: dict[int, list[Line]] = {}
        space = ""  # between the last character kept and the next
        box, matrix = pdfium.FS_RECTF(), pdfium.FS_MATRIX()
        x, y = ctypes.c_double(), ctypes.c_double()
        for index in range(textpage.count_chars()):
            char = chr(pdfium.FPDFText_GetUnicode(textpage.raw, index))
            obj = pdfium.FPDFText_GetTextObject(textpage.raw, index)
            generated = pdfium.FPDFText_IsGenerated(textpage.raw, index)
            paragraph = obj and paragraphs.get(pdfium.FPDFPageObj_GetMarkedContentID(obj))
            if char.isspace() or generated or not paragraph:
                # PDFium writes a space of its own where words are far apart.
                widened = char in EXPANDABLE and (paragraph or generated)
                space = " " if space == " " or widened else "-"
                continue
            pdfium.FPDFText_GetLooseCharBox(textpage.raw, index, box)
            pdfium.FPDFText_GetMatrix(textpage.raw, index, matrix)
            scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
            em = pdfium.FPDFText_GetFontSize(textpage.raw, index) * scale
            pdfium.FPDFText_GetCharOrigin(textpage.raw, index, x, y)
            own = lines.setdefault(paragraph, [])
            if not own or y.value < own[-1].baseline - em / 2:  # lower: the next line
                own.append(Line(number, y.value))
            line = own[-1]
            line.baseline = min(line.baseline, y.value)  # a footnote call is raised
            line.chars.append(Char(char, box.left, box.right, em, space))
            space = ""
        for own in lines.values():
            # A hanging paragraph number starts the first line left of the others.
            left_edge = max(line.chars[0].left for line in own)
            for line in own:
                line.left_edge = left_edge
        return list(lines.values())
    finally:
        textpage.close()


def justified_lines(path: Path) -> list[Line]:
    """The justified lines of a PDF, page by page."""
    document = pypdfium2.PdfDocument(path)
    try:
        paragraphs = []
        for index in range(len(document)):
            page = document[index]
            paragraphs += _lines(page, index + 1)
            page.close()
    finally:
        document.close()
    ends = sorted((line.right, line.text) for lines in paragraphs for line in lines[:-1])
    found = []
    for lines in paragraphs:
        for line in lines[:-1]:
            start = bisect.bisect_left(ends, (line.right - TOLERANCE,))
            stop = bisect.bisect_right(ends, (line.right + TOLERANCE, "\uffff"))
            if len({text for _, text in ends[start:stop]} - {line.text}) >= 2:
                found.append(line)
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main(argv: list[str]) -> int:
    """Print, for each PDF, its justified lines, the median, 99th percentile and
    largest of their word spaces and of all their gaps, then the five widest
    word spaces with their page and line."""
    widest: list[tuple[float, str, Line]] = []
    print(f"{'':16} {'lines':>5}  {'word space: median':>18} {'p99':>5} {'max':>5}  "
          f"{'all gaps: p99':>13} {'max':>5} (em)")
    for name in argv:
        lines = justified_lines(Path(name))
        spaces = [line.word_space for line in lines if line.word_space is not None]
        gaps = [gap for line in lines for gap in line.gaps]
        print(f"{Path(name).name:16} {len(lines):5}  {statistics.median(spaces):18.2f} "
              f"{percentile(spaces, 0.99):5.2f} {max(spaces):5.2f}  "
              f"{percentile(gaps, 0.99):13.2f} {max(gaps):5.2f}")
        widest += [(line.word_space, Path(name).name, line) for line in lines
                   if line.word_space is not None]
    for space, name, line in sorted(widest, key=lambda item: -item[0])[:5]:
        print(f"  {space:.2f} em  {name} page {line.page}: {line.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
