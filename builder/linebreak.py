"""Corrections to how WeasyPrint 70 breaks lines of justified text.

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

**Where a word is never hyphenated.** A word in capitals or with a digit
("LGBTQI", "ЛГБТКИ", "ОБЗОРА", "CO5") is an acronym, a symbol or a heading's
word, which a reader must see whole: the dictionaries WeasyPrint hyphenates
with (:class:`Dictionary`) give it no break point, in every language and
whatever the stylesheet says. Headings, labels, contents, table headers and
the cover are not hyphenated at all (``hyphens: manual`` in print.css).

**At most two hyphenated lines in a row, and none at a page's end.** CSS's
``hyphenate-limit-lines`` is not in WeasyPrint 70, which hyphenates each line
as if it were the first. :func:`iter_line_boxes` (WeasyPrint's, with the
changes marked) counts the lines of a paragraph that end hyphenated and lays
out the line after :data:`HYPHENATED_LINES` of them without hyphenation; and a
line that would end hyphenated as the last that fits on its page is laid out
again without it, so that no word is split across two pages. A line that
would then be stretched more than :data:`MAX_STRETCH` (a justified line's
holes are worse than a hyphen, as TeX weighs them) is not: for a run, a
line of it is then broken earlier, narrower by half an em at a time, and the
lines after it laid out again, which ends the run elsewhere
(:meth:`_Paragraph.broken_earlier`); as a last resort, with the lines' spaces
widened by up to :data:`LAST_RESORT_STRETCH`; and if that cannot be done
either, the way that stretches its loosest line least is taken, however
loose (:meth:`_Paragraph.least_stretched`): a wide line rather than a third
hyphen. The last line of a page is foreseen by laying out the lines after it
with the notes they call (:meth:`_Paragraph.ends_page`).

Every other case is WeasyPrint's own code.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass

import pyphen
from weasyprint.formatting_structure import boxes
from weasyprint.layout import block, inline
from weasyprint.text import line_break

_can_break_inside = inline.can_break_inside

# What a justified line's spaces may grow by before its letters take part, and
# the most its letters are spaced, in em of the line's font: a space of Noto
# Serif is 0.26 em, so spaces stay near 0.76 em where the letters can absorb
# the rest.
SPACE_STRETCH = 0.5
LETTER_STRETCH = 0.02

# Lines in a row of one paragraph that may end hyphenated (CSS's
# hyphenate-limit-lines, which WeasyPrint 70 does not read).
HYPHENATED_LINES = 2
# How much (in em) a justified line's spaces may be widened to avoid a third
# hyphen in a row or a hyphen at a page's end: a normal space is 0.26 em, so
# such a line's spaces stay under 0.8 em (tests/justified.py keeps every line
# under 1 em).
MAX_STRETCH = 0.6
# What a line of a run broken earlier may be stretched by, where nothing
# within MAX_STRETCH ends the run: a wide line rather than a third hyphen in
# a row (spaces under 1.2 em; none in the sample).
LAST_RESORT_STRETCH = 0.9


_NO_BREAK_SPACE = re.compile("[\u00a0\u202f]")


# Names the English patterns break wrongly ("Kaza‐khstan", "Uzbek‐istan",
# "Ur‐al‐sk"), broken where they should be, as TeX's \hyphenation list does:
# the places and people these reports are about. The possessive ("Kazakhstan’s")
# breaks as the name.
EXCEPTIONS = {"en": (
    "Ka-zakh-stan", "Ka-zakh", "Ka-zakhs", "Kyr-gyz-stan", "Uz-bek-i-stan",
    "Ta-jik-i-stan", "Turk-men-i-stan", "Uralsk", "Al-ma-ty", "As-ta-na", "Shym-kent",
    "Ka-ra-gan-da", "Ak-to-be", "Aty-rau", "Pav-lo-dar", "Ko-sta-nay", "Ta-raz",
    "To-ka-yev", "Na-zar-ba-yev", "Mazhi-lis", "Ombuds-man", "Ombuds-person")}
_POSSESSIVE = re.compile(r"['’]s$")


class Dictionary(pyphen.Pyphen):
    """Pyphen's dictionary of a language, with no break point in a word in
    capitals or with a digit: two capitals ("LGBTQI", "ЛГБТКИ", "ОБЗОРА", and
    "McDonald" too) or a digit anywhere; and the language's
    :data:`EXCEPTIONS` broken where they should be."""

    def __init__(self, *, lang: str, left: int = 2, right: int = 2) -> None:
        super().__init__(lang=lang, left=left, right=right)
        self.limits = left, right
        self.exceptions = {
            word.replace("-", ""): [index - number for number, index in enumerate(
                index for index, char in enumerate(word) if char == "-")]
            for word in EXCEPTIONS.get(lang.split("_")[0], ())}

    def _positions(self, part: str) -> list[int]:
        name = _POSSESSIVE.sub("", part)
        if name not in self.exceptions:
            return super().positions(part)
        left, right = self.limits
        return [position for position in self.exceptions[name]
                if position >= left and len(part) - position >= right]

    def positions(self, word: str) -> list:
        if word in _compound_parts(_hyphenation.text):
            return []
        # A no-break space joins "2025 жылғы" into one word for WeasyPrint: each
        # part is looked at alone ("жыл-ғы" may break, "2025" not).
        found, offset = [], 0
        for part in _NO_BREAK_SPACE.split(word):
            if not (sum(char.isupper() for char in part) >= 2
                    or any(char.isdigit() for char in part)):
                found += [pyphen.DataInt(offset + position, reference=position)
                          for position in self._positions(part)]
            offset += len(part) + 1
        return found


class _Hyphenation:
    """Whether the line being laid out may be hyphenated (in this process),
    and how much narrower than its column it is to be broken (its spaces are
    then widened to fill the column, as any justified line's)."""

    allowed = True
    narrower = 0.0
    # The text being broken: the parts of a compound written in it with a
    # hyphen ("ЛБТ-женщины", "14-бабында") are never hyphenated themselves.
    text = ""


_hyphenation = _Hyphenation()


# A word written with a hyphen (or a numeral's hyphen and word joiner) between
# two of its parts, and those parts.
# A text may start at the hyphen: "(<a>7</a>-жағдай)", the numeral a link.
_COMPOUND = re.compile(r"(?:^|\S*[^\s\-\u2010\u2011])[-\u2010\u2011]\u2060?\w\S*")
_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=64)
def _compound_parts(text: str) -> frozenset:
    """The words of ``text`` that are parts of a compound written with a
    hyphen: Pango gives WeasyPrint each part as a word of its own to
    hyphenate, but a compound breaks only at its hyphen ("ЛБТ-женщи‐ны",
    "14-ба‐бында" are wrong). Worked out only when a word of the text is to
    be hyphenated, once for the tries at each line."""
    if not any(hyphen in text for hyphen in "-\u2010\u2011"):
        return frozenset()
    return frozenset(part for token in _COMPOUND.findall(text) for part in _WORD.findall(token))


