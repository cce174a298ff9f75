"""The built PDFs, checked from outside with poppler and qpdf as a reader would."""

from __future__ import annotations

import json
import re
import subprocess
from html import unescape

import pytest
from conftest import EDITIONS, edition_html, run_tool

from builder.content import load_content
from builder.typography import WORD_JOINER

KAZAKH_LETTERS = set("ӘәҒғҚқҢңӨөҰұҮүҺһІі")


def pdfinfo(path) -> dict[str, str]:
    lines = run_tool("pdfinfo", str(path)).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


def pages_text(path) -> list[str]:
    return run_tool("pdftotext", "-layout", str(path), "-").split("\f")


def meta(html: str, name: str) -> list[str]:
    return [unescape(v) for v in re.findall(rf'<meta name="{name}" content="([^"]*)">', html)]


def test_the_build_writes_nine_pdfs_without_warnings_or_fallbacks(sample_build):
    result, records = sample_build
    for kind in ("pdf", "docx"):  # (and nine Word files: tests/test_docx.py)
        assert sorted(b.edition.name for b in result.built if b.kind == kind) == \
            sorted(EDITIONS)
        assert all(b.path.name == f"{b.edition.name}.{kind}" for b in result.built
                   if b.kind == kind)
    assert all(b.warnings == [] for b in result.built), [b.warnings for b in result.built]
    assert {b.edition.name: [str(f) for f in b.fallbacks] for b in result.built} == {
        name: [] for name in EDITIONS}
    assert [r.getMessage() for r in records] == []


@pytest.mark.parametrize("name", EDITIONS)
def test_structure_and_metadata(sample_pdfs, sample, name):
    html = edition_html(sample, name)
    info = pdfinfo(sample_pdfs[name])
    assert info["Page size"].endswith("(A4)")
    assert int(info["Pages"]) >= 10
    assert info["Title"] == " ".join(unescape(re.search(r"<title>(.*?)</title>", html)[1]).split())
    assert info["Author"] == ", ".join(meta(html, "author"))
    assert info["Subject"] == meta(html, "description")[0]
    assert info["Keywords"] == meta(html, "keywords")[0]
    assert info["CreationDate"].startswith("Sun Mar  1")
    language = name.split("-")[1]
    assert f'<html lang="{language}">' in html
    qdf = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(sample_pdfs[name]),
                          "-"], capture_output=True, check=True).stdout
    assert f"/Lang ({language})".encode() in qdf
    run_tool("qpdf", "--check", str(sample_pdfs[name]))


def test_english_metadata_reads_as_the_report(sample_pdfs, sample):
    report = load_content(sample).report
    info = pdfinfo(sample_pdfs["upr-en"])
    assert info["Title"].startswith("Rights of lesbian, gay, bisexual")
    assert info["Author"] == ", ".join(org.name for org in report.organisations)
    assert info["Keywords"] == ", ".join(report.keywords)


@pytest.mark.parametrize("name", EDITIONS)
def test_only_the_bundled_fonts_are_embedded(sample_pdfs, name):
    rows = run_tool("pdffonts", str(sample_pdfs[name])).splitlines()[2:]
    assert rows
    for row in rows:
        fields = row.split()
        font, emb, sub = fields[0], fields[-5], fields[-4]
        # Real faces only: a synthesised "-Oblique" means a face is missing.
        assert re.fullmatch(r"[A-Z]{6}\+Report-(Serif|Sans)(-Bold)?(-Italic)?", font), row
        assert (emb, sub) == ("yes", "yes"), row


@pytest.mark.parametrize("name", EDITIONS)
def test_paragraph_numbers_run_in_order(sample_pdfs, sample, name):
    """Each numbered paragraph of the HTML reads "N. first word" in the PDF, in order."""
    html = edition_html(sample, name)
    paragraphs = re.findall(r'<p class="para(?: introduces)?" id="para-(\d+)">'
                            r'<span class="para-num">\d+\.</span>(.*?)</p>', html)
    assert len(paragraphs) > 20
    text = " ".join(" ".join(pages_text(sample_pdfs[name])).split())
    position = 0
    for number, body in paragraphs:
        word = unescape(re.sub(r"<[^>]+>", "", body)).split()[0]
        found = text.find(f"{number}. {word}", position)
        assert found > position, (number, word)
        position = found


