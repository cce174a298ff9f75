"""Footnotes that WeasyPrint 70 would lose or print pages away from their call.

The stylesheet sets ``footnote-policy: line``: a line whose notes do not fit
on its page moves to the next page with them. WeasyPrint 70's line layout has
one path that breaks this. When a line overflows the foot of a page that
already holds notes (typically the first line of a list item, a table cell or
a case summary), it first carries the page's notes to the next page, one by
one, until the line fits:

- when the line then fits, it is kept, but the loop is left before the line's
  **own notes** are laid out: nothing lays them out afterwards and they vanish
  from the PDF;
- when it never fits, the notes stay carried anyway, and a note carried onto
  a page can be carried again: printed two pages after its call.

:func:`install` replaces that function with :func:`builder.linebox.linebox_layout`,
WeasyPrint's own code without the loop: a line that does not fit goes to the
next page, as any line does. Every build then checks that all notes are
printed once, in order, **on the page of their call** (:func:`check_notes`), so
that a layout path this does not cover fails the build with the entry whose
notes could not be placed, and is never printed.

The footnote area has a second fault: it tells whether the page's notes
overflow it by comparing two lengths that are equal when they fit, without
the tolerance the page's own overflow test has. When a float's last bit
differs, every note reads as overflowing, is carried to the next page and
carried again, and each page keeps one line; :func:`install` also replaces
that method with :func:`builder.linebox.update_footnote_area`, which compares
with the tolerance.

The changes replace functions of WeasyPrint's internals, so the project
requires WeasyPrint 70.x (pyproject.toml) and :func:`install` refuses any other
version.
"""

from __future__ import annotations

import re
from collections import Counter

import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout import LayoutContext, block
from weasyprint.layout.background import layout_box_backgrounds

from builder.errors import FootnoteLayoutError, RenderError
from builder.linebox import linebox_layout, note_number, update_footnote_area
from builder.render import ENTRY_IDS

_PATCHED_VERSION = "70."


def install() -> None:
    """Use the corrected line layout and footnote area in this process (once)."""
    original = block._linebox_layout
    if original is linebox_layout:
        return
    if not weasyprint.__version__.startswith(_PATCHED_VERSION):
        raise RenderError(
            f"shadow-report corrects the footnote layout of WeasyPrint {_PATCHED_VERSION}x, "
            f"not {weasyprint.__version__}: install the version pyproject.toml names")
    linebox_layout.__wrapped__ = original
    block._linebox_layout = linebox_layout
    update_footnote_area.__wrapped__ = LayoutContext._update_footnote_area
    LayoutContext._update_footnote_area = update_footnote_area


# --- what the laid-out pages hold --------------------------------------------


def expected_notes(html: str) -> int:
    """The number of footnotes the templates wrote."""
    return len(re.findall(r'<span class="footnote[ "]', html))


def areas(document):
    """Each page's footnote area, with the page box and 1-based page number.
    WeasyPrint 70 makes the area a child of the page box (root, footnotes, notes)."""
    for number, page in enumerate(document.pages, 1):
        for area in page._page_box.children:
            if isinstance(area, boxes.FootnoteAreaBox):
                yield number, page._page_box, area


def order_notes(document) -> None:
    """Restack each page's footnotes in number order.

    When notes called on one page do not fit there, WeasyPrint 70 carries them
    to the next page but stacks them after that page's own notes (37, 35, 36).
    The notes are whole blocks of their own, so moving them is safe.
    """
    for _, page_box, area in areas(document):
        notes = list(area.children)
        numbers = [note_number(note) for note in notes]
        if numbers == sorted(numbers):
            continue
        top = min(note.position_y for note in notes)
        pairs = sorted(zip(numbers, notes, strict=True), key=lambda pair: pair[0])
        ordered = [note for _, note in pairs]
        for note in ordered:
            note.translate(0, top - note.position_y)
            top += note.margin_height()
            # Background areas (the highlight of a [TBC] mark) were placed at
            # layout time: place them again where the note now is.
            layout_box_backgrounds(page_box, note, lambda **_: None)
        area.children = ordered


def printed_notes(document) -> list[tuple[int, int, object]]:
    """(note number, page, HTML element) of every footnote body on the laid-out
    pages, in page order."""
    return [(note_number(note), page, note.element) for page, _, area in areas(document)
            for note in area.children]


def call_pages(document) -> dict[object, int]:
    """The page of each footnote call, by the HTML element of its note."""
    pages: dict[object, int] = {}
    for number, page in enumerate(document.pages, 1):
        for box in page._page_box.descendants():
            if box.footnote is not None:
                pages.setdefault(box.footnote.element, number)
    return pages


def check_notes(document, expected: int) -> list[str]:
    """What is wrong with the printed notes: missing, repeated, out of order, or
    printed on another page than their call's. Empty when all is well."""
    return _check(document, expected)[0]


def _check(document, expected: int) -> tuple[list[str], list[int]]:
    printed = printed_notes(document)
    numbers = [number for number, _, _ in printed]
    problems = []
    missing = sorted(set(range(1, expected + 1)) - set(numbers))
    if missing:
        problems.append(f"{len(missing)} of {expected} footnotes were not printed "
                        f"(notes {_ranges(missing)})")
    repeated = sorted(n for n, times in Counter(numbers).items() if times > 1)
    if repeated:
        problems.append(f"notes {_ranges(repeated)} were printed twice")
    if not missing and not repeated and numbers != sorted(numbers):
        problems.append("the notes were printed out of order")
    calls = call_pages(document)
    far = [number for number, page, element in printed
           if element in calls and page != calls[element]]
    if far:
        problems.append(f"notes {_ranges(far)} were not printed on the page of their call")
    return problems, sorted(set(missing + repeated + far))


# Element ids the templates give to content entries: prefix -> collection.


def where_called(root, numbers: list[int]) -> list[tuple[str, str, str]]:
    """Where the calls of notes ``numbers`` are in the content: (collection, entry
    id, paragraph), from the ids of the HTML elements around each call; the
    report's own texts (summary, introduction) are ("report", "", "")."""
    parents = {child: parent for parent in root.iter() for child in parent}
    calls = [element for element in root.iter("span")
             if "footnote" in (element.get("class") or "").split()]
    found = []
    for number in numbers:
        if not 1 <= number <= len(calls):
            continue
        entry, paragraph = ("report", ""), ""
        element = calls[number - 1]
        while element is not None:
            ident = element.get("id") or ""
            if ident.startswith("para-") and not paragraph:
                paragraph = f"paragraph {ident[5:]}"
            prefix = next((p for p in ENTRY_IDS if ident.startswith(p)), None)
            if prefix:
                entry = (ENTRY_IDS[prefix], ident[len(prefix):])
                break
            element = parents.get(element)
        found.append((*entry, paragraph))
    return list(dict.fromkeys(found))


def check_layout(html_document, document, expected: int) -> None:
    """Raise :class:`FootnoteLayoutError` when a note is missing, repeated, out of
    order or printed on another page than its call's."""
    problems, numbers = _check(document, expected)
    if problems:
        raise FootnoteLayoutError("", problems,
                                  where_called(html_document.etree_element, numbers))


def _ranges(numbers: list[int]) -> str:
    """1, 2, 3, 7 → "1–3, 7" (at most eight groups)."""
    groups: list[list[int]] = []
    for n in numbers:
        if groups and n == groups[-1][1] + 1:
            groups[-1][1] = n
        else:
            groups.append([n, n])
    text = [f"{a}" if a == b else f"{a}–{b}" for a, b in groups[:8]]
    return ", ".join(text) + (", …" if len(groups) > 8 else "")