@functools.wraps(line_break.split_first_line)
def split_first_line(text, style, context, max_width, justification_spacing,
                     is_line_start=True, minimum=False):
    previous, _hyphenation.text = _hyphenation.text, text
    try:
        return _split_first_line(text, style, context, max_width, justification_spacing,
                                 is_line_start, minimum)
    finally:
        _hyphenation.text = previous


def _split_first_line(text, style, context, max_width, justification_spacing,
                      is_line_start=True, minimum=False):
    if style["hyphens"] == "auto" and style["lang"]:
        _use_dictionary(context, style)
    if not _hyphenation.allowed and style["hyphens"] != "none":
        hyphens = style["hyphens"]
        style["hyphens"] = "none"  # for this call only: a style is shared by many boxes
        try:
            return _split_first_line(text, style, context, max_width, justification_spacing,
                                     is_line_start, minimum)
        finally:
            style["hyphens"] = hyphens
    if _hyphenation.narrower and max_width is not None:
        max_width -= _hyphenation.narrower
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
    if style["white_space"] not in ("normal", "pre-wrap", "pre-line") or \
            not _hyphenation.allowed:
        return False
    if style["hyphens"] != "none" and "\xad" in text:
        return True
    lang = style["lang"] and pyphen.language_fallback(style["lang"])
    if style["hyphens"] != "auto" or not lang:
        return False
    total, left, right = style["hyphenate_limit_chars"]
    dictionary = _dictionary(lang, left, right)
    compound = _compound_parts(text)
    return any(dictionary.positions(word) for word in _WORD.findall(text)
               if len(word) >= total and word not in compound)


