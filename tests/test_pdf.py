"""The built PDFs, checked from outside with poppler and qpdf as a reader would."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from conftest import run_tool

from builder.content import load_content
from builder.i18n import source_language
from builder.mechanisms import MECHANISMS
from builder.plan import plan_report
from builder.render import render_html

EDITIONS = ["upr-en", "cedaw-en", "iccpr-en"]


def pdfinfo(path) -> dict[str, str]:
    lines = run_tool("pdfinfo", str(path)).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


def pages_text(path) -> list[str]:
    return run_tool("pdftotext", "-layout", str(path), "-").split("\f")


def test_the_build_writes_three_pdfs_without_warnings(sample_build):
    result, records = sample_build
    assert sorted(b.edition.name for b in result.built) == sorted(EDITIONS)
    assert all(b.warnings == [] for b in result.built), [b.warnings for b in result.built]
    assert [r.getMessage() for r in records] == []


@pytest.mark.parametrize("name", EDITIONS)
def test_structure_and_metadata(sample_pdfs, sample, name):
    info = pdfinfo(sample_pdfs[name])
    report = load_content(sample).report
    assert info["Page size"].endswith("(A4)")
    assert int(info["Pages"]) >= 10
    assert info["Title"].startswith("Rights of lesbian, gay, bisexual")
    assert info["Author"] == ", ".join(org.name for org in report.organisations)
    assert "Kazakhstan" in info["Subject"]
    assert info["Keywords"] == ", ".join(report.keywords)
    assert info["CreationDate"].startswith("Sun Mar  1")
    run_tool("qpdf", "--check", str(sample_pdfs[name]))


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
    """Each numbered paragraph of the HTML reads "N. first words" in the PDF, in order."""
    html = render_html(plan_report(load_content(sample), MECHANISMS[name.split("-")[0]]),
                       source_language(), sample)
    paragraphs = re.findall(r'<p class="para" id="para-(\d+)"><span class="para-num">\d+\.</span>'
                            r"(.*?)</p>", html)
    assert len(paragraphs) > 20
    text = " ".join(" ".join(pages_text(sample_pdfs[name])).split())
    position = 0
    for number, body in paragraphs:
        words = " ".join(unescape(re.sub(r"<[^>]+>", "", body)).split()[:2])
        found = text.find(f"{number}. {words}", position)
        assert found > position, (number, words)
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
        words = " ".join(title.split()[:4])
        assert words in " ".join(pages[page - 1].split()), (title, page)


@pytest.mark.parametrize("name", EDITIONS)
def test_bookmarks_follow_the_headings(sample_pdfs, name):
    outline = json.loads(run_tool("qpdf", "--json", "--json-key=outlines",
                                  str(sample_pdfs[name])))["outlines"]
    titles = [entry["title"] for entry in outline]
    assert titles[0] == "Contents"
    assert any("Annex I" in t for t in titles) and any("Annex II" in t for t in titles)
    assert any(entry["kids"] for entry in outline)  # sections nest under chapters


@pytest.mark.parametrize("name", EDITIONS)
def test_footnotes_are_printed_with_the_text(sample_pdfs, name):
    text = "\n".join(pages_text(sample_pdfs[name]))
    notes = [int(n) for n in re.findall(r"^(\d+)\. +\S", text, flags=re.M)]
    assert notes[:3] == [1, 2, 3]
    assert "Gay Rights Violated in Kazakhstan" in text
    assert "https://iwpr.net/global-voices/" in text


def test_extracted_text_matches_the_content(sample_pdfs, sample):
    content = load_content(sample)
    text = " ".join(" ".join(pages_text(sample_pdfs["upr-en"])).replace("‐\n", "").split())
    text = text.replace("‐ ", "")
    for section in content.sections:
        if section.upr:
            assert section.title in text
    for case in content.cases:
        assert case.title in text
    assert "124.6" in text and "A/HRC/28/10" in text
    assert "Page 1 of" in text
