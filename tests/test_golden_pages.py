"""Golden page images: a few key pages of each edition, as pictures.

The golden HTML files (tests/test_render.py) see a changed template; these see
a changed stylesheet, which the HTML does not show: a wider margin, a larger
font, a lost footnote area, a table without its borders. For each of the nine
PDFs of the sample, the cover, the contents, the first page of the follow-up
table (where the edition has one), the body page with the most notes and the
first page of the annex of cases are found by what they hold, rasterised by
poppler's pdftoppm at 50 dpi in grey, and compared with
``tests/golden/pages/{edition}-{kind}.png``.

Rasterising is deterministic (the same PDF gives the same pixels), and so are
the builds, so the tolerance only absorbs a few stray pixels: a page differs
when more than :data:`SHARE` of its pixels change by more than :data:`LEVELS`
grey levels. The smallest realistic breaks measured on the sample are far
above it (see the tests at the end, which inject each into a project's own
stylesheet). A page that differs is written, with a picture of the
difference, under pytest's temporary folder, named in the failure.

Regenerate after a deliberate change (with the golden HTML files):
``python -m pytest tests/test_render.py tests/test_golden_pages.py --update-golden``.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
from conftest import EDITIONS, REPO, edition_html, english_skeleton
from PIL import Image, ImageChops, PngImagePlugin

from builder.pdf import layout, page_texts, write_pdf
from builder.project import open_project

PAGES = Path(__file__).parent / "golden" / "pages"
DPI = 50
# A pixel differs when its grey changes by more than LEVELS (of 255); a page
# differs when more than SHARE of its pixels do (48 of the 242,190 pixels of
# an A4 page at 50 dpi). Measured on the sample's pages: the same PDF
# rasterised twice, and two builds, differ in no pixel; one hidden line of a
# footnote changes 0.09 % of a page, a margin 1 mm wider 1.7 to 9 %.
LEVELS = 16
SHARE = 0.0002
KINDS = ("cover", "contents", "follow-up", "body", "annex")


def rasterise(pdf: Path, page: int) -> Image.Image:
    """One page (1-based) as poppler draws it: 8-bit grey, at :data:`DPI`.

    pdftoppm rather than PDFium (pypdfium2, which floats with pip): Debian 12
    fixes poppler's version, so a fresh machine of the same kind draws the
    same pixels; ``pdftoppm -r 50 -gray -f N -l N`` shows a developer the
    same picture."""
    pgm = subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-f", str(page), "-l",
                          str(page), str(pdf)], check=True, capture_output=True).stdout
    image = Image.open(io.BytesIO(pgm))
    image.load()
    return image


def _words(text: str) -> str:
    """Text compared regardless of case, line breaks and hyphenation."""
    return re.sub(r"[\s\-\u2010\ufffe]+", "", text).casefold()


def _plain(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def notes_per_page(texts: list[str]) -> list[int]:
    """How many footnotes each page prints.

    Notes are numbered through the document and printed below the text, each
    line "N. ..."; a page's notes are the lines that go on from the next
    number to the page's last numbered line without a gap (a numbered
    paragraph or recommendation above them breaks that run)."""
    counts, following = [], 1
    for text in texts:
        lines = text.split("\n")
        found = 0
        for at, line in enumerate(lines):
            if not line.startswith(f"{following}. "):
                continue
            numbers = [int(m[1]) for m in (re.match(r"(\d+)\. ", rest) for rest in lines[at:])
                       if m]
            if numbers == list(range(following, following + len(numbers))):
                found = len(numbers)
                break
        counts.append(found)
        following += found
    return counts


def key_pages(printed: list[str], html: str) -> dict[str, int]:
    """The 1-based number of each kind of page of an edition, found by what it
    holds: the cover's title, the contents heading, the follow-up table's
    column headings (only an edition that has the table), the annex's heading;
    the body page is the one with the most notes (the first of them) between
    the contents and the annex, outside the follow-up table."""
    texts = [_words(text) for text in printed]

    def first(words: str, after: int = 0) -> int:
        found = [number for number, text in enumerate(texts, 1)
                 if number > after and _words(words) in text]
        assert found, f"no page after page {after} holds {words!r}"
        return found[0]

    def heading(pattern: str) -> str:
        found = re.search(pattern, html, flags=re.S)
        assert found, f"the HTML has no {pattern!r}"
        return _plain(found[1])

    pages = {"cover": first(heading(r'<p class="cover-kind">(.*?)</p>'))}
    pages["contents"] = first(heading(r'<h2 class="toc-title">(.*?)</h2>'), pages["cover"])
    pages["annex"] = first(heading(r'<h2 class="annex-title" id="cases"[^>]*>(.*?)</h2>'),
                           pages["contents"])
    table = []
    if '<table class="follow-up">' in html:
        # All its column headings: each alone may be in the text too ("Recommendation",
        # or "recommending States" in a placeholder of the summary).
        head = re.search(r'<table class="follow-up">.*?</thead>', html, flags=re.S)
        assert head, "the follow-up table has no header"
        columns = [_words(_plain(cell)) for cell in
                   re.findall(r'<th scope="col">(.*?)</th>', head[0], flags=re.S)]
        table = [number for number, text in enumerate(texts, 1)
                 if all(column in text for column in columns)]
        after = [number for number in table if number > pages["contents"]]
        assert after, "no page after the contents holds the follow-up table's header"
        pages["follow-up"] = after[0]
    notes = notes_per_page(printed)
    body = [number for number in range(pages["contents"] + 1, pages["annex"])
            if number not in table and notes[number - 1]]
    assert body, "no page between the contents and the annex prints a note"
    pages["body"] = max(body, key=lambda number: notes[number - 1])
    return {kind: pages[kind] for kind in KINDS if kind in pages}


@dataclass
class Difference:
    changed: int  # pixels whose grey changed by more than LEVELS
    pixels: int
    mask: Image.Image | None  # white where they did; None when the sizes differ

    @property
    def too_large(self) -> bool:
        return self.mask is None or self.changed > SHARE * self.pixels

    def __str__(self) -> str:
        if self.mask is None:
            return "the page's size changed"
        return (f"{self.changed} of {self.pixels} pixels changed "
                f"({100 * self.changed / self.pixels:.3f} %, {100 * SHARE:.2f} % allowed)")


def difference(golden: Image.Image, actual: Image.Image) -> Difference:
    pixels = golden.width * golden.height
    if golden.size != actual.size:
        return Difference(pixels, pixels, None)
    mask = ImageChops.difference(golden, actual).point(lambda v: 255 if v > LEVELS else 0)
    return Difference(mask.histogram()[255], pixels, mask)


def difference_picture(golden: Image.Image, actual: Image.Image) -> Image.Image:
    """The two pages over each other: in grey where they agree, in red what
    only the golden page has, in cyan what only the new page has."""
    return Image.merge("RGB", (actual, golden, golden))


def save_png(image: Image.Image, path: Path, page: int, pages: int) -> None:
    """Written the same way every time (no date): the same page, the same bytes."""
    info = PngImagePlugin.PngInfo()
    info.add_text("page", f"{page} of {pages}")
    info.add_text("made-with", f"pdftoppm -r {DPI} -gray -f {page} -l {page}")
    image.save(path, format="PNG", optimize=True, pnginfo=info)


@pytest.mark.parametrize("name", EDITIONS)
def test_key_pages_look_as_the_golden_images(sample, sample_pdfs, name, update_golden,
                                             tmp_path):
    """Regenerate: python -m pytest tests/test_golden_pages.py --update-golden."""
    pdf = sample_pdfs[name]
    printed = page_texts(pdf)
    pages, count = key_pages(printed, edition_html(sample, name)), len(printed)
    expected = {PAGES / f"{name}-{kind}.png" for kind in pages}
    if update_golden:
        PAGES.mkdir(parents=True, exist_ok=True)
        for stale in set(PAGES.glob(f"{name}-*.png")) - expected:
            stale.unlink()
        for kind, page in pages.items():
            save_png(rasterise(pdf, page), PAGES / f"{name}-{kind}.png", page, count)
    assert set(PAGES.glob(f"{name}-*.png")) == expected, \
        "run: python -m pytest tests/test_golden_pages.py --update-golden"
    failures = []
    for kind, page in pages.items():
        with Image.open(PAGES / f"{name}-{kind}.png") as stored:
            golden = stored.convert("L")
            was = stored.text.get("page", "?")
        actual = rasterise(pdf, page)
        found = difference(golden, actual)
        if found.too_large:
            shown = [f"{name}-{kind}.actual.png"]
            actual.save(tmp_path / shown[0])
            if found.mask is not None:
                shown.append(f"{name}-{kind}.diff.png")
                difference_picture(golden, actual).save(tmp_path / shown[1])
            failures.append(f"  {name}-{kind}.png (page {was}) and page {page} of {count}: "
                            f"{found}: {', '.join(shown)}")
    if failures:
        pytest.fail("\n".join([
            f"{name}: pages differ from {PAGES.relative_to(REPO)}; the new pages and their "
            f"differences (red: only in the golden page, cyan: only in the new one) are in "
            f"{tmp_path}", *failures,
            "if the change is deliberate: python -m pytest tests/test_golden_pages.py "
            "--update-golden, and review the images"]), pytrace=False)


# --- The comparison sees a broken stylesheet ------------------------------------------
#
# Each change is appended to the stylesheet in a project's own
# templates/base/print.css (as a project overrides a template) of the small
# English project that `shadow-report new` makes, whose UPR edition has every
# kind of page on six pages: each change costs about a second.

BREAKS = {
    # (the rule appended, the kinds of page it must change)
    "a margin 1 mm wider": ("@page { margin-left: 25mm; }", set(KINDS)),
    "text 0.5 pt larger": ("html { font-size: 11pt; }", {"follow-up", "body", "annex"}),
    # (the annex's case cites no note: its Sources line names its source)
    "the notes printed white": (".footnote { color: white; }", {"follow-up", "body"}),
    "tables without borders": ("th, td { border: none !important; }", {"follow-up"}),
}


def skeleton_pages(root: Path, rule: str) -> dict[str, Image.Image]:
    """The key pages of the UPR edition of the project at ``root``, laid out
    with ``rule`` appended to the package's stylesheet."""
    override = root / "templates" / "base" / "print.css"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text((REPO / "templates" / "base" / "print.css").read_text() + rule)
    project = open_project(root)
    html = edition_html(project, "upr-en")
    pdf = root / "upr-en.pdf"
    write_pdf(layout(html, project), pdf)
    return {kind: rasterise(pdf, page) for kind, page in key_pages(page_texts(pdf),
                                                                     html).items()}