@pytest.mark.parametrize("name", EDITIONS)
def test_table_of_contents_page_numbers_are_right(sample_pdfs, name):
    pages = pages_text(sample_pdfs[name])
    toc = pages[1]
    entries = re.findall(r"^\s*(\S.*?)\s?\.{3,}\s*(\d+)\s*$", toc, flags=re.M)
    assert len(entries) >= 6
    for title, page in entries:
        page = int(page)
        assert page > 1, title
        words = " ".join(title.split()[:3])
        assert words in " ".join(pages[page - 1].split()), (title, page)


@pytest.mark.parametrize("name", EDITIONS)
def test_bookmarks_follow_the_headings(sample_pdfs, sample, name):
    html = edition_html(sample, name)
    # qpdf writes a whole number of a destination as "343.", which JSON refuses
    # (a number is alone on its line).
    outline = json.loads(re.sub(r"(?m)^(\s*-?\d+)\.(,?)$", r"\1\2", run_tool(
        "qpdf", "--json", "--json-key=outlines", str(sample_pdfs[name]))))["outlines"]
    titles = [entry["title"] for entry in outline]
    # As a reader reads them: "(2-бап)", without the word joiner of the HTML.
    headings = [" ".join(unescape(re.sub(r"<[^>]+>", "", h)).replace(WORD_JOINER, "").split())
                for h in re.findall(r'<h2 [^>]*>(.*?)</h2>', html)]
    assert titles == headings
    assert any(entry["kids"] for entry in outline)  # sections nest under chapters


@pytest.mark.parametrize("name", EDITIONS)
def test_footnotes_are_printed_with_the_text(sample_pdfs, name):
    text = "\n".join(pages_text(sample_pdfs[name]))
    notes = [int(n) for n in re.findall(r"^(\d+)\. +\S", text, flags=re.M)]
    assert notes[:3] == [1, 2, 3]
    assert "Gay Rights Violated in Kazakhstan" in text  # titles are cited as published
    assert "https://iwpr.net/global-voices/" in re.sub(r"\s", "", text)  # wrapped anywhere
    if name.endswith("-ru"):  # its translation in brackets
        assert "[Нарушение прав геев в Казахстане]" in " ".join(text.split())


def test_extracted_text_matches_the_content(sample_pdfs, sample):
    content = load_content(sample)
    text = " ".join(" ".join(pages_text(sample_pdfs["upr-en"])).replace("‐\n", "").split())
    text = text.replace("‐ ", "")
    # Quotes as the content types them (builder/typography.py sets them).
    text = text.translate({ord("“"): '"', ord("”"): '"', ord("’"): "'"})
    for section in content.sections:
        if section.upr:
            assert section.title in text
    for case in content.cases:
        assert (case.title in text) != case.withheld  # confidential cases are left out
    for previous in content.previous:  # the follow-up cites each one's Working Group report
        if "[TBC:" not in previous.document:
            assert previous.document in text
    assert "Page 1 of" in text


ALLOWED_LATIN = {"LGBTQI", "LGBT", "LGBTIQ", "QUEER", "KZ", "TBC", "HRC", "CEDAW", "CCPR",
                 "KAZ", "CO", "Kok", "Team", "Safe", "Space", "Feminita", "Human", "Rights",
                 "Watch", "ILGA", "Europe", "COC", "Front", "Line", "Defenders", "RFE", "RL",
                 "IWPR", "CIVICUS", "Inter", "Press", "Service", "Watchdog", "US"}


