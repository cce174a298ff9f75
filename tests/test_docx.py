"""The Word editions (``build --format docx``), checked from outside as a reader
would: opened with python-docx and read as the zip of XML parts a .docx is,
compared with the HTML and the check of their PDF twins, converted by
LibreOffice, and attacked with confidential values the read-back must refuse."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import EDITIONS, REPO, W, docx_text, edition_html, joined, w
from docx import Document
from lxml import etree
from lxml import html as lxml_html

from builder.build import build
from builder.check import WordCount, count_words
from builder.cli import main
from builder.errors import LeakError, RenderError
from builder.footnotes import expected_notes
from builder.jobs import DocxJob
from builder.leakcheck import Matcher, phrase, single
from builder.outputs import docx_read
from builder.outputs.docx import _refuse_foreign, make_docx
from builder.project import open_project
from builder.typography import WORD_JOINER

LANGUAGES = {"en": "en-GB", "ru": "ru-RU", "kk": "kk-KZ"}


def part(path: Path, name: str):
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def html_tree(sample, name: str):
    return lxml_html.fromstring(edition_html(sample, name).encode("utf-8"))


def with_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def text_of(element) -> str:
    """An HTML element's text as a reader reads it: a numeral's suffix joined by
    a word joiner (builder/typography.py) is Word's non-breaking hyphen, which
    python-docx reads as "-"."""
    return " ".join(element.text_content().replace(WORD_JOINER, "").replace("\u200b", "")
                    .split())


# --- structure --------------------------------------------------------------------------


@pytest.mark.parametrize("name", EDITIONS)
def test_each_edition_is_a_word_file_with_word_structure(sample_docx, sample, name):
    path = sample_docx[name]
    assert path.name == f"{name}.docx"
    document = Document(str(path))
    tree = html_tree(sample, name)
    # A4 with the print stylesheet's margins (22 mm 22 mm 24 mm 24 mm).
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(length.mm) for length in (section.top_margin, section.right_margin,
                                            section.bottom_margin, section.left_margin)] \
        == [22, 22, 24, 24]
    # The cover's title in Word's Title style, the edition's properties.
    title = next(p.text for p in document.paragraphs if p.style.name == "Title")
    assert title == text_of(tree.xpath("//h1")[0])
    properties = document.core_properties
    assert properties.title == " ".join(tree.findtext(".//title").split())
    assert properties.author == ", ".join(tree.xpath("//meta[@name='author']/@content"))
    assert properties.language == LANGUAGES[name.split("-")[1]]
    assert properties.created.date().isoformat() == properties.modified.date().isoformat() \
        == "2026-03-01"
    # Headings are Word's heading styles: level 1 the chapters and annexes, level 2
    # the sections, as the contents list them.
    headings = {level: [p.text for p in document.paragraphs
                        if p.style.name == f"Heading {level}"] for level in (1, 2)}
    assert headings[1] == [text_of(a) for a in tree.xpath("//li[@class='toc-level-1']/a")]
    assert headings[2] == [text_of(a) for a in tree.xpath("//li[@class='toc-level-2']/a")]
    outline = {style.name: style.element.find(f"{w('pPr')}/{w('outlineLvl')}").get(w("val"))
               for style in document.styles if style.name in ("Heading 1", "Heading 2")}
    assert outline == {"Heading 1": "0", "Heading 2": "1"}


@pytest.mark.parametrize("name", EDITIONS)
def test_the_language_and_the_bundled_fonts_are_named(sample_docx, name):
    styles = part(sample_docx[name], "word/styles.xml")
    defaults = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
    assert defaults.find(w("lang")).get(w("val")) == LANGUAGES[name.split("-")[1]]
    fonts = {element.get(w("ascii")) for element in styles.iter(w("rFonts"))}
    assert defaults.find(w("rFonts")).get(w("ascii")) == "Noto Serif"
    assert fonts == {"Noto Serif", "Noto Sans"}
    from fontTools.ttLib import TTFont  # the families the package ships, by their own names
    shipped = {TTFont(font)["name"].getDebugName(1)
               for font in (REPO / "builder" / "fonts").glob("*.ttf")}
    assert fonts == shipped
    assert part(sample_docx[name], "word/fontTable.xml").xpath(
        "//w:font/@w:name", namespaces={"w": W}) == ["Noto Serif", "Noto Sans"]


def word_numbers(path: Path) -> list[tuple[int, object]]:
    """Each paragraph of a Word list with the number Word gives it: each list
    instance counts from its start."""
    numbering = part(path, "word/numbering.xml")
    starts = {num.get(w("numId")): int(num.find(f".//{w('startOverride')}").get(w("val")))
              for num in numbering.iter(w("num"))}
    counters: dict[str, int] = {}
    numbered = []
    for paragraph in part(path, "word/document.xml").iter(w("p")):
        num = paragraph.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}")
        if num is None:
            continue
        ident = num.get(w("val"))
        counters[ident] = counters.get(ident, starts[ident] - 1) + 1
        numbered.append((counters[ident], paragraph))
    return numbered


def paragraph_style(paragraph) -> str | None:
    style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
    return None if style is None else style.get(w("val"))


@pytest.mark.parametrize("name", EDITIONS)
def test_paragraphs_and_recommendations_are_numbered_as_in_the_pdf(sample_docx, sample,
                                                                   name):
    tree = html_tree(sample, name)
    numbered = word_numbers(sample_docx[name])
    paragraphs = [(number, joined(p, calls=False)) for number, p in numbered
                  if paragraph_style(p) == "NumberedParagraph"]
    expected = []
    for element in tree.xpath(f"//p[{with_class('para')}]"):
        number = int(element.xpath(f"span[{with_class('para-num')}]")[0].text.rstrip("."))
        for drop in element.xpath(f".//span[{with_class('para-num')}] | "
                                  f".//span[{with_class('footnote')}]"):
            drop.drop_tree()
        expected.append((number, text_of(element)))
    assert paragraphs == expected
    assert [number for number, _ in paragraphs] == list(range(1, len(paragraphs) + 1))
    recommendations = [(number, joined(p, calls=False)) for number, p in numbered
                       if paragraph_style(p) == "Recommendation"]
    items = tree.xpath(f"//li[{with_class('recommendation')}]")
    assert [number for number, _ in recommendations] == [int(li.get("value")) for li in items]
    assert len(recommendations) >= 5


@pytest.mark.parametrize("name", EDITIONS)
def test_citations_are_word_footnotes_as_many_and_as_worded_as_in_the_pdf(sample_docx,
                                                                        sample, name):
    html = edition_html(sample, name)
    notes = [note for note in part(sample_docx[name], "word/footnotes.xml").iter(w("footnote"))
             if int(note.get(w("id"))) > 0]
    calls = [call.get(w("id")) for call in
             part(sample_docx[name], "word/document.xml").iter(w("footnoteReference"))]
    # The PDF's count: the notes the templates wrote, each of which the build
    # checked was printed (builder.footnotes).
    assert len(notes) == len(calls) == expected_notes(html) > 30
    assert calls == [note.get(w("id")) for note in notes]  # called in order, once each
    tree = lxml_html.fromstring(html.encode("utf-8"))
    # "Ibid." as written: only the PDF prints one that opens a page in full.
    for hidden in tree.xpath(f"//span[{with_class('ibid-full')}]"):
        hidden.drop_tree()
    assert [joined(note) for note in notes] == [
        text_of(span) for span in tree.xpath(f"//span[{with_class('footnote')}]")]


def test_the_check_counts_a_word_file_as_its_pdf(sample_build, sample_docx, sample):
    """The words of each Word file, read back from the file, agree with its
    HTML's, edition by edition: the body and the notes. The PDF's notes may
    have a few more: an "Ibid." that opens a page is printed in full there,
    and what is counted is the larger of the two."""
    result, _ = sample_build
    compared = {}
    for check in result.checks:
        assert check.docx is not None, check.name
        written = count_words(edition_html(sample, check.name))
        compared[check.name] = (check.count.body - check.docx.body,
                                written.notes - check.docx.notes)
        assert 0 <= check.count.notes - written.notes <= 60, check.name
        assert check.counted >= check.docx_counted, check.name
    assert set(compared) == set(EDITIONS)
    assert all(abs(body) <= 3 and abs(notes) <= 3 for body, notes in compared.values()), \
        compared
    by_name = {built.path.name: built for built in result.built}
    assert by_name["upr-en.docx"].words == result.checks[0].docx_counted > 4000


def test_text_shown_untranslated_keeps_its_language_and_is_counted_apart(tmp_path):
    html = """<html lang="kk"><head><meta name="dcterms.created" content="2026-03-01">
    </head><body><main><h2 class="chapter"><span class="chapter-num">I.</span> Түйін</h2>
    <p class="para"><span class="para-num">1.</span>Полиция ұстады.
    <span class="fallback" lang="en">Police detained two activists<span class="footnote">
    <cite>A source</cite>, 2021.</span></span></p></main></body></html>"""
    target = tmp_path / "x.docx"
    done = make_docx(DocxJob(html, target))
    assert done.count == count_words(html) == WordCount(3, 0, 7)
    runs = part(target, "word/document.xml").xpath(
        "//w:r[w:rPr/w:rStyle/@w:val='Untranslated']", namespaces={"w": W})
    assert joined(runs[0]) == "Police detained two activists"
    assert {run.find(f"{w('rPr')}/{w('lang')}").get(w("val")) for run in runs} == {"en-GB"}
    styles = part(target, "word/styles.xml")
    assert styles.find(f".//{w('rPrDefault')}//{w('lang')}").get(w("val")) == "kk-KZ"


def test_the_follow_up_table_repeats_its_header_row(sample_docx, sample):
    tree = html_tree(sample, "upr-en")
    previous = tree.xpath(f"//tbody[{with_class('prev')}]")
    document = Document(str(sample_docx["upr-en"]))
    table = next(table for table in document.tables
                 if table.rows[0].cells[0].text == "Recommendation")
    rows = table._tbl.findall(w("tr"))
    assert len(rows) == 1 + 2 * len(previous)
    header = rows[0].find(w("trPr"))
    assert header.find(w("tblHeader")) is not None  # repeated on each page
    assert [cell.text for cell in table.rows[0].cells] == [
        text_of(th) for th in tree.xpath("//table[@class='follow-up']/thead//th")]
    summaries, details = rows[1::2], rows[2::2]
    assert all(row.find(f"{w('trPr')}/{w('cantSplit')}") is not None for row in summaries)
    assert all(row.find(f".//{w('gridSpan')}").get(w("val")) == "4" for row in details)
    assert [joined(row.find(w("tc"))) for row in summaries] == [
        text_of(body.xpath("tr/td")[0]) for body in previous]


def test_the_cover_and_the_annex_of_cases(sample_docx, sample):
    tree = html_tree(sample, "upr-en")
    document = Document(str(sample_docx["upr-en"]))
    cover = document.tables[0]
    facts = {row.cells[0].text: row.cells[1].text for row in cover.rows}
    assert facts["State under review"] == "Kazakhstan"
    assert facts["Date of submission"] == "1 March 2026"
    assert "Sample Equality Initiative (SEI)" in facts[
        "Submitting organisations (joint submission)"]
    cases = [p.text for p in document.paragraphs if p.style.name == "Heading 3"
             and p.text.startswith("Case ")]
    assert cases == [text_of(h) for h in tree.xpath(f"//h3[{with_class('case-title')}]")]
    annex = next(p for p in document.paragraphs if p.text == "Annex I. Documented cases")
    assert annex.paragraph_format.page_break_before
    # Each case reference of the body links to its case in the annex.
    body = part(sample_docx["upr-en"], "word/document.xml")
    bookmarks = set(body.xpath("//w:bookmarkStart/@w:name", namespaces={"w": W}))
    anchors = body.xpath("//w:hyperlink/@w:anchor", namespaces={"w": W})
    assert "case_almaty_club_beating" in anchors
    assert set(anchors) <= bookmarks
    contents = body.xpath("//w:instrText/text()", namespaces={"w": W})
    assert any(code.strip().startswith("TOC ") for code in contents)


@pytest.mark.parametrize("name", ["upr-en", "upr-ru", "upr-kk"])
def test_the_recommendations_lead_in_stays_with_the_first_one(sample_docx, name):
    """As in the PDF, "…recommend that Kazakhstan:" is never the last line of a page."""
    body = part(sample_docx[name], "word/document.xml")
    lead_ins = [p for p in body.iter(w("p")) if joined(p).endswith(":")
                and p.find(f"{w('pPr')}/{w('pStyle')}[@{w('val')}='NumberedParagraph']")
                is not None]
    assert len(lead_ins) == 1
    assert lead_ins[0].find(f"{w('pPr')}/{w('keepNext')}") is not None


def test_two_builds_give_the_same_bytes(sample_docx, tmp_path):
    """Built at another time into another folder, every Word file is the same."""
    result = build(open_project(REPO), output=tmp_path / "again", formats=("docx",),
                   reuse=False)
    again = {built.edition.name: built.path.read_bytes() for built in result.built}
    assert set(again) == set(sample_docx)
    assert [name for name, data in again.items()
            if data != sample_docx[name].read_bytes()] == []
    with zipfile.ZipFile(io.BytesIO(again["upr-en"])) as package:
        assert {info.date_time for info in package.infolist()} == {(2026, 3, 1, 0, 0, 0)}


# --- the command line ----------------------------------------------------------------------


def test_build_and_check_take_a_format(skeleton_project, capsys):
    root = str(skeleton_project.root)
    assert main(["build", "-p", root, "-f", "docx", "-m", "upr,cedaw"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^output/upr-en\.docx +\d+ notes +[\d.]+ s$", out, re.M), out
    assert "built 2 Word file(s), in " in out
    assert sorted(p.name for p in (skeleton_project.root / "output").iterdir()) == [
        "cedaw-en.docx", "upr-en.docx"]
    header = next(line for line in out.splitlines() if line.startswith("edition"))
    assert header.split()[:5] == ["edition", "body", "notes", "counted", "docx"]
    row = next(line for line in out.splitlines() if line.startswith("cedaw-en "))
    assert row.split()[3] == row.split()[4]  # the Word file counted as the HTML
    assert main(["check", "-p", root, "-m", "upr", "--format", "pdf,docx"]) == 0
    with pytest.raises(SystemExit) as usage:
        main(["build", "-p", root, "--format", "odt"])
    assert usage.value.code == 2
    assert "unknown format odt: choose pdf, docx or pdf,docx" in capsys.readouterr().err


# --- confidential values -----------------------------------------------------------------


def page(body: str, title: str = "Report") -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><title>{title}</title>'
            '<meta name="dcterms.created" content="2026-03-01"></head><body><main>'
            f"{body}</main></body></html>")


CANARY = (phrase("Zhyldyz Temirkulova", "people/whrd-osh", "name"),
          single("Temirkulova", "people/whrd-osh", "name"),
          single("Zhyldyz", "people/whrd-osh", "name"))


@pytest.mark.parametrize("html", [
    page('<p class="para"><span class="para-num">1.</span>Met Temirkulova twice.</p>'),
    page('<p>Seen<span class="footnote">Interview with Zhyldyz, 2025.</span>.</p>'),
    page("<p>Temir<em>kul</em>ova<span class=\"footnote\">x</span> was there.</p>"),
    page('<p><a href="https://example.org/temirkulova">a profile</a></p>'),
    page("<p>Nothing here.</p>", title="About Temirkulova"),
    page("<table><tr><th>Who</th></tr><tr><td>Жылдыз Темиркуловой</td></tr></table>"),
], ids=["body", "footnote", "split-across-runs", "link-address", "title", "table-cyrillic"])
def test_the_word_read_back_refuses_a_confidential_value(tmp_path, html):
    """Written past every earlier check (the build checks the content, the
    catalogs and the HTML first), a name must still be refused in the file."""
    target = tmp_path / "x.docx"
    needles = CANARY + (single("Темиркулова", "people/whrd-osh", "name"),)
    with pytest.raises(LeakError, match="people/whrd-osh") as refused:
        make_docx(DocxJob(html, target, needles, "upr-en"))
    assert "the Word file as read back" in str(refused.value)
    assert "Temirkulova" not in str(refused.value)
    assert not target.exists()
    make_docx(DocxJob(page("<p>Nothing here.</p>"), target, needles, "upr-en"))
    assert target.exists()


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def test_the_read_back_joins_runs_and_reads_every_part(tmp_path):
    """A Word file written by another tool: a name split across runs, in a
    header, in a comment, in the properties; a picture and an outside template."""
    document = Document()
    paragraph = document.add_paragraph()
    for piece in ("Met Zhyldyz Temir", "kul", "ova twice."):
        paragraph.add_run(piece)
    matcher = Matcher(list(CANARY))
    path = tmp_path / "runs.docx"
    document.save(str(path))
    read = docx_read.read(path)
    assert "Zhyldyz Temirkulova" in read.searchable
    assert {hit.needle.owner for hit in matcher.find(read.searchable)} == {"people/whrd-osh"}
    # Each of these alone is found (a comment and a picture also make the file refused).
    for name, change in {
        "header": lambda d: d.sections[0].header.paragraphs[0].add_run("Temirkulova"),
        "author": lambda d: setattr(d.core_properties, "author", "Zhyldyz Temirkulova"),
        "comment": lambda d: d.add_comment(d.add_paragraph("x").runs, text="Temirkulova"),
    }.items():
        document = Document()
        change(document)
        path = tmp_path / f"{name}.docx"
        document.save(str(path))
        assert matcher.find(docx_read.read(path).searchable), name
    # python-docx's own template holds a thumbnail picture and custom XML: not
    # parts of a Word edition.
    assert any("thumbnail" in item for item in docx_read.read(path).foreign)
    assert any("comments" in item for item in docx_read.read(path).foreign)
    document = Document()
    document.add_picture(io.BytesIO(tiny_png()))
    document.part.relate_to("https://example.org/t.dotm", "http://schemas.openxmlformats.org/"
                            "officeDocument/2006/relationships/attachedTemplate",
                            is_external=True)
    document.save(str(tmp_path / "picture.docx"))
    foreign = " ".join(docx_read.read(tmp_path / "picture.docx").foreign)
    assert "image/png" in foreign and "outside attachedTemplate" in foreign


def test_a_part_a_word_edition_never_has_is_refused(tmp_path):
    target = tmp_path / "x.docx"
    make_docx(DocxJob(page("<p>Text.</p>"), target))
    with zipfile.ZipFile(target) as package:
        entries = {info.filename: package.read(info) for info in package.infolist()}
    with zipfile.ZipFile(target, "w") as package:
        for name, data in entries.items():
            package.writestr(name, data)
        package.writestr("word/media/image1.png", tiny_png())
    assert docx_read.read(target).foreign == [
        "word/media/image1.png (no content type; not XML)"]
    assert "Text." in docx_read.read(target).searchable  # every XML part is still read
    with pytest.raises(RenderError, match=r"never has \(word/media/image1\.png"):
        _refuse_foreign(docx_read.read(target), "upr-en", target)
    assert not target.exists()


def test_no_public_word_file_of_the_sample_holds_a_confidential_value(sample, sample_docx):
    from builder.confidential import leak_matcher
    from builder.content import load_content

    matcher = leak_matcher(load_content(sample))
    for name, path in sample_docx.items():
        assert matcher.find(docx_text(path)) == [], name
        with zipfile.ZipFile(path) as package:
            raw = b"\n".join(package.read(info) for info in package.infolist())
        assert matcher.find(raw.decode("utf-8")) == [], name
        assert docx_read.read(path).foreign == [], name


# --- internal editions, and LibreOffice -----------------------------------------------------


def test_internal_word_editions_are_marked_on_every_page(tmp_path, capsys):
    root = tmp_path / "project"
    for folder in ("content", "locales"):
        shutil.copytree(REPO / folder, root / folder)
    assert main(["build", "-p", str(root), "--internal", "-m", "iccpr", "-l", "ru,en",
                 "-f", "docx"]) == 0
    assert "output/iccpr-ru.internal.docx" in capsys.readouterr().out
    assert sorted(p.name for p in (root / "output").iterdir()) == [
        "iccpr-en.internal.docx", "iccpr-ru.internal.docx"]
    path = root / "output" / "iccpr-ru.internal.docx"
    document = Document(str(path))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    for footer in (section.footer, section.first_page_footer):  # every page's foot
        assert not footer.is_linked_to_previous
        assert footer.paragraphs[0].text.count("КОНФИДЕНЦИАЛЬНО") == 2
    assert document.core_properties.title.startswith("КОНФИДЕНЦИАЛЬНО")
    assert "Бексат Мукашев" in docx_text(path)
    pdf = _converted(path, tmp_path)
    pages = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout.split("\f")[:-1]
    assert len(pages) > 10
    assert [number for number, text in enumerate(pages, 1)
            if text.count("КОНФИДЕНЦИАЛЬНО") < 2] == []
    assert "Бексат Мукашев" in " ".join(" ".join(pages).split())
    assert f"Страница 3 из {len(pages)}" in pages[2]  # the page fields, in Russian


def _converted(path: Path, tmp_path: Path) -> Path:
    """The Word file as LibreOffice converts it to PDF (skipped without it)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (scripts/install-system-packages --test "
                    "installs it)")
    profile = tmp_path / "libreoffice-profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / f"{path.stem}.pdf"
    assert pdf.is_file()
    return pdf
