"""How the pages break, measured from outside (tests/pagination.py): every note
on the page of its call, no stranded heading, no single line of a paragraph at
a page's foot or top, no page under a quarter full but a chapter's last, and
the running header naming the chapter at the page's top."""

from __future__ import annotations

import re

import pytest
from conftest import EDITIONS
from pagination import CHAPTERS, measure, read
from weasyprint.formatting_structure import boxes

from builder.pdf import layout, page_texts, write_pdf
from builder.render import ROMAN


@pytest.mark.parametrize("name", EDITIONS)
def test_the_sample_pages_break_well(sample_pdfs, name):
    result = measure(sample_pdfs[name])
    notes = [number for page in result.pages for number in page.notes]
    calls = [number for page in result.pages for number in page.calls]
    assert len(notes) > 30 and notes == list(range(1, len(notes) + 1))  # all notes are read
    assert sorted(set(calls)) == notes
    assert {"notes off page": result.notes_off_page, "stranded headings": result.stranded,
            "orphans": result.orphans, "widows": result.widows, "short pages": result.short,
            "Ibid. opening a page": result.ibid_first} \
        == {"notes off page": [], "stranded headings": [], "orphans": [], "widows": [],
            "short pages": [], "Ibid. opening a page": []}


@pytest.mark.parametrize("name", EDITIONS)
def test_the_running_header_names_the_chapter_at_the_top_of_the_page(sample_pdfs, name):
    """The chapter whose heading opens the page, else the last one begun before
    it: not a chapter that begins lower on the page."""
    in_force, checked, begins_lower = "", 0, 0
    for page in read(sample_pdfs[name]):
        chapters = [block.text for block in page.blocks if block.kind in CHAPTERS]
        if page.blocks and page.blocks[0].kind in CHAPTERS:
            in_force = page.blocks[0].text
        if in_force:
            assert _squeezed(in_force) in _squeezed(page.header), (page.number, page.header)
            checked += 1
            begins_lower += bool(chapters and chapters[0] != in_force)
        if chapters:
            in_force = chapters[-1]
    assert checked > 10 and begins_lower >= 3  # pages where the two differ are seen


def _squeezed(text: str) -> str:
    return re.sub(r"[\s\u00ad\u2010-]+", "", text)


# --- the measurement sees each fault -------------------------------------------------

PAGE = "@page { size: A4; margin: 22mm 22mm 24mm 24mm }"
STYLE = ("body { font: 10pt/14pt serif; margin: 0 } p { margin: 0; text-align: justify; "
         "orphans: 1; widows: 1; hyphens: none } h2 { font-size: 12pt; margin: 0 }")
WORDS = ("Police officers detained the activists without charge and the court refused to "
         "hear their complaint, although the families reported threats. ") * 6


def _pdf(tmp_path, body: str, style: str = ""):
    html = (f'<html lang="en"><head><title>t</title><style>{PAGE} {STYLE} {style}</style>'
            f"</head><body>{body}</body></html>")
    path = tmp_path / "pages.pdf"
    write_pdf(layout(html, None), path, variant="pdf/ua-1")
    return measure(path)


def test_the_measurement_sees_an_orphan_a_widow_and_a_stranded_heading(tmp_path):
    # Page 1 has room for one line below the spacer (an orphan), page 3 for two
    # (a widow of a three-line paragraph on page 4), page 4 ends with a heading.
    body = (f'<div style="height: 245mm"></div><p>{WORDS}</p>'
            f'<div style="break-before: page; height: 241mm"></div><p>{WORDS[:200]}</p>'
            f'<p>{WORDS}</p><h2>A heading</h2><p style="break-before: page">{WORDS}</p>')
    result = _pdf(tmp_path, body, "h2 { break-after: auto }")
    assert [item.split(":")[0] for item in result.orphans] == ["page 1"]
    assert [item.split(":")[0] for item in result.widows] == ["page 4"]
    assert result.stranded == ["page 4: H2 'A heading'"]