@pytest.mark.parametrize("name", [n for n in EDITIONS if not n.endswith("-en")])
def test_translated_editions_read_in_their_language(sample_pdfs, name):
    pages = pages_text(sample_pdfs[name])
    text = "\n".join(pages)
    language = name.split("-")[1]
    if language == "kk":
        assert KAZAKH_LETTERS & set(text)
        assert "2026 жылғы 1 наурыз" in text  # the report's date, the Kazakh way
    else:
        assert re.search(r"1 марта 2026\s?г\.", text)
    # No English in the headings: the table of contents lists every one.
    toc_words = {word for word in re.findall(r"[A-Za-z]{2,}", re.sub(r"\.{3,}", " ", pages[1]))
                 if not re.fullmatch(r"[IVXLC]+", word)}  # chapter numbers are Roman
    assert set(toc_words) <= ALLOWED_LATIN, set(toc_words) - ALLOWED_LATIN


def test_an_address_breaks_only_before_a_slash_dot_hyphen_or_question_mark(sample, sample_pdfs):
    """Never "htt" / "ps://" or "https:" / "//": a reader must be able to read
    and retype every address of the sources as printed; and a line never ends
    with the address's own "-" or ".", which would read as a hyphenated word
    or a sentence's end (pdftotext joined "qadam-" / "legal" into "qadamlegal")."""
    from builder.pdf import page_texts

    urls = {source.url for source in load_content(sample).sources if source.url}
    assert urls
    breaks = 0
    for name, path in sample_pdfs.items():
        text = "\n".join(page_texts(path))
        for url in urls:
            pattern = "".join(re.escape(c) + r"\n?" for c in url[:-1]) + re.escape(url[-1])
            for found in re.finditer(pattern, text):
                printed = found.group()
                for at in (i for i, c in enumerate(printed) if c == "\n"):
                    breaks += 1
                    before, after = printed[:at], printed[at + 1:]
                    assert "://" in before and not before.endswith(("://", ":/", ":")), \
                        (name, printed)
                    assert after.startswith(tuple("/.-?&_~#%=")), (name, printed)
                    assert not before.endswith(tuple("/.-?")), (name, printed)
    assert breaks  # the sample's long addresses do break somewhere


@pytest.mark.parametrize("name", EDITIONS)
def test_recommendations_are_numbered_through_the_report_in_the_pdf(sample, sample_pdfs,
                                                                     name):
    """"Recommendation 7" is one recommendation in the whole PDF, as the
    README says: the numbers do not start again under each heading."""
    html = edition_html(sample, name)
    items = re.findall(r'<li class="recommendation" id="rec-[^"]+" value="(\d+)"[^>]*>\s*'
                       r'<p class="rec-text">(.*?)</p>', html, re.S)
    numbers = [int(number) for number, _ in items]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 5
    # poppler's reading order puts each marker before its text (PDFium's does not).
    text = " ".join(run_tool("pdftotext", str(sample_pdfs[name]), "-").split())
    for number, words in items:
        first = unescape(re.sub(r"<[^>]+>", "", words)).split()[0]
        assert f"{number}. {first}" in text, (number, first)


@pytest.mark.parametrize("name", EDITIONS)
def test_a_note_call_reads_apart_from_the_figure_before_it(sample, sample_pdfs, name):
    """What a reader copies and a screen reader reads is "62,000 4", not
    "62,0004": a space (narrow, unbreakable) before each note number."""
    from builder.pdf import page_texts

    html = edition_html(sample, name)
    calls = []  # (the figure, the number of the note called right after it)
    for number, match in enumerate(re.finditer(
            r'(?:<span class="figure">([^<]+)</span>)?<span class="footnote', html), 1):
        if match.group(1):
            calls.append((unescape(match.group(1)), number))
    assert len(calls) >= 3
    for text in (" ".join(page_texts(sample_pdfs[name])),
                 " ".join(pages_text(sample_pdfs[name]))):  # PDFium and poppler
        text = re.sub(r"[\u202f\xa0]", " ", re.sub(r"(?<=\w)[\u2010-]\n(?=\w)", "", text))
        for figure, number in calls:
            # the figure from its first digit: "about" may be hyphenated, even across a page
            digits = re.sub(r"^\D+", "", re.sub(r"[\u202f\xa0]", " ", figure))
            shown = re.escape(digits).replace(r"\ ", r"\s+")
            assert re.search(rf"(?<![\d,.]){shown}\s{number}\b", text), (name, figure, number)