@functools.cache
def _dictionary(lang: str, left: int, right: int) -> pyphen.Pyphen:
    return Dictionary(lang=lang, left=left, right=right)


def _use_dictionary(context, style) -> None:
    """Give WeasyPrint our :class:`Dictionary` for the style's language, in
    the place where it keeps the dictionaries it made (``split_first_line``
    looks there first)."""
    lang = pyphen.language_fallback(style["lang"])
    if not lang:
        return
    total, left, right = style["hyphenate_limit_chars"]
    key = (lang, left, right, total)
    if not isinstance(context.dictionaries.get(key), Dictionary):
        context.dictionaries[key] = _dictionary(lang, left, right)


def iter_line_boxes(context, box, position_y, bottom_space, skip_stack, containing_block,
                    absolute_boxes, fixed_boxes, first_letter_style, first_line_style):
    """WeasyPrint 70's ``iter_line_boxes`` (weasyprint/layout/inline.py, BSD
    3-Clause licence) with the hyphenation limits of this module: the lines
    of a run of hyphenated lines are held back until the run ends, so that
    one of them can be laid out again without its hyphen when the run grows
    too long."""
    inline.resolve_percentages(box, containing_block)
    if skip_stack is None:
        inline.resolve_one_percentage(box, "text_indent", containing_block.width)
    else:
        box.text_indent = 0
    paragraph = _Paragraph(context, box, bottom_space, containing_block, absolute_boxes,
                           fixed_boxes)
    start = _Start(position_y, skip_stack, box.text_indent, first_letter_style,
                   first_line_style)
    held: list[_Laid] = []  # a run of hyphenated lines, not given yet
    while True:
        laid = paragraph.next_line(start, held)
        if laid.line is None or laid.resume_at is None:
            yield from map(paragraph.give, held)
            if laid.line is not None:
                yield paragraph.give(laid)
            return
        if not _ends_hyphenated(laid.line) or laid.ends_page:
            # A line moved to the next page (ends_page) leaves the run's last
            # line at the end of this one: lay out a line of the run again
            # without its hyphen if one can be, and go on after it; if none
            # can, the run goes to the next page with the line.
            again = paragraph.without_hyphen(held, laid) if laid.ends_page and held else None
            if again is None:
                if laid.ends_page:
                    held = [dataclasses.replace(each, ends_page=True) for each in held]
                yield from map(paragraph.give, (*held, laid))
            else:
                index, laid = again
                yield from map(paragraph.give, (*held[:index], laid))
            held = []
        elif len(held) < HYPHENATED_LINES:
            held.append(laid)
        else:
            # A line too long to end without a hyphen after a run: lay out a
            # line of the run again without its hyphen, if that does not
            # stretch it too much, and go on after it.
            again = paragraph.without_hyphen(held, laid)
            if again is None:
                earlier = paragraph.broken_earlier(held, laid) or \
                    paragraph.broken_earlier(held, laid, LAST_RESORT_STRETCH) or \
                    paragraph.least_stretched(held, laid)
                if earlier is None:  # only if no line can be laid out without a hyphen
                    yield paragraph.give(held.pop(0))
                    held.append(laid)
                else:  # a line of the run broken earlier, and those after it
                    index, lines = earlier
                    yield from map(paragraph.give, (*held[:index], *lines))
                    laid, held = lines[-1], []
                    if laid.resume_at is None:
                        return
            else:
                index, laid = again
                yield from map(paragraph.give, (*held[:index], laid))
                held = []
        start = laid.following


@dataclass(frozen=True)
class _Start:
    """Where a line starts: WeasyPrint's arguments that change from line to line."""

    position_y: float
    skip_stack: object
    text_indent: float
    first_letter_style: object
    first_line_style: object


@dataclass(frozen=True)
class _Laid:
    line: object  # a LineBox, or None at the end
    resume_at: object
    start: _Start
    ends_page: bool = False  # hyphenated, and the last line that fits on its page

    @property
    def following(self) -> _Start:
        return _Start(self.line.position_y + self.line.height, self.resume_at, 0, None, None)


