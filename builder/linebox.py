"""WeasyPrint 70.0's line layout and footnote area, with changes to how they
place footnotes.

Adapted from ``weasyprint/layout/block.py`` (``_linebox_layout``) and
``weasyprint/layout/__init__.py`` (``LayoutContext._update_footnote_area``) of
WeasyPrint 70.0, Copyright 2011-2025 Simon Sapin, Guillaume Ayoub and
contributors, BSD 3-Clause licence
(https://github.com/Kozea/WeasyPrint/blob/main/LICENSE). The changes are
marked "Changed:" below; everything else is WeasyPrint's code as released, so
that a future upgrade can compare the two. Why it is needed and how it is
checked: builder/footnotes.py.
"""

# ruff: noqa: E501, SIM102, SIM108, B007
import re
from math import inf

from weasyprint.formatting_structure import boxes, build
from weasyprint.layout import block, inline


def linebox_layout(context, box, index, child, new_children, page_is_empty,
                    absolute_boxes, fixed_boxes, adjoining_margins,
                    bottom_space, position_y, skip_stack, first_letter_style,
                    first_line_style, draw_bottom_decoration, max_lines):
    abort = stop = False
    resume_at = None
    new_footnotes = []

    assert len(box.children) == 1, 'line box with siblings before layout'

    if adjoining_margins:
        position_y += block.collapse_margin(adjoining_margins)
    new_containing_block = box
    lines_iterator = inline.iter_line_boxes(
        context, child, position_y, bottom_space, skip_stack, new_containing_block,
        absolute_boxes, fixed_boxes, first_letter_style, first_line_style)
    for i, (line, resume_at) in enumerate(lines_iterator):
        # Break box if we reached max-lines
        if max_lines is not None:
            if max_lines == 0:
                new_children[-1].block_ellipsis = box.style['block_ellipsis']
                break
            max_lines -= 1

        # Update line resume_at and position_y
        line.resume_at = resume_at
        new_position_y = line.position_y + line.height

        # Add bottom padding and border to the bottom position of the
        # box if needed
        draw_bottom_decoration |= resume_at is None
        if draw_bottom_decoration:
            offset_y = box.border_bottom_width + box.padding_bottom
        else:
            offset_y = 0

        # Allow overflow if the first line of the page is higher than the page itself so
        # that we put *something* on this page and can advance in the context.
        overflow = (
            (new_children or not page_is_empty) and
            context.overflows_page(bottom_space, new_position_y + offset_y))
        if overflow:
            needed = box.style['widows'] - 1
            for next_line, _ in lines_iterator:
                needed -= 1
                block.remove_placeholders(
                    context, next_line.children, absolute_boxes, fixed_boxes)
                # Don’t iterate over all lines as it can be long.
                if needed == -1:
                    break
            needed = max(0, needed)
            # Changed: WeasyPrint 70 first carries the page's notes to the next
            # page, one by one, until the line fits. When the line then fits,
            # it is kept without laying out its own notes (they are lost);
            # when it never fits, the carried notes stay carried, however far
            # from their calls. A line that does not fit goes to the next page.
            abort, stop, resume_at = block._break_line(
                context, box, line, new_children, needed, page_is_empty, index,
                skip_stack, resume_at, absolute_boxes, fixed_boxes)
            break

        # TODO: this is incomplete.
        # See https://drafts.csswg.org/css-page-3/#allowed-pg-brk
        # "When an unforced page break occurs here, both the adjoining
        #  ‘margin-top’ and ‘margin-bottom’ are set to zero."
        # See issue #115.
        elif page_is_empty and context.overflows_page(bottom_space, new_position_y):
            # Remove the top border when a page is empty and the box is
            # too high to be drawn in one page
            new_position_y -= box.margin_top
            line.translate(0, -box.margin_top)
            box.margin_top = 0

        if context.footnotes:
            break_linebox = False
            # Changed: "is not None" first. WeasyPrint 70 looks every box of
            # the line up in the list of notes waiting to be laid out (thousands
            # in a long report), although only note calls can be in it.
            footnotes = (
                descendant.footnote for descendant in line.descendants()
                if descendant.footnote is not None and descendant.footnote in context.footnotes)
            for footnote in footnotes:
                overflow = context.layout_footnote(footnote)
                new_footnotes.append(footnote)
                overflow = (
                    overflow or
                    context.reported_footnotes or
                    context.overflows_page(bottom_space, new_position_y + offset_y))
                if overflow:
                    context.report_footnote(footnote)
                    # If we've put other content on this page, then we may want
                    # to push this line or block to the next page. Otherwise,
                    # we can't (and would loop forever if we tried), so don't
                    # even try.
                    if new_children or not page_is_empty:
                        if footnote.style['footnote_policy'] == 'line':
                            if needed := box.style['widows'] - 1:
                                for _ in lines_iterator:
                                    needed -= 1
                                    # Don’t iterate over all lines as it can be long.
                                    if needed == 0:
                                        break
                            abort, stop, resume_at = block._break_line(
                                context, box, line, new_children, needed, page_is_empty,
                                index, skip_stack, resume_at, absolute_boxes,
                                fixed_boxes)
                            break_linebox = True
                            break
                        elif footnote.style['footnote_policy'] == 'block':
                            abort = break_linebox = True
                            break
            if break_linebox:
                break

        new_children.append(line)
        position_y = new_position_y
        skip_stack = resume_at

    if new_children:
        resume_at = {index: new_children[-1].resume_at}

    return abort, stop, resume_at, position_y, new_footnotes, max_lines