def test_the_measurement_sees_a_heading_s_table_parted_from_its_text(tmp_path):
    """A case's title and facts at a page's foot, its story on the next page:
    stranded; the same title and facts followed on their page by the story's
    first lines, or a list after a heading that ends with its text, are not."""
    case = ('<section><h3>Case 2. Title</h3><dl><dt>Date</dt><dd>May 2021</dd>'
            '<dt>Place</dt><dd>Almaty</dd></dl><p{}>{}</p></section>')
    parted = _pdf(tmp_path, '<div style="height: 215mm"></div>'
                  + case.format(' style="break-before: page"', WORDS))
    assert parted.stranded == ["page 1: a heading's table ending 'Almaty'"], parted.stranded
    together = _pdf(tmp_path, '<div style="height: 205mm"></div>' + case.format("", WORDS))
    assert len(together.pages) == 2 and together.stranded == [], together.stranded
    listed = _pdf(tmp_path, '<div style="height: 215mm"></div><h3>Recommendations</h3>'
                  f'<ul><li>One</li><li>Two</li></ul><h3 style="break-before: page">Next</h3>'
                  f'<p>{WORDS}</p>')
    assert listed.stranded == [], listed.stranded


def test_the_measurement_sees_a_short_page_but_not_a_chapter_s_last(tmp_path):
    """Page 2 holds a few lines: short, unless a chapter opens page 3."""
    for opening, short in (("<p>", ["page 2"]), ("<h2>Chapter</h2><p>", [])):
        body = (f"<p>{WORDS * 2}</p><div style='break-before: page'><p>{WORDS}</p></div>"
                f"<div style='break-before: page'>{opening}{WORDS * 2}</p></div>"
                f"<p>{WORDS * 2}</p>")
        result = _pdf(tmp_path, body)
        assert len(result.pages) == 3
        assert [item.split(":")[0] for item in result.short] == short


def test_the_measurement_sees_a_note_away_from_its_call(tmp_path):
    """A call on page 1 whose note is printed at the foot of page 2 (written
    by hand here: the build refuses such a layout)."""
    note = '<p style="font-size: 8pt; text-align: left">{}. A source, p. {}.</p>'
    call = '<sup style="font-size: 6pt">{}</sup>'
    body = (f"<p>Text{call.format(1)} and text{call.format(2)}.</p>{note.format(1, 1)}"
            f'<p style="break-before: page">More text.</p>{note.format(2, 2)}')
    result = _pdf(tmp_path, body)
    assert [page.calls for page in result.pages] == [[1, 2], []]
    assert [page.notes for page in result.pages] == [[1], [2]]
    assert result.notes_off_page == ["note 2: called on page 1, printed on page 2"]


def test_an_ibid_that_opens_a_page_is_printed_as_the_citation_it_stands_for(tmp_path):
    """"Ibid." refers to the note before; at the top of a page's notes that
    note is on another page, so the citation is printed there instead (the
    sample had 2 to 5 such pages in each edition). The script sees it."""
    def document(ibid: str) -> str:
        body = "".join(
            f'<p class="para">Text {number}<span class="footnote">'
            + (ibid.format(number) if number % 3 else f"<cite>A report</cite>, p. {number}.")
            + "</span>.</p>" + ('<p style="break-before: page"></p>' if number in (2, 4, 6) else "")
            for number in range(1, 9))
        return ('<html lang="en"><head><title>t</title>'
                f'<link rel="stylesheet" href="asset:templates/base/print.css"><style>{FACES}'
                "</style></head><body>" + body + "</body></html>")

    path = tmp_path / "ibid.pdf"
    write_pdf(layout(document(
        '<span class="ibid" data-ibid="{0}"><span class="ibid-short">Ibid., p. {0}.</span>'
        '<span class="ibid-full"><cite>A report</cite>, p. {0}.</span></span>'), None), path,
        variant="pdf/ua-1")
    result = measure(path)
    # Notes 1, 5 and 7 open their pages; 3 is a citation of its own; 2, 4 and 8 follow one.
    assert [page.first_note for page in result.pages] == [
        "1. A report, p. 1.", "3. A report, p. 3.", "5. A report, p. 5.", "7. A report, p. 7."]
    assert result.ibid_first == []
    printed = "\n".join(page_texts(path))
    assert printed.count("Ibid.") == 3
    # Written as plain "Ibid.", as the script sees it.
    write_pdf(layout(document("Ibid., p. {0}."), None), path, variant="pdf/ua-1")
    assert [item.split(":")[0] for item in measure(path).ibid_first] == [
        "page 1", "page 3", "page 4"]


