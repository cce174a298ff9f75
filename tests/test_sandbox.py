"""Project template overrides are untrusted: they cannot attach files to a PDF,
escape Jinja2's sandbox, or read files outside their templates folder.

Each attack is a project override of a template, built through the command
line like a drafter would: the build must fail with a one-line error and
write no PDF. A legitimate override (a changed heading, a stylesheet and an
image of its own) still builds.
"""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest
from conftest import REPO, run_tool
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

import builder.pdf
from builder.cli import main
from builder.errors import RenderError
from builder.pdf import PdfJob, layout, make_pdf, read_back, write_pdf

LAYOUT = (REPO / "templates" / "base" / "layout.html").read_text(encoding="utf-8")
UPR = (REPO / "templates" / "upr" / "report.html").read_text(encoding="utf-8")
PEOPLE = "- id: witness\n  pseudonym: W.\n  role: witness\n  name: Daulet Serikbayev\n"


def add_witness(root: Path) -> None:
    """A person whose name the attacks below try to reach."""
    people = root / "content" / "people.yaml"
    people.write_text(people.read_text() + PEOPLE)


def override(root: Path, name: str, text: str) -> Path:
    """Write a project override of the package template ``name``."""
    path = root / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def layout_with(root: Path, attack: str, *, where: str = "<body>") -> None:
    """The package's layout as a project override, with ``attack`` right after ``where``."""
    assert where in LAYOUT
    override(root, "base/layout.html", LAYOUT.replace(where, where + attack, 1))