def update_footnote_area(self):
    """Update the page bottom size and our footnote area height."""
    if self.current_footnote_area.height != 'auto' and not self.in_column:
        self.page_bottom += self.current_footnote_area.margin_height()
    self.current_footnote_area.children = self.current_page_footnotes
    _ibid_forms(self.current_page_footnotes)
    if self.current_footnote_area.children:
        # Changed: WeasyPrint lays out all of the page's notes each time one
        # is added or removed (and the line layout adds a line's notes to try
        # whether it is its page's last, then removes them, then adds them
        # again). Each note is laid out once, and the area's height and
        # overflow kept for each set of notes it has held.
        height, margin_height, overflow = _laid_area(self)
        self.current_footnote_area.height = height
        if not self.in_column:
            self.page_bottom -= margin_height
        return overflow
    else:
        self.current_footnote_area.height = 0
        if not self.in_column:
            self.page_bottom -= self.current_footnote_area.margin_height()
        return False


def _ibid_forms(notes) -> None:
    """Added: "Ibid." opens no page's notes. A note written "Ibid." carries
    the citation it stands for (render.py: ``.ibid`` holds ``.ibid-short``
    and ``.ibid-full``); the first note of the page is given its citation,
    every other its "Ibid.", each time the page's notes change. The form is
    a function of the page's notes, as the areas kept by :func:`_laid_area`
    are."""
    if not notes:
        return
    first = min(notes, key=note_number)
    for note in notes:
        forms = _forms(note)
        if forms is not None:
            ibid, short, full = forms
            ibid.children = [full if note is first else short]


def _forms(note):
    """The ``.ibid`` box of a note and its two forms, or None (kept on the note)."""
    cached = note.__dict__.get("_shadow_report_ibid", False)
    if cached is not False:
        return cached
    found = None
    for box in note.descendants():
        if isinstance(box, boxes.InlineBox) and _classes(box) >= {"ibid"}:
            forms = {name: child for child in box.children for name in _classes(child)
                     if name in ("ibid-short", "ibid-full")}
            if len(forms) == 2:
                found = (box, forms["ibid-short"], forms["ibid-full"])
            break
    note.__dict__["_shadow_report_ibid"] = found
    return found


def _form(note) -> int:
    """Which form a note has now: 0 none to choose, 1 "Ibid.", 2 the citation."""
    forms = _forms(note)
    return 0 if forms is None else 2 if forms[0].children[0] is forms[2] else 1


def _classes(box) -> set[str]:
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None else set()