# --- the notes area and the chapter headings -------------------------------------------


def _boxes_of(document, tag_class: str):
    for page in document.pages:
        for box in page._page_box.descendants():
            if box.element is not None and tag_class in (box.element.get("class") or "") \
                    .split():
                yield box


FACES = "".join(
    f'@font-face {{ font-family: "Report {family}"; '
    f'src: url("asset:fonts/Noto{family}-{face}.ttf"); font-weight: {weight}; '
    f'font-style: {style} }}'
    for family, face, weight, style in [("Serif", "Regular", "normal", "normal"),
                                        ("Serif", "Italic", "normal", "italic"),
                                        ("Sans", "Regular", "normal", "normal"),
                                        ("Sans", "Bold", "bold", "normal")])


def _print_css(body: str):
    """A document laid out with the reports' stylesheet and fonts."""
    html = ('<html lang="en"><head><title>t</title>'
            f'<link rel="stylesheet" href="asset:templates/base/print.css"><style>{FACES}</style>'
            f"</head><body>{body}</body></html>")
    return layout(html, None).document


def test_a_note_s_number_hangs_in_a_box_of_its_own_from_100_up():
    """"100." with its text, and the text's second line, start at one indent,
    clear of the number."""
    long = "A source with a long title that runs over the width of the page " * 3
    body = "".join(f'<p>Text<span class="footnote">{long if n % 7 == 0 else "Ibid."}'
                   "</span>.</p>" for n in range(1, 121))
    document = _print_css(body)
    starts, ends = set(), []
    for _, _, area in _areas(document):
        for note in area.children:
            lines = [box for box in note.children if isinstance(box, boxes.LineBox)]
            texts = [[t for t in line.descendants() if isinstance(t, boxes.TextBox)]
                     for line in lines]
            marker, first = texts[0][0], texts[0][1]
            assert re.fullmatch(r"\d+\.", marker.text)
            ends.append(first.position_x - (marker.position_x + marker.width))
            starts.add(round(first.position_x, 1))
            starts.update(round(line[0].position_x, 1) for line in texts[1:])
    assert len(ends) == 120 and min(ends) > 1.0 / 25.4 * 72  # pt: more than 1 mm clear
    assert len(starts) == 1  # every line of every note starts at one indent


def _areas(document):
    for number, page in enumerate(document.pages, 1):
        for area in page._page_box.children:
            if isinstance(area, boxes.FootnoteAreaBox) and area.children:
                yield number, page, area


def test_chapter_numbers_fit_their_box_and_the_titles_align():
    numerals = ROMAN[:16]
    body = "".join(f'<h2 class="chapter"><span class="chapter-num">{n}.</span> Title</h2>'
                   for n in numerals)
    document = _print_css(body)
    titles, gaps = set(), []
    for heading in _boxes_of(document, "chapter"):
        if not isinstance(heading, boxes.BlockBox):
            continue
        texts = [t for t in heading.descendants() if isinstance(t, boxes.TextBox)]
        number, title = texts[0], texts[-1]
        gaps.append(title.position_x - (number.position_x + number.width))
        titles.add(round(title.position_x, 1))
    assert len(gaps) == len(numerals) and min(gaps) > 2.0  # pt
    assert len(titles) == 1


