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


def install() -> None:
    """Use both corrections for the inline layout in this process (once)."""
    inline.split_first_line = split_first_line
    inline.can_break_inside = can_break_inside