def note_number(note) -> int:
    """A note's number, from its marker (-1 if none), laid out or not (kept
    on the note, and on its copies)."""
    number = note.__dict__.get("_shadow_report_number")
    if number is None:
        text = "".join(box.text for box in note.descendants()
                       if isinstance(box, boxes.TextBox))
        match = re.match(r"\s*(\d+)", text)
        number = note.__dict__["_shadow_report_number"] = int(match.group(1)) if match else -1
    return number


def _laid_area(self):
    """The footnote area laid out with the page's notes: its height, margin
    height and whether its notes overflow it, from WeasyPrint's code, kept
    for the same area and notes."""
    area = self.current_footnote_area
    key = (id(area), *map(id, area.children), *map(_form, area.children))
    known = self.__dict__.setdefault('_shadow_report_areas', {})
    if key in known:
        return known[key][1]
    result = _stacked(self, area)
    if result is None:
        result = _whole(self, area)
    # The boxes are kept with their result, so that their ids stay theirs.
    known[key] = ((area, *area.children), result)
    return result


def _whole(self, area):
    """The footnote area laid out with all its notes at once, as WeasyPrint
    does."""
    footnote_area = build.create_anonymous_boxes(area.deepcopy())
    footnote_area = block.block_level_layout(self, footnote_area, -inf, None, area.page)[0]
    last_child = footnote_area.children[-1]
    last_child_bottom = (
        last_child.position_y + last_child.margin_height() -
        last_child.margin_bottom)
    footnote_area_bottom = (
        footnote_area.position_y + footnote_area.margin_height() -
        footnote_area.margin_bottom)
    # Changed: WeasyPrint 70 compares the two with ">" alone. They are
    # equal when the notes fit, but summed in another order: when the
    # last bit differs (1080.5000000000002 > 1080.5), every note reads as
    # overflowing the area, is carried to the next page, carried again
    # there, and each page keeps one line (the English project of
    # `shadow-report new` in 11 pt text: 13 pages instead of 6, every note
    # a page after its call). The same tolerance as the page's own
    # overflow test.
    overflow = self.overflows(footnote_area_bottom, last_child_bottom)
    return footnote_area.height, footnote_area.margin_height(), overflow


def _stacked(self, area):
    """The footnote area's height, margin height and overflow, as
    :func:`_laid_area` gives them, from each note laid out alone in the area
    once: WeasyPrint stacks the notes one under the other, so the area holds
    the sum of their heights. None when a note has a vertical margin (margins
    between notes collapse: the area is then laid out whole)."""
    alone = self.__dict__.setdefault('_shadow_report_notes', {})
    position = frame = None
    for note in area.children:
        key = (id(area), id(note), _form(note))
        if key not in alone:
            alone[key] = ((area, note), _alone(self, area, note))
        laid = alone[key][1]
        if laid is None:
            return None
        height, frame = laid
        if position is None:
            position = frame[0]  # the top of the area's content
        position += height
    top, below, outside, min_height, max_height = frame
    height = max(min(max(0, position - top), max_height), min_height)
    overflow = self.overflows(top + height + below, position)
    return height, height + outside, overflow


def _alone(self, area, note):
    """The note's height laid out alone in the area, and the area's frame:
    where its content starts, what lies below its content (padding and
    border), around it (margin height less height), its minimum and maximum
    height. None if the note has a vertical margin."""
    footnote_area = build.create_anonymous_boxes(area.copy_with_children([note]).deepcopy())
    footnote_area = block.block_level_layout(self, footnote_area, -inf, None, area.page)[0]
    if len(footnote_area.children) != 1:
        return None
    child = footnote_area.children[0]
    if child.margin_top or child.margin_bottom:
        return None
    top = footnote_area.content_box_y()
    bottom = (footnote_area.position_y + footnote_area.margin_height() -
              footnote_area.margin_bottom)
    return child.margin_height(), (
        top, bottom - (top + footnote_area.height),
        footnote_area.margin_height() - footnote_area.height,
        footnote_area.min_height, footnote_area.max_height)