def build_fails(root: Path, capsys) -> str:
    """Build the English UPR edition; it must fail cleanly and write no PDF. Its stderr."""
    assert main(["build", "-p", str(root), "-m", "upr", "-l", "en"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1, err  # one line
    assert "Traceback" not in err
    output = root / "output"
    assert not output.exists() or not list(output.iterdir())  # no PDF, no .part file
    return err


# -- 1. attachments ---------------------------------------------------------------


@pytest.mark.parametrize("attack", [
    '<link rel="attachment" href="content/people.yaml">',
    '<a rel="attachment" href="content/people.yaml">the witnesses</a>',
    # Files the fetcher would serve: only the attachment check stops these.
    '<link rel="attachment" title="style" href="asset:templates/base/print.css">',
    '<a rel="nofollow attachment" download="notes.txt" '
    'href="templates/base/layout.html">notes</a>',
], ids=["link-content", "a-content", "link-asset", "a-templates"])
def test_a_template_cannot_attach_a_file(skeleton_project, capsys, attack):
    root = skeleton_project.root
    add_witness(root)
    where = "<head>" if attack.startswith("<link") else "<body>"
    layout_with(root, attack, where=where)
    err = build_fails(root, capsys)
    assert "a template asked to attach a file to the PDF" in err
    assert "attachments are refused" in err
    assert "Serikbayev" not in err


ATTACHING = ('<!DOCTYPE html><html lang="en"><head><title>Report</title>'
             '<style>@font-face { font-family: "Report Serif"; '
             'src: url("asset:fonts/NotoSerif-Regular.ttf"); } '
             'html { font-family: "Report Serif"; }</style>'
             '<link rel="attachment" href="asset:templates/base/print.css"></head><body>'
             '<p>Text, and <a rel="attachment" href="asset:fonts/OFL.txt">a file</a>.</p>'
             "</body></html>")


def test_a_pdf_written_with_an_attachment_despite_everything_is_caught(tmp_path, monkeypatch):
    target = tmp_path / "x.pdf"
    with pytest.raises(RenderError, match="a template asked to attach a file"):
        make_pdf(PdfJob(ATTACHING, None, target))
    # Suppose the layout check were bypassed: the PDF really carries the files ...
    monkeypatch.setattr(builder.pdf, "_refuse_attachments", lambda document: None)
    write_pdf(layout(ATTACHING, None), target)
    assert not run_tool("pdfdetach", "-list", str(target)).startswith("0 embedded files")
    # ... and reading it back refuses it, as does make_pdf, which removes it.
    with pytest.raises(RenderError, match="embedded file.*attachments are refused"):
        read_back(target)
    target.unlink()
    with pytest.raises(RenderError, match="embedded file.*attachments are refused"):
        make_pdf(PdfJob(ATTACHING, None, target))
    assert not target.exists()


def _pdf_with(kind: str, target: Path) -> Path:
    """A one-page PDF that embeds a file in one of the ways PDF allows ("none": clean)."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)

    def embedded_stream():
        data = DecodedStreamObject()
        data.set_data(b"Daulet Serikbayev")
        data[NameObject("/Type")] = NameObject("/EmbeddedFile")
        return writer._add_object(data)

    def file_specification():
        return writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/Filespec"),
            NameObject("/F"): TextStringObject("innocent.txt"),
            NameObject("/EF"): DictionaryObject({NameObject("/F"): embedded_stream()}),
        }))

    if kind == "name-tree":
        writer.add_attachment("harmless-looking.png", b"Daulet Serikbayev")
    elif kind == "annotation":
        annotation = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FileAttachment"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 30, 30)]),
            NameObject("/FS"): file_specification(),
        })
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    elif kind == "associated-files":
        writer._root_object[NameObject("/AF")] = ArrayObject([file_specification()])
    elif kind == "stream-only":  # no file specification: just the stream, referenced by nothing
        embedded_stream()
    with target.open("wb") as handle:
        writer.write(handle)
    return target


@pytest.mark.parametrize("kind", ["name-tree", "annotation", "associated-files",
                                  "stream-only"])
def test_reading_back_refuses_any_embedded_file(tmp_path, kind):
    pdf = _pdf_with(kind, tmp_path / f"{kind}.pdf")
    with pytest.raises(RenderError, match="embedded file"):
        read_back(pdf)


def test_reading_back_a_pdf_without_embedded_files_works(tmp_path):
    assert "pypdf" in read_back(_pdf_with("none", tmp_path / "clean.pdf"))  # the producer


@pytest.mark.parametrize("place", ["content/report.yaml", "output/earlier.png",
                                   "templates/img/link.png", "/etc/passwd"])
def test_file_urls_are_served_only_from_the_project_templates(skeleton_project, capsys,
                                                              place):
    root = skeleton_project.root
    (root / "output").mkdir()
    (root / "output" / "earlier.png").write_bytes(png())
    (root / "templates" / "img").mkdir(parents=True)
    (root / "templates" / "img" / "link.png").symlink_to(root / "output" / "earlier.png")
    url = place if place.startswith("/") else (root / place).as_uri()
    layout_with(root, f'<img src="{url}" alt="x">')
    assert main(["build", "-p", str(root), "-m", "upr", "-l", "en"]) == 1
    err = capsys.readouterr().err
    assert "refused to load" in err and "only files in the project's templates/" in err
    assert sorted(p.name for p in (root / "output").iterdir()) == ["earlier.png"]


# -- 2. the sandbox -----------------------------------------------------------------


@pytest.mark.parametrize("attack", [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ lipsum.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__['__builtins__']['open']('/etc/passwd').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ report|attr('__class__') }}",
    "{{ '{0.__class__}'.format(report) }}",
    "{{ self._TemplateReference__context.environment }}",
    "{{ r.language.locale }}",
    "{{ report.model_validate }}",
    "{{ report.model_fields['title'].annotation }}",
    "{{ report.model_fields.get('title') }}",
    "{% for field in report.model_fields.values() %}{{ field.annotation }}{% endfor %}",
    "{{ report.model_fields|dictsort|first|last|attr('annotation') }}",
])
# Pydantic warns that model_fields belongs to the class: the attacks above use it anyway.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_template_cannot_reach_outside_the_report_data(skeleton_project, capsys, attack):
    root = skeleton_project.root
    layout_with(root, attack)
    err = build_fails(root, capsys)
    assert "templates/base/layout.html:" in err
    assert "refused by the template sandbox" in err
    assert "uid=" not in err and "root:" not in err


def test_the_catalog_file_of_an_edition_is_out_of_reach(skeleton_project, capsys):
    """``r.language.translations.loaded.path.read_text()`` read any catalog file."""
    root = skeleton_project.root
    assert main(["i18n", "init", "ru", "-p", str(root)]) == 0
    capsys.readouterr()
    layout_with(root, "{{ r.language.translations.loaded.path.read_text() }}")
    assert main(["build", "-p", str(root), "-m", "upr", "-l", "ru"]) == 1
    err = capsys.readouterr().err
    line = LAYOUT[:LAYOUT.index("<body>")].count("\n") + 1
    assert (f"templates/base/layout.html:{line}: refused by the template sandbox: 'loaded' of "
            "a 'CatalogTranslations' object is a builder.catalogs.LoadedCatalog object") in err
    assert "msgid" not in err and not (root / "output").exists()


# -- 3. template files ---------------------------------------------------------------


def test_a_template_linked_to_a_file_outside_the_project_is_refused(skeleton_project,
                                                                     capsys, tmp_path):
    root = skeleton_project.root
    outside = tmp_path / "elsewhere.html"
    outside.write_text('{% extends "base/layout.html" %}SECRET OUTSIDE')
    (root / "templates" / "upr").mkdir(parents=True)
    (root / "templates" / "upr" / "report.html").symlink_to(outside)
    err = build_fails(root, capsys)
    assert "templates/upr/report.html: refused: a link to a file outside templates/" in err


def test_an_included_link_to_the_content_is_refused(skeleton_project, capsys):
    root = skeleton_project.root
    add_witness(root)
    layout_with(root, '{% include "base/people.html" %}')
    (root / "templates" / "base" / "people.html").symlink_to(root / "content" / "people.yaml")
    err = build_fails(root, capsys)
    assert "templates/base/people.html: refused: a link to a file outside templates/" in err
    assert "Serikbayev" not in err


def test_a_linked_folder_inside_templates_is_refused(skeleton_project, capsys, tmp_path):
    root = skeleton_project.root
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "layout.html").write_text(LAYOUT)
    (root / "templates").mkdir()
    (root / "templates" / "base").symlink_to(elsewhere)
    err = build_fails(root, capsys)
    assert "templates/base/layout.html: refused: a link to a file outside templates/" in err


def test_a_templates_folder_outside_the_project_is_refused(skeleton_project, capsys,
                                                           tmp_path):
    root = skeleton_project.root
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "base").mkdir(parents=True)
    (elsewhere / "base" / "layout.html").write_text(LAYOUT)
    (root / "templates").symlink_to(elsewhere)
    err = build_fails(root, capsys)
    assert "templates/: refused: the project's templates folder is a link to a folder " \
           "outside the project" in err


@pytest.mark.parametrize("kind", ["fifo", "dangling-link", "folder"])
def test_a_template_that_is_not_a_regular_file_is_refused(skeleton_project, capsys, kind):
    root = skeleton_project.root
    path = root / "templates" / "base" / "layout.html"
    path.parent.mkdir(parents=True)
    if kind == "fifo":
        os.mkfifo(path)  # opening it would block the build
    elif kind == "dangling-link":
        path.symlink_to(root / "templates" / "base" / "gone.html")
    else:
        path.mkdir()
    err = build_fails(root, capsys)
    expected = ("a link to a file that does not exist" if kind == "dangling-link"
                else "not a regular file")
    assert f"templates/base/layout.html: refused: {expected}" in err


# -- what still works -------------------------------------------------------------------


def png(width: int = 4, height: int = 4) -> bytes:
    """A small red PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    rows = b"".join(b"\x00" + b"\xc0\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                               0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_a_legitimate_override_with_its_own_stylesheet_and_image_builds(skeleton_project,
                                                                          capsys):
    root = skeleton_project.root
    override(root, "upr/report.html", UPR.replace(
        'm.opening(_("Executive summary"))', 'm.opening("Our concerns in brief")').replace(
        "{% block main %}", '{% block main %}<img src="templates/img/logo.png" alt="">', 1))
    (root / "templates" / "img").mkdir()
    (root / "templates" / "img" / "logo.png").write_bytes(png(8, 8))
    # A stylesheet of the project's, whose image is relative to the stylesheet.
    layout_with(root, '<link rel="stylesheet" href="templates/base/extra.css">',
                where="</style>")
    override(root, "base/extra.css", ".cover { background: url(stripe.png) no-repeat; }\n")
    (root / "templates" / "base" / "stripe.png").write_bytes(png())
    assert main(["build", "-p", str(root), "-m", "upr", "-l", "en"]) == 0, \
        capsys.readouterr().err
    pdf = root / "output" / "upr-en.pdf"
    assert "Our concerns in brief" in run_tool("pdftotext", str(pdf), "-")
    assert len(run_tool("pdfimages", "-list", str(pdf)).splitlines()) == 2 + 2  # 2 images
    assert run_tool("pdfdetach", "-list", str(pdf)).startswith("0 embedded files")

