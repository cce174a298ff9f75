"""Justified text without wide gaps between words, in every language (tests/justified.py)."""

from __future__ import annotations

import pytest
from conftest import EDITIONS
from justified import justified_lines

from builder import linebreak
from builder.pdf import layout, write_pdf

# A normal space of Noto Serif is 0.26 em. TeX's default settings allow a
# space to stretch to about twice that; three times (0.8 em) is the most a
# line should show; a whole em is a hole in the text. The sample's widest
# spaces: 0.68 em in English, 0.86 in Russian, 0.88 in Kazakh (0.60, 0.76
# and 0.78 without the hyphenation limits; 1.80 before Kazakh was
# hyphenated), see the README.
LIMIT = 1.0


@pytest.mark.parametrize("name", EDITIONS)
def test_no_justified_line_has_spaces_wider_than_the_limit(sample_pdfs, name):
    lines = justified_lines(sample_pdfs[name])
    assert len(lines) > 150  # the body text is found
    wide = [f"page {line.page}: {line.word_space:.2f} em: {line.text}" for line in lines
            if line.word_space is not None and line.word_space > LIMIT]
    assert wide == []


_STRETCHED = "one two three four five six seven eight nine ten eleven twelve"
_STRETCHED_HTML = (
    '<html lang="en"><head><title>t</title><style>p { width: 60mm; '
    'text-align: justify; font-size: 10pt; hyphens: none; margin: 0 0 2mm }</style>'
    f'</head><body><p>{_STRETCHED} {_STRETCHED}</p><p>{_STRETCHED} {_STRETCHED}</p>'
    f'<p>one two three four Aaaaaaaaaaaaaaaaaaaaaaaaa {_STRETCHED}</p></body></html>')


def _stretched_lines(path):
    write_pdf(layout(_STRETCHED_HTML, None), path, variant="pdf/ua-1")
    return justified_lines(path)


def test_the_measurement_sees_a_line_stretched_before_a_long_word(tmp_path):
    """A narrow justified paragraph whose second line is pushed down by a word
    that cannot be broken: that line's spaces are stretched (over 2 em), far
    more than any other line's."""
    lines = _stretched_lines(tmp_path / "stretched.pdf")
    widest = max(lines, key=lambda line: line.word_space or 0)
    assert widest.text == "one two three four"
    assert widest.word_space > 1.5
    assert sorted(line.word_space for line in lines)[-2] < 1.0


def test_a_line_only_wide_spaces_can_fill_has_its_letters_spaced_a_little(tmp_path, monkeypatch):
    """The same paragraph with and without letter spacing (builder/linebreak.py):
    the stretched line's letters take up to 2 % of the font size each, so its
    spaces are narrower (by about 0.08 em here); its words read the same; the
    lines that fill with spaces of 0.76 em or less are unchanged."""
    spaced = _stretched_lines(tmp_path / "spaced.pdf")
    most = linebreak.LETTER_STRETCH
    monkeypatch.setattr(linebreak, "LETTER_STRETCH", 0)
    plain = _stretched_lines(tmp_path / "plain.pdf")
    assert [line.text for line in spaced] == [line.text for line in plain]
    for before, after in zip(plain, spaced, strict=True):
        if before.word_space <= linebreak.SPACE_STRETCH + 0.26:
            assert after.word_space == pytest.approx(before.word_space, abs=0.01)
    [(before, after)] = [(b, a) for b, a in zip(plain, spaced, strict=True)
                         if b.text == "one two three four"]
    assert after.word_space < before.word_space - 0.05
    three = slice(6, 11)  # "three", of "onetwothreefour"
    widened = ((after.chars[three][-1].right - after.chars[three][0].left)
               - (before.chars[three][-1].right - before.chars[three][0].left))
    assert 0 < widened / 4 / after.chars[0].em <= most + 0.001
    assert abs(after.right - before.right) < 0.15  # pt: the last letter still ends at the edge


def _first_lines(document) -> list[str]:
    """The text of each paragraph's first line, in document order."""
    firsts = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            if type(box).__name__ == "BlockBox" and box.element_tag == "p" and box.children:
                firsts.setdefault(box.element, "".join(
                    child.text for child in box.children[0].descendants()
                    if hasattr(child, "text")))
    return list(firsts.values())


def test_a_run_that_fits_but_for_its_last_space_is_not_cut_at_its_first_word():
    """Words before an inline element (a figure) that fill the line up to the
    space after them: WeasyPrint 70 hyphenated the first word of the run and
    left "Реакция: Расследова‐" alone on a justified line (a 17 em gap in a
    generated report). The run is about 317 pt wide at 10 pt: paragraphs from
    310 to 330 pt wide, 0.1 pt apart, cover the widths where only the space
    after it overflows."""
    words = "Реакция: Расследование мирное пропаганда обвинения P0."
    rest = ". Группа полиции женщины дискриминация депутаты журналисты ненависть суд"
    paragraphs = "".join(
        f'<p style="width: {310 + step / 10}pt">{words} <span>19&nbsp;700</span>{rest}</p>'
        for step in range(200))
    html = ('<html lang="ru"><head><title>t</title><style>p { text-align: justify; '
            'font-size: 10pt; hyphens: auto; margin: 0 } @page { size: A4; margin: 1cm }'
            f'</style></head><body>{paragraphs}</body></html>')
    firsts = _first_lines(layout(html, None).document)
    assert len(firsts) == 200
    # The first line holds the run's words: whole, or broken after "мирное" or later.
    cut = [first for first in firsts if "мирное" not in first]
    assert cut == []


def test_a_word_before_a_note_call_is_hyphenated_when_it_does_not_fit():
    """An emphasised word followed by a note call, where the word fits at the
    line's end but the call does not: WeasyPrint 70 moved the word whole to the
    next line and stretched the line before it (1.02 em in a generated report),
    although hyphenating the word fits, as it does for the same word outside
    <em>. The paragraphs, 320 to 370 pt wide, all have room for "за‐"."""
    words = "Реакция: Расследование мирное пропаганда обвинения"
    rest = ". Группа полиции женщины дискриминация депутаты журналисты ненависть суд"
    html = ('<html lang="ru"><head><title>t</title><style>p { text-align: justify; '
            'font-size: 10pt; hyphens: auto; margin: 0 } @page { size: A4; margin: 1cm } '
            '.note { float: footnote } '
            '.note::footnote-call { content: "\\202F" counter(footnote) }</style></head><body>'
            + "".join(f'<p style="width: {320 + step / 4}pt">{words} <em>закрыты</em>'
                      f'<span class="note">Note.</span>{rest}</p>' for step in range(200))
            + '</body></html>')
    ends = [first.split()[-1] for first in _first_lines(layout(html, None).document)]
    assert len(ends) == 200
    assert [end for end in ends if end not in ("за‐", "закры‐")] == []
