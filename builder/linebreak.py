"""Two corrections to how WeasyPrint 70 breaks lines of justified text.

**A run that ends with a space.** WeasyPrint asks Pango for the first line of
each text run that fits in the room left on the line (``split_first_line``).
A run written before an inline element, such as ``…charges P0. <span
class="figure">19 700</span>``, ends with a space. When the run's words fit
but the space after them does not, Pango keeps the run on one line whose
width, counting that space, is wider than the room; WeasyPrint reads this as
"the line cannot be split earlier" and hyphenates the run's *first word*.
The line then holds one word part ("Реакция властей: Расследова‐") and its
single gap is many ems wide. A space at a line's end hangs (CSS Text 3,
white-space processing): the words fit. :func:`split_first_line` gives the
run as one line in that case, as WeasyPrint does for a run that fits with
its space; the inline layout then lets the space hang and moves the element
after it to the next line.

**A word that only hyphenation can break, before a note call.** When what
follows a word cannot start a line (a note call, or the full stop after an
emphasised word), WeasyPrint looks back for a break inside the elements
before it, but only in those with a space in them (``can_break_inside``). A
single word in its own element (``<em>closed</em>`` before a note) was never
hyphenated there: the word went to the next line whole and the line before
it was stretched (1.02 em in a generated report). :func:`can_break_inside`
also accepts a text that ``hyphens: auto`` may break at one of its
dictionary's points, so WeasyPrint tries the break it would have made
anywhere else.

**A line that only wide spaces can fill.** WeasyPrint justifies a line by
widening its spaces alone. Where the next word neither fits nor hyphenates
(a short word without a break point after long ones), the spaces of the line
before it grow past 1 em. :func:`justify_line` lets the letters take a small
part of such a line's stretch, as typesetters do: when each space would grow
by more than :data:`SPACE_STRETCH`, the letters are spaced by up to
:data:`LETTER_STRETCH` (2 % of the font size) and the spaces take the rest.
Every other line is justified as before.

Every other case is WeasyPrint's own code.
"""

from __future__ import annotations

import functools
import re

import pyphen
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text import line_break

_can_break_inside = inline.can_break_inside

# What a justified line's spaces may grow by before its letters take part, and
# the most its letters are spaced, in em of the line's font: a space of Noto
# Serif is 0.26 em, so spaces stay near 0.76 em where the letters can absorb
# the rest.
SPACE_STRETCH = 0.5
LETTER_STRETCH = 0.02


@functools.wraps(line_break.split_first_line)
def split_first_line(text, style, context, max_width, justification_spacing,
                     is_line_start=True, minimum=False):
    split = line_break.split_first_line
    result = split(text, style, context, max_width, justification_spacing,
                   is_line_start, minimum)
    if (result[2] is None or max_width is None or minimum
            or style["white_space"] not in ("normal", "pre-line")):
        return result
    words = text.rstrip(" ")
    if not words or words == text:
        return result
    fitted = split(words, style, context, max_width, justification_spacing,
                   is_line_start, minimum)
    if fitted[2] is not None or fitted[3] > max_width:
        return result
    # The words fit without the space after them: the run is the line, its
    # space hanging at the end.
    return split(text, style, context, None, justification_spacing,
                 is_line_start, minimum)


def can_break_inside(box) -> bool:
    """Whether a line may break inside the box: at a space, as WeasyPrint
    decides, or by hyphenating one of its words."""
    if _can_break_inside(box):  # its recursion into children calls this function
        return True
    return isinstance(box, boxes.TextBox) and _hyphenable(box.text, box.style)


def _hyphenable(text: str, style) -> bool:
    if style["white_space"] not in ("normal", "pre-wrap", "pre-line"):
        return False
    if style["hyphens"] != "none" and "\xad" in text:
        return True
    lang = style["lang"] and pyphen.language_fallback(style["lang"])
    if style["hyphens"] != "auto" or not lang:
        return False
    total, left, right = style["hyphenate_limit_chars"]
    dictionary = _dictionary(lang, left, right)
    return any(dictionary.positions(word) for word in re.findall(r"\w+", text)
               if len(word) >= total)


@functools.cache
def _dictionary(lang: str, left: int, right: int) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=lang, left=left, right=right)


def justify_line(context, line, extra_width) -> None:
    """Justify the line, spacing its letters a little when its spaces alone
    would grow by more than :data:`SPACE_STRETCH`."""
    spaces = inline.count_expandable_spaces(line)
    if not spaces:
        return
    size = line.style["font_size"]
    excess = extra_width - SPACE_STRETCH * size * spaces
    if excess > 0:
        letters = sum(len(box.text) for box in _text_boxes(line))
        if letters:
            spacing = min(LETTER_STRETCH * size, excess / letters)
            # Pango spaces each letter after it: the last one's spacing falls
            # past the column's edge, so that its glyph ends at the edge as on
            # the lines around it.
            extra_width -= _space_letters(context, line, spacing, 0) - spacing
    inline.add_word_spacing(context, line, extra_width / spaces, 0)


def _text_boxes(box):
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child)


def _space_letters(context, box, spacing: float, x_advance: float) -> float:
    """Space the letters of the box's texts by ``spacing``, moving what follows
    along; return how much wider the box became."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        style = box.style.copy()
        style["letter_spacing"] = spacing
        wider = _width(context, box.text, style) - _width(context, box.text, box.style)
        box.style = style
        box.width += wider
        return wider
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        start = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance += _space_letters(context, child, spacing, x_advance)
        box.width += x_advance - start
        return x_advance - start
    box.translate(x_advance, 0)
    return 0


def _width(context, text: str, style) -> float:
    layout = line_break.create_layout(text, style, context, None, 0)
    first_line, _ = layout.get_first_line()
    width, _ = line_break.line_size(first_line, style)
    layout.deactivate()
    return width


def install() -> None:
    """Use the three corrections for the inline layout in this process (once)."""
    inline.split_first_line = split_first_line
    inline.can_break_inside = can_break_inside
    inline.justify_line = justify_line