@pytest.fixture(scope="module")
def skeleton_root(tmp_path_factory) -> Path:
    return english_skeleton(tmp_path_factory.mktemp("golden-pages") / "project")


@pytest.fixture(scope="module")
def unchanged(skeleton_root) -> dict[str, Image.Image]:
    return skeleton_pages(skeleton_root, "")


@pytest.mark.parametrize("change", list(BREAKS))
def test_a_broken_stylesheet_changes_the_pages_it_concerns(skeleton_root, unchanged, change,
                                                            tmp_path):
    rule, concerned = BREAKS[change]
    root = tmp_path / "project"
    shutil.copytree(skeleton_root, root)
    broken = skeleton_pages(root, rule)
    assert set(broken) == set(unchanged) == set(KINDS)
    differing = {kind for kind in KINDS if difference(unchanged[kind], broken[kind]).too_large}
    assert concerned <= differing, {kind: str(difference(unchanged[kind], broken[kind]))
                                    for kind in concerned - differing}


def test_the_difference_picture_shows_what_each_page_alone_has(unchanged):
    golden = unchanged["body"]
    actual = golden.copy()
    actual.paste(255, (0, 500, actual.width, actual.height))  # the notes and footer erased
    actual.paste(0, (10, 10, 20, 20))  # a square added
    assert difference(golden, actual).too_large
    picture = difference_picture(golden, actual)
    assert picture.getpixel((15, 15)) == (0, 255, 255)  # cyan: only in the new page
    erased = [(x, y) for x in range(golden.width) for y in range(500, golden.height)
              if golden.getpixel((x, y)) < 128]
    assert erased and {picture.getpixel(xy)[0] for xy in erased} == {255}  # red
    red, green, blue = picture.crop((0, 30, golden.width, 500)).split()
    assert ImageChops.difference(red, green).getbbox() is None  # the same: grey