def _words(html: str, placeholders: bool = False) -> list[str]:
    """The words a fragment of an edition's HTML prints in the text, without
    its notes, and without its placeholders unless ``placeholders``."""
    from html.parser import HTMLParser

    class Words(HTMLParser):
        def __init__(self):
            super().__init__()
            self.skipping, self.text = 0, []

        def handle_starttag(self, tag, attrs):
            classes = dict(attrs).get("class") or ""
            if self.skipping or "footnote" in classes.split() or (
                    tag == "mark" and not placeholders):
                self.skipping += 1

        def handle_endtag(self, tag):
            if self.skipping:
                self.skipping -= 1

        def handle_data(self, data):
            if not self.skipping:
                self.text.append(data)

    parser = Words()
    parser.feed(html)
    # The word joiner of "48-я" is not printed: a reader's text has none.
    return "".join(parser.text).replace(WORD_JOINER, "").replace("\u200b", "").split()


def _pages_of(pages: list[str], words: list[str]) -> list[int]:
    """The pages that print ``words`` (a note's call may come between two)."""
    cores = [core for core in (re.sub(r"^\W+|\W+$", "", word) for word in words) if core]
    # A line may end after a word's own hyphen ("ЛГБТКИ+-" / "людей").
    pattern = re.compile(r"\W+(?:\d+\W+)*".join(
        re.escape(core).replace(r"\-", r"-\s?") for core in cores))
    return [number for number, page in enumerate(pages, 1) if pattern.search(page)]


def _page_of(pages: list[str], words: list[str]) -> int:
    """The one page that prints ``words``."""
    found = _pages_of(pages, words)
    assert len(found) == 1, (words, found)
    return found[0]


@pytest.mark.parametrize("name", EDITIONS)
def test_tables_keep_their_rows_and_entries_together(sample, sample_pdfs, name):
    """No page holds a single body row of a table (the key figures are kept on
    one page), and each entry of the follow-up table, from its number to the
    end of its assessment, is on one page."""
    from builder.pdf import page_texts, unhyphenated

    html = edition_html(sample, name)
    pages = [" ".join(unhyphenated(page).split()) for page in page_texts(sample_pdfs[name])]
    table = re.search(r'<table class="figures">.*?</table>', html, flags=re.S).group()
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>", table, flags=re.S)
    assert len(rows) >= 3
    on = [_page_of(pages, _words(row)) for row in rows]
    assert len(set(on)) == 1, on
    entries = re.findall(r'<tbody class="prev".*?</tbody>', html, flags=re.S)
    if name.startswith("upr"):
        assert len(entries) >= 3
    for entry in entries:
        text = re.search(r'<p class="prev-text">.*?</span>(.*?)</p>', entry, flags=re.S)[1]
        assessment = re.search(r'<p class="prev-assessment">.*?</span>(.*?)</p>', entry,
                               flags=re.S)[1]
        first = _page_of(pages, _words(text)[:14])
        last = _page_of(pages, _words(assessment)[-12:-1])
        assert first == last, (name, _words(text)[:14], first, last)
        # Its number and symbol, in the summary row above the text; as printed,
        # placeholders included, since a number still to confirm reads "[TBC: ...]".
        number = _words(re.search(r'<td class="prev-ref">(.*?)</td>', entry, flags=re.S)[1],
                        placeholders=True)
        if number:
            # Entries still to confirm may share a number ("[TBC: paragraph.item]
            # A/HRC/43/10"): it must be printed on the entry's page.
            assert first in _pages_of(pages, number), (name, number)
