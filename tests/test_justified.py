"""Justified text without wide gaps between words, in every language (tests/justified.py)."""

from __future__ import annotations

import pytest
from conftest import EDITIONS
from justified import justified_lines

from builder.pdf import layout, write_pdf

# A normal space of Noto Serif is 0.26 em. TeX's default settings allow a
# space to stretch to about twice that; three times (0.8 em) is the most a
# line should show; a whole em is a hole in the text. The sample's widest
# spaces: 0.60 em in English, 0.68 in Russian, 0.94 in Kazakh (1.80 before
# Kazakh was hyphenated), see the README.
LIMIT = 1.0


@pytest.mark.parametrize("name", EDITIONS)
def test_no_justified_line_has_spaces_wider_than_the_limit(sample_pdfs, name):
    lines = justified_lines(sample_pdfs[name])
    assert len(lines) > 150  # the body text is found
    wide = [f"page {line.page}: {line.word_space:.2f} em: {line.text}" for line in lines
            if line.word_space is not None and line.word_space > LIMIT]
    assert wide == []


def test_the_measurement_sees_a_line_stretched_before_a_long_word(tmp_path):
    """A narrow justified paragraph whose second line is pushed down by a word
    that cannot be broken: that line's spaces are stretched (about 2 em), far
    more than any other line's."""
    words = "one two three four five six seven eight nine ten eleven twelve"
    html = ('<html lang="en"><head><title>t</title><style>p { width: 60mm; '
            'text-align: justify; font-size: 10pt; hyphens: none; margin: 0 0 2mm }</style>'
            f'</head><body><p>{words} {words}</p><p>{words} {words}</p>'
            f'<p>one two three four Aaaaaaaaaaaaaaaaaaaaaaaaa {words}</p></body></html>')
    path = tmp_path / "stretched.pdf"
    write_pdf(layout(html, None), path, variant="pdf/ua-1")
    lines = justified_lines(path)
    widest = max(lines, key=lambda line: line.word_space or 0)
    assert widest.text == "one two three four"
    assert widest.word_space > 1.5
    assert sorted(line.word_space for line in lines)[-2] < 1.0