def test_the_cover_is_set_ragged():
    """The kicker in spaced capitals, the two-line subtitle and the facts are
    not stretched to the column's width, as running text is."""
    words = "Joint submission of three organisations, an illustrative sample built " * 3
    body = (f'<header class="cover"><p class="cover-kind">{words}</p>'
            f'<p class="cover-subtitle">{words}</p><dl class="cover-facts"><dt>Key words</dt>'
            f"<dd>{words}</dd></dl></header><p>{words * 2}</p>")
    document = _print_css(body)
    stretched = {box.element.get("class") or box.element.tag
                 for page in document.pages for box in page._page_box.descendants()
                 if isinstance(box, boxes.TextBox) and box.justification_spacing}
    assert stretched == {"p"}  # only the paragraph after the cover


# --- tables of entries kept together -------------------------------------------------

def test_a_generated_follow_up_table_leaves_no_page_short(tmp_path):
    """Generated report 4242: follow-up entries of 20-30 lines and 10-15 notes,
    some longer than a page. Kept together at any price, an entry went whole
    to the next page and left the page before it holding the end of the entry
    before, or only a summary row (upr-en: six pages 6-17 % full)."""
    import corpus

    from builder.build import build
    from builder.project import open_project

    corpus.write_project(tmp_path / "report", 4242, corpus.FAST, "en")
    project = open_project(tmp_path / "report")
    built = build(project, output=tmp_path / "out", mechanisms=["upr"], languages=["en"],
                  reuse=False)
    result = measure(built.built[0].path)
    assert result.short == [] and result.stranded == [] and result.notes_off_page == []
    summaries = [page for page in read(built.built[0].path)
                 if any(block.kind == "TD" for block in page.blocks)]
    assert len(summaries) >= 4  # the table runs over several pages


def test_a_table_whose_first_entry_does_not_fit_under_its_start_starts_on_the_next_page(
        tmp_path):
    """WeasyPrint 70 lays out a table's first row group as if at the top of a
    page: kept together (break-inside: avoid), it was split where the table
    started instead (builder/tables.py)."""
    row = f"<tbody class='entry' id='e{{n}}'><tr><td>{WORDS}</td></tr></tbody>"
    body = ('<div style="height: 200mm"></div><p>Lead-in.</p><table><thead><tr><th>Entry'
            "</th></tr></thead>" + "".join(row.format(n=n) for n in range(3)) + "</table>")
    style = "tbody.entry { break-inside: avoid } td p { margin: 0 }"
    html = (f'<html lang="en"><head><title>t</title><style>{PAGE} {STYLE} {style}</style>'
            f"</head><body>{body}</body></html>")
    pages = layout(html, None).document.pages
    first_entry = [number for number, page in enumerate(pages, 1)
                   for box in page._page_box.descendants()
                   if isinstance(box, boxes.TableRowGroupBox) and box.element.get("id") == "e0"]
    assert set(first_entry) == {2}


def test_an_entry_longer_than_a_page_breaks_where_it_starts(tmp_path):
    """Kept together, an entry longer than a page went whole to the next page
    and left the one before it nearly empty: it is laid out again, breaking."""
    from builder.pdf import _render, allow_breaks, split_kept_together

    long_text = "".join(f"<p>{WORDS}</p>" for _ in range(9))
    body = (f"<p>{WORDS}</p><table><tbody class='entry' id='long'><tr><td>{long_text}"
            "</td></tr></tbody></table>")
    style = "tbody.entry { break-inside: avoid } .breakable { break-inside: auto !important }"
    html = (f'<html lang="en"><head><title>t</title><style>{PAGE} {STYLE} {style}</style>'
            f"</head><body>{body}</body></html>")
    _, kept = _render(html, None, [])
    assert split_kept_together(kept) == ["long"]
    assert "<tbody class='breakable entry' id='long'>" in allow_breaks(html, ["long"])
    assert allow_breaks('<div id="x"><p id="x2">', ["x"]) \
        == '<div class="breakable" id="x"><p id="x2">'
    pages = layout(html, None).document.pages  # the layout the build uses
    starts = [number for number, page in enumerate(pages, 1)
              for box in page._page_box.descendants()
              if isinstance(box, boxes.TableRowGroupBox) and box.element.get("id") == "long"]
    assert starts[0] == 1 and len(set(starts)) >= 2