@dataclass
class _Paragraph:
    """The lines of one block, laid out by WeasyPrint's ``get_next_linebox``."""

    context: object
    box: object
    bottom_space: float
    containing_block: object
    absolute_boxes: list
    fixed_boxes: list
    given: int = 0  # lines given to the block's layout

    def give(self, laid: _Laid) -> tuple:
        """The line and where the next starts, as WeasyPrint's layout takes them.
        A hyphenated line that would end its page (one that no other line
        could replace) is moved below the page's bottom, so that the layout
        starts the next page with it, unless it is the first line given (the
        page may have no other: see ``page_is_empty`` in WeasyPrint's block layout)."""
        if laid.ends_page and self.given:
            laid.line.translate(0, self.context.page_bottom)
        self.given += 1
        return laid.line, laid.resume_at

    def lay_out(self, start: _Start, hyphenate: bool, narrower: float = 0.0) -> _Laid:
        self.box.text_indent = start.text_indent
        previous = _hyphenation.allowed, _hyphenation.narrower
        _hyphenation.allowed, _hyphenation.narrower = hyphenate, narrower
        try:
            line, resume_at = inline.get_next_linebox(
                self.context, self.box, start.position_y, self.bottom_space,
                start.skip_stack, self.containing_block, self.absolute_boxes,
                self.fixed_boxes, start.first_letter_style, start.first_line_style)
        finally:
            _hyphenation.allowed, _hyphenation.narrower = previous
        if line is not None:
            inline.handle_leader(self.context, line, self.containing_block)
        return _Laid(line, resume_at, start)

    def drop(self, *laid: _Laid) -> None:
        for each in laid:
            if each.line is not None:
                block.remove_placeholders(self.context, each.line.children,
                                          self.absolute_boxes, self.fixed_boxes)

    def next_line(self, start: _Start, held: list[_Laid]) -> _Laid:
        """The line at ``start``, after the run of hyphenated lines ``held``:
        hyphenated unless it is the run's third or the last line of its page,
        and its spaces are not stretched more than MAX_STRETCH without the hyphen."""
        run = len(held)
        laid = self.lay_out(start, hyphenate=run < HYPHENATED_LINES)
        if laid.resume_at is None:
            return laid
        if run < HYPHENATED_LINES:
            if not (_ends_hyphenated(laid.line) and self.ends_page([*held, laid])):
                return laid
            hyphenated, plain = laid, self.lay_out(start, hyphenate=False)
        else:
            if _stretch(laid.line) <= MAX_STRETCH:
                return laid
            hyphenated, plain = self.lay_out(start, hyphenate=True), laid
        if _stretch(plain.line) <= max(MAX_STRETCH, _stretch(hyphenated.line)):
            self.drop(hyphenated)
            return plain
        self.drop(plain)
        if run < HYPHENATED_LINES:  # the line would end the page with a hyphen
            return dataclasses.replace(hyphenated, ends_page=True)
        return hyphenated

    def ends_page(self, lines: list[_Laid]) -> bool:
        """Whether the last of ``lines`` (not given yet) is the last line of its
        page: the line after it does not fit below it with the notes that all
        of them call (a line goes to the next page with its notes, print.css),
        or the paragraph has just ``widows`` lines after it and one of them
        does not fit (WeasyPrint then starts the next page with all of
        them). A line in the upper half of the page is not looked at (the
        notes take 45 % of it at most) unless the page's notes already take
        15 %: their area may then be full before the page is."""
        context, line = self.context, lines[-1].line
        bottom = context.page_bottom - self.bottom_space
        notes = context.current_footnote_area.height
        if line.position_y < bottom - context.page_bottom * 0.5 and \
                (notes == "auto" or notes < context.page_bottom * 0.15):
            return False
        widows = max(1, self.box.style["widows"])
        following: list[_Laid] = []
        start = lines[-1].following
        while len(following) < widows:
            laid = self.lay_out(start, hyphenate=True)
            if laid.line is None:
                break
            following.append(laid)
            if laid.resume_at is None:
                break
            start = laid.following
        waiting, laid_notes = list(context.footnotes), []
        try:
            overflows = None  # the first line after it that does not fit
            for index, each in enumerate(following):
                calls = (*lines, each) if index == 0 else (each,)
                overflow = False
                for box in (box for laid in calls for box in laid.line.descendants()):
                    if box.footnote is not None and box.footnote in context.footnotes:
                        overflow = context.layout_footnote(box.footnote) or overflow
                        laid_notes.append(box.footnote)
                if overflow or context.overflows_page(
                        self.bottom_space, each.line.position_y + each.line.height):
                    overflows = index
                    break
            last = following[-1].resume_at is None  # the paragraph ends with them
            if overflows is None:
                # They fit; but a block kept with the paragraph ("See also",
                # break-before: avoid) that does not takes the paragraph's last
                # ``widows`` lines with it to the next page.
                return last and len(following) == widows and self._kept_with_next() and \
                    not self._room_after(following[-1])
            if last and len(following) < widows:
                return False  # lines before this one go to the next page too
            return overflows == 0 or (last and len(following) == widows)
        finally:
            for footnote in reversed(laid_notes):
                context.unlayout_footnote(footnote)
            context.footnotes[:] = waiting
            self.drop(*following)

    def _kept_with_next(self) -> bool:
        """Whether no page may break between the paragraph and the block after
        it (its break-after, or the next block's break-before, is avoid)."""
        if self.box.style["break_after"] in ("avoid", "avoid-page"):
            return True
        following = _followers(self.context).get(id(getattr(self.box, "element", None)))
        if following is None:
            return False
        style = self.context.style_for(following)
        return style is not None and style["break_before"] in ("avoid", "avoid-page")

    def _room_after(self, last: _Laid) -> bool:
        """Whether a line as high as the paragraph's last fits below it, after
        the paragraph's bottom margin: room for the first line of the block
        kept with it."""
        margin = getattr(self.containing_block, "margin_bottom", 0)
        margin = margin if isinstance(margin, (int, float)) else 0
        bottom = last.line.position_y + last.line.height * 2 + margin
        return not self.context.overflows_page(self.bottom_space, bottom)

    def broken_earlier(self, run: list[_Laid], after: _Laid, limit: float = MAX_STRETCH
                       ) -> tuple[int, list[_Laid]] | None:
        """A line of the run broken earlier, at a hyphenation point or a space
        before the one it ends at, and the lines after it, until one ends
        without a hyphen: its index and those lines, if none of them makes a
        third hyphenated line in a row, ends a page hyphenated or is stretched
        more than ``limit``; None if no line of the run can be.

        The line keeps more of its text for the next, whose end then falls
        elsewhere: "призна‐ / …стерилиза‐ / …активист‐" becomes "призна‐ /
        …сте‐ / рилизации". The last line of the run is tried first; the
        lines after it may be broken earlier too (:meth:`_ending_run`). The
        lines it replaces are dropped."""
        for index in reversed(range(len(run))):
            lines = self._ending_run(run[index].start, run[:index], limit, run[index].resume_at)
            if lines is not None:
                self.drop(*run[index:], after)
                return index, lines
        return None

    def _ending_run(self, start: _Start, before: list[_Laid], limit: float,
                    avoid: object = None) -> list[_Laid] | None:
        """Lines from ``start``, after the hyphenated lines ``before``, that end
        the run within HYPHENATED_LINES hyphenated lines in a row, none of them
        stretched more than ``limit`` nor ending its page hyphenated: each
        broken as WeasyPrint breaks it, or earlier, narrower by half an em at
        a time (its spaces then take up the difference). ``avoid``: where a
        line is not to end (the line it replaces). None if there are none."""
        last = len(before) >= HYPHENATED_LINES  # this line must end whole
        narrower = self.box.style["font_size"] / 2
        tried = [] if avoid is None else [avoid]  # (skip stacks: dicts)
        for step in range(1 if last else 9):
            laid = self.lay_out(start, hyphenate=not last, narrower=step * narrower)
            if laid.line is None or laid.resume_at in tried:
                self.drop(laid)
                continue
            tried.append(laid.resume_at)
            if _stretch(laid.line) > limit:
                self.drop(laid)
                break  # narrower still would be looser still
            if laid.resume_at is None or not _ends_hyphenated(laid.line):
                return [laid]
            if not self.ends_page([*before, laid]):
                rest = self._ending_run(laid.following, [*before, laid], limit)
                if rest is not None:
                    return [laid, *rest]
            self.drop(laid)
        return None

    def least_stretched(self, run: list[_Laid], after: _Laid
                        ) -> tuple[int, list[_Laid]] | None:
        """Where nothing within LAST_RESORT_STRETCH ends the run: of every way
        :meth:`broken_earlier` tries (and each line of the run, and ``after``,
        laid out without its hyphen), the one whose loosest line is least
        stretched, whatever that is. Its index and lines, as broken_earlier's."""
        best: tuple[float, int, list[_Laid]] | None = None
        for index in reversed(range(len(run) + 1)):
            avoid = run[index].resume_at if index < len(run) else None
            found = self._least_ending(after.start if index == len(run) else run[index].start,
                                       run[:index], avoid)
            if found is not None and (best is None or found[0] < best[0]):
                if best is not None:
                    self.drop(*best[2])
                best = (found[0], index, found[1])
            elif found is not None:
                self.drop(*found[1])
        if best is None:
            return None
        self.drop(*run[best[1]:], after)
        return best[1], best[2]

    def _least_ending(self, start: _Start, before: list[_Laid], avoid: object = None
                      ) -> tuple[float, list[_Laid]] | None:
        """:meth:`_ending_run` with no limit: the lines from ``start`` that end
        the run with the least stretch on the loosest of them, and that stretch."""
        last = len(before) >= HYPHENATED_LINES
        narrower = self.box.style["font_size"] / 2
        tries = [(False, 0.0)] if last else \
            [(True, 0.0), (False, 0.0), *((True, step * narrower) for step in range(1, 9))]
        tried = [] if avoid is None else [avoid]
        best: tuple[float, list[_Laid]] | None = None
        for hyphenate, narrowed in tries:
            laid = self.lay_out(start, hyphenate=hyphenate, narrower=narrowed)
            if laid.line is None or laid.resume_at in tried:
                self.drop(laid)
                continue
            tried.append(laid.resume_at)
            stretch = _stretch(laid.line)
            if best is not None and stretch >= best[0]:
                self.drop(laid)
                if hyphenate and narrowed:
                    break  # narrower still would be looser still
                continue
            found: tuple[float, list[_Laid]] | None = None
            if laid.resume_at is None or not _ends_hyphenated(laid.line):
                found = (stretch, [laid])
            elif not self.ends_page([*before, laid]):
                rest = self._least_ending(laid.following, [*before, laid])
                if rest is not None:
                    found = (max(stretch, rest[0]), [laid, *rest[1]])
            if found is None:
                self.drop(laid)
            elif best is None or found[0] < best[0]:
                if best is not None:
                    self.drop(*best[1])
                best = found
            else:
                self.drop(*found[1])
        return best

    def without_hyphen(self, run: list[_Laid], after: _Laid) -> tuple[int, _Laid] | None:
        """A line of the run laid out again without hyphenation (its index
        and the line), the last that can be without being stretched too much;
        None if none can. The lines after it are dropped."""
        for index in reversed(range(len(run))):
            plain = self.lay_out(run[index].start, hyphenate=False)
            if plain.resume_at is not None and _stretch(plain.line) <= MAX_STRETCH:
                self.drop(*run[index:], after)
                return index, plain
            self.drop(plain)
        return None


