"""Hyphenation only in running text, at most two hyphenated lines in a row,
none at a page's end (tests/hyphenated.py measures the PDFs)."""

from __future__ import annotations

import re

import pyphen
import pytest
from conftest import EDITIONS
from hyphenated import measure, where

from builder import linebreak
from builder.pdf import layout, page_texts, write_pdf


@pytest.mark.parametrize("name", EDITIONS)
def test_the_sample_is_hyphenated_only_in_running_text(sample_pdfs, name):
    report = measure(sample_pdfs[name])
    assert len(report.hyphenated) > 40  # running text is still hyphenated
    wrong = {kind: [where(line) for line in getattr(report, kind)]
             for kind in ("urls", "capitals", "headings", "labels", "page_ends")}
    assert wrong == dict.fromkeys(wrong, [])


@pytest.mark.parametrize("name", EDITIONS)
def test_no_more_than_two_hyphenated_lines_in_a_row(sample_pdfs, name):
    """Two at most; a third only where every line of the run, laid out
    without its hyphen, would be stretched by more than MAX_STRETCH (0.6 em
    added to each space: a hole). The sample's Russian has three such runs,
    where the text had runs of up to six and 16-22 runs of three or more
    in each Russian and Kazakh PDF before."""
    report = measure(sample_pdfs[name])
    longer = [f"{len(run)} from {where(run[0])}" for run in report.runs if len(run) > 2]
    assert report.longest_run <= 3, longer
    assert len(longer) <= 2, longer


@pytest.mark.parametrize("name", [name for name in EDITIONS if name.endswith("-kk")])
def test_a_kazakh_numeral_keeps_its_suffix_on_its_line(sample_pdfs, name):
    """ "12-жағдай", "(8-жағдай)" (the numeral a link), never "12-" / "жағдай";
    the text a reader copies keeps the hyphen-minus."""
    text = "\n".join(page_texts(sample_pdfs[name]))
    assert re.findall(r".{0,30}\d-\n", text) == []
    assert len(re.findall(r"\d-(?:жағдай|бап|ұсыным)", text)) > 20


def _paragraphs(words: str, widths: range) -> str:
    return ('<html lang="ru"><head><title>t</title><style>@page { size: A4; margin: 1cm } '
            'p { text-align: justify; font-size: 10pt; hyphens: auto; margin: 0 0 4pt }'
            '</style></head><body>'
            + "".join(f'<p style="width: {width}pt">{words}</p>' for width in widths)
            + '</body></html>')


RUSSIAN = ("Правозащитники сообщают, что после принятия законопроекта активистов "
           "задерживали, допрашивали и штрафовали, а нападавших на них так и не "
           "привлекли к ответственности. Источники описывают также угрозы, слежку и "
           "давление на родственников, из-за которых некоторые активисты были вынуждены "
           "уехать из страны. Организации, работающие с пострадавшими, указывают на "
           "отсутствие эффективных средств правовой защиты. ") * 2


def test_the_measurement_sees_runs_and_the_layout_limits_them(tmp_path, monkeypatch):
    """Justified Russian paragraphs 400 to 460 pt wide (the body's column is
    440): with the limit lifted, runs of up to 8 hyphenated lines (26 of three
    or more), which the script finds; with it, runs of two, and of three only
    where no line of the run can do without its hyphen (6)."""
    html = _paragraphs(RUSSIAN, range(400, 460, 2))
    path = tmp_path / "runs.pdf"

    def runs() -> tuple[int, int, int]:
        write_pdf(layout(html, None), path, variant="pdf/ua-1")
        report = measure(path)
        return (report.longest_run, sum(1 for run in report.runs if len(run) > 2),
                len(report.hyphenated))

    monkeypatch.setattr(linebreak, "HYPHENATED_LINES", 100)
    longest, long_runs, hyphenated = runs()
    assert longest >= 4
    monkeypatch.setattr(linebreak, "HYPHENATED_LINES", 2)
    limited = runs()
    assert limited[0] <= 3
    assert limited[1] <= long_runs / 3
    assert limited[2] > hyphenated * 0.8  # hyphenation is limited, not given up


def test_acronyms_words_in_capitals_and_with_digits_are_never_hyphenated(tmp_path,
                                                                         monkeypatch):
    """What Pyphen would break ("LGB-TQI", "ОБ-ЗОРА", "CO-VID19") is kept
    whole; the script sees the breaks when the dictionary is Pyphen's own."""
    words = " ".join(["LGBTQI+ activists", "ОБЗОРА ПРЕДСТАВЛЕНИЕ", "CEDAW/C/KAZ/CO/5",
                      "COVID19 pandemic", "Kazakhstan"] * 6)
    html = _paragraphs(words, range(60, 120, 4)).replace('lang="ru"', 'lang="en"')
    path = tmp_path / "capitals.pdf"
    write_pdf(layout(html, None), path, variant="pdf/ua-1")
    assert measure(path).capitals == []
    monkeypatch.setattr(linebreak.Dictionary, "positions", pyphen.Pyphen.positions)
    write_pdf(layout(html, None), path, variant="pdf/ua-1")
    assert measure(path).capitals != []


def test_the_dictionary_refuses_words_in_capitals_and_with_digits():
    dictionary = linebreak.Dictionary(lang="en_GB")
    assert dictionary.positions("propaganda") != []
    assert dictionary.positions("LGBTQI") == []
    assert dictionary.positions("Propaganda") != []  # one capital: a sentence's first word
    assert dictionary.positions("COVID19") == []
    assert dictionary.positions("propaganda2") == []
