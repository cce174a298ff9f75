"""The PDFs' structure tree (PDF/UA tagging), read back with pikepdf and PDFium
as a screen reader reads it: the text of the tagged content, without artifacts."""

from __future__ import annotations

import re
from collections import defaultdict

import pikepdf
import pypdfium2
import pypdfium2.raw as pdfium
import pytest
from conftest import EDITIONS, edition_html

from builder.jobs import PdfJob
from builder.pdf import make_pdf, page_texts


def marked_texts(path) -> dict[tuple[int, int], str]:
    """The text of each marked-content sequence, by (page index, MCID), as
    PDFium reads it; artifacts (no MCID) under the key (page, -1)."""
    found: dict[tuple[int, int], str] = defaultdict(str)
    document = pypdfium2.PdfDocument(path)
    try:
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            for char in range(textpage.count_chars()):
                obj = pdfium.FPDFText_GetTextObject(textpage.raw, char)
                if obj:  # not a line end PDFium writes of its own
                    mcid = pdfium.FPDFPageObj_GetMarkedContentID(obj)
                    found[index, max(mcid, -1)] += chr(pdfium.FPDFText_GetUnicode(textpage.raw,
                                                                                  char))
            textpage.close()
    finally:
        document.close()
    return found


class Tree:
    """A PDF's structure tree: elements with their type, page and text."""

    def __init__(self, path) -> None:
        self.pdf = pikepdf.open(path)
        self.pages = {page.objgen: index for index, page in enumerate(self.pdf.pages)}
        self.texts = marked_texts(path)
        self.document = self.pdf.Root.StructTreeRoot.K[0]

    def kids(self, element) -> list:
        kids = element.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
        return [kid for kid in kids if isinstance(kid, pikepdf.Dictionary)
                and kid.get("/Type") != "/MCR" and "/S" in kid]

    def walk(self, element=None):
        element = self.document if element is None else element
        yield element
        for kid in self.kids(element):
            yield from self.walk(kid)

    def content(self, element) -> list[tuple[int, int]]:
        """The (page, MCID) of an element's own marked content, in order."""
        kids = element.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids]
        own = []
        for kid in kids:
            if isinstance(kid, int):
                own.append((self.pages[element.Pg.objgen], int(kid)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                own.append((self.pages[kid.Pg.objgen], int(kid.MCID)))
        return own

    def text(self, element) -> str:
        return "".join(self.texts.get(key, "") for found in self.walk(element)
                       for key in self.content(found))

    def of_type(self, kind: str) -> list:
        return [element for element in self.walk() if str(element.S) == kind]


@pytest.fixture(scope="module")
def trees(sample_pdfs):
    return {}


def tree(trees, sample_pdfs, name) -> Tree:
    if name not in trees:
        trees[name] = Tree(sample_pdfs[name])
    return trees[name]


@pytest.mark.parametrize("name", EDITIONS)
def test_contents_leaders_are_artifacts(sample_pdfs, name):
    """The dots between a contents entry and its page number are drawn, and
    are no text of the structure tree (they were 2,217 "." items in upr-en)."""
    texts = marked_texts(sample_pdfs[name])
    contents_page = 1
    drawn = texts[contents_page, -1]
    tagged = "".join(text for (page, mcid), text in texts.items()
                     if page == contents_page and mcid >= 0)
    assert drawn.count(".") > 500
    assert "..." not in tagged


@pytest.mark.parametrize("name", EDITIONS)
def test_a_hyphen_the_layout_adds_is_no_part_of_the_tagged_text(sample_pdfs, name):
    """A word hyphenated at a line end ("сто‐/роны") reads "сто" + "роны" in the
    structure tree: its hyphen (U+2010, which the content never writes) is an
    artifact. Extraction that reads every glyph still gives it, with the line end."""
    shown = "".join(page_texts(sample_pdfs[name]))
    texts = marked_texts(sample_pdfs[name])
    tagged = "".join(text for (_, mcid), text in texts.items() if mcid >= 0)
    hyphenated = re.findall(r"(\w+)\u2010\n(\w+)", shown)
    assert len(hyphenated) > 10
    assert "\u2010" not in tagged
    artifacts = "".join(text for (_, mcid), text in texts.items() if mcid < 0)
    assert artifacts.count("\u2010") == shown.count("\u2010\n")


@pytest.mark.parametrize("name", ["cedaw-en", "iccpr-ru", "upr-kk"])
def test_headings_nest_by_chapter_in_the_structure_and_the_bookmarks(sample_pdfs, trees,
                                                                      name):
    """Each chapter (H2) holds its sections' headings, its recommendations' and
    its suggested questions' as H3 (they were H4, under the chapter's last
    section), and the bookmarks show the same tree."""
    found = tree(trees, sample_pdfs, name)
    assert found.of_type("/H4") == []
    chapters = {}
    for section in found.of_type("/Sect"):
        kids = found.kids(section)
        heading = next((kid for kid in kids if kid.S == "/H2"), None)
        if heading is not None:
            chapters[_bare(found.text(heading))] = [
                _bare(found.text(element)) for kid in kids for element in found.walk(kid)
                if element.S == "/H3"]
    with found.pdf.open_outline() as outline:
        bookmarks = {_bare(item.title): [_bare(child.title) for child in item.children]
                     for item in outline.root}
    assert sum(len(headings) for headings in chapters.values()) > 8
    assert {title: bookmarks.get(title) for title in chapters} == chapters


def _bare(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()  # headings in capitals are drawn so


def test_a_table_split_across_pages_is_one_table(sample_pdfs, sample, trees):
    """upr-en's follow-up table runs over two pages: one Table element with
    one header row (the row repeated on the second page is an artifact), and
    the body, a Part, is one element too."""
    found = tree(trees, sample_pdfs, "upr-en")
    tables = found.of_type("/Table")
    assert len(tables) == edition_html(sample, "upr-en").count("<table")
    spanning = [table for table in tables
                if len({page for element in found.walk(table)
                        for page, _ in found.content(element)}) > 1]
    assert spanning
    for table in tables:
        assert len([kid for kid in found.kids(table) if kid.S == "/THead"]) == 1
        # Every cell names header cells of the tree, on the second page too.
        headers = {bytes(cell.ID) for cell in found.walk(table) if cell.S == "/TH"}
        cells = [cell for cell in found.walk(table) if cell.S == "/TD"]
        assert all(bytes(key) in headers for cell in cells for key in cell.A.Headers)
    assert len(found.of_type("/Part")) == 1


@pytest.mark.parametrize("name", ["upr-en", "cedaw-ru", "iccpr-kk"])
def test_the_structure_tree_holds_together(sample_pdfs, trees, name):
    """After the merge, every element's parent is the element that holds it,
    and the parent tree maps each marked content to the element holding it."""
    found = tree(trees, sample_pdfs, name)
    holder = {}
    for element in found.walk():
        for kid in found.kids(element):
            assert kid.P.objgen == element.objgen
        for key in found.content(element):
            assert key not in holder
            holder[key] = element.objgen
    nums = found.pdf.Root.StructTreeRoot.ParentTree.Nums
    parents = {int(nums[index]): nums[index + 1] for index in range(0, len(nums), 2)}
    assert len(holder) > 500
    for (page, mcid), element in holder.items():
        assert parents[page][mcid].objgen == element


@pytest.mark.parametrize("name", EDITIONS)
def test_the_pdf_opens_with_its_bookmarks_shown(sample_pdfs, name):
    with pikepdf.open(sample_pdfs[name]) as pdf:
        assert pdf.Root.PageMode == "/UseOutlines"
        assert len(pdf.open_outline().root) > 3


@pytest.mark.parametrize("variant", [None, "pdf/a-3b", "pdf/ua-2"])
def test_every_variant_opens_with_its_bookmarks_shown(tmp_path, variant):
    html = ('<!DOCTYPE html><html lang="en"><head><title>t</title><style>'
            '@font-face { font-family: "Report Serif"; '
            'src: url("asset:fonts/NotoSerif-Regular.ttf"); }'
            'html { font-family: "Report Serif"; }</style></head><body>'
            '<h2>One</h2><p>Text.</p><h2>Two</h2><p>Text.</p></body></html>')
    make_pdf(PdfJob(html, None, tmp_path / "x.pdf", variant=variant))
    with pikepdf.open(tmp_path / "x.pdf") as pdf:
        assert pdf.Root.PageMode == "/UseOutlines"