def _followers(context) -> dict[int, object]:
    """Each element of the laid-out document (by id) and the element after
    it: its next sibling, or its parent's if it is the last (a section's last
    paragraph is followed by the chapter's "See also"). Worked out once per
    layout from the document's root."""
    known = context.__dict__.get("_shadow_report_followers")
    if known is None:
        known = {}
        styles = getattr(context.style_for, "_computed_styles", {})
        root = next((element for element, pseudo in styles
                     if pseudo is None and getattr(element, "tag", None) == "html"), None)
        waiting = [(root, None)] if root is not None else []
        while waiting:
            parent, after = waiting.pop()
            children = list(parent)
            for index, element in enumerate(children):
                following = children[index + 1] if index + 1 < len(children) else after
                if following is not None:
                    known[id(element)] = following
                waiting.append((element, following))
        context._shadow_report_followers = known
    return known


def _texts(line) -> list:
    return [box for box in line.descendants()
            if isinstance(box, boxes.TextBox) and box.text.strip()]


def _ends_hyphenated(line) -> bool:
    texts = _texts(line)
    return bool(texts) and texts[-1].text.rstrip(" ").endswith(
        texts[-1].style["hyphenate_character"])


def _stretch(line) -> float:
    """How much justification widened the line's spaces, in em."""
    return max((getattr(box, "justification_spacing", 0) / box.style["font_size"]
                for box in _texts(line) if box.style["font_size"]), default=0.0)


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
    """Use these corrections for the inline layout in this process (once)."""
    inline.split_first_line = split_first_line
    inline.can_break_inside = can_break_inside
    inline.justify_line = justify_line
    inline.iter_line_boxes = iter_line_boxes
