"""Safe publishing: confidential data never reaches a public PDF, untrusted text
stays text, and a failed or killed build never damages earlier PDFs."""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import REPO, run_tool

from builder.cli import main
from builder.confidential import catalog_leaks, leak_matcher
from builder.content import load_content
from builder.leakcheck import Matcher, phrase, single
from builder.pdf import PdfJob, make_pdf, page_texts, read_back


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for part in ("content", "locales"):
        shutil.copytree(REPO / part, target / part)
    return target


def test_every_victim_and_witness_of_the_sample_is_protected(sample):
    matcher = leak_matcher(load_content(sample))
    for name in ("Beksat Mukashev", "Mukaschew", "Arman Khassanov", "Andrei", "Bota", "Noa",
                 "Aleksandr", "Zhanar Sekerbaeva", "Gulzada Serzhan", "Aziyat Agishev",
                 "Ardzh Turynkhan", "Temirlan Baimash", "Бексат Мұқашев", "Бексата Мукашева",
                 "Секербаевой", "Темірланның"):
        owners = {hit.needle.owner for hit in matcher.find(f"About {name}, who was there.")}
        assert any(owner.startswith("people/") for owner in owners), name
    # the lawyer spoke publicly under her name
    assert matcher.find("The lawyer Aiman Umarova said so.") == []


@pytest.mark.parametrize("tool", ["pdftotext", "pdfinfo", "outline"])
def test_no_public_pdf_contains_a_confidential_value(sample, sample_pdfs, tool):
    matcher = leak_matcher(load_content(sample))
    for name, path in sample_pdfs.items():
        if tool == "pdftotext":  # words hyphenated at a line end read whole, as a reader reads them
            text = re.sub(r"(?<=\w)[‐-]\n(?=\w)", "", run_tool("pdftotext", str(path), "-"))
        elif tool == "pdfinfo":
            text = run_tool("pdfinfo", str(path)) + run_tool("pdfinfo", "-meta", str(path))
        else:
            text = read_back(path)
        assert matcher.find(text) == [], name
        assert run_tool("pdfdetach", "-list", str(path)).startswith("0 embedded files")


def test_the_internal_edition_names_people_and_is_marked_on_every_page(tmp_path, capsys):
    root = copy_project(tmp_path / "project")
    assert main(["build", "-p", str(root), "--internal", "-m", "iccpr", "-l", "ru,en"]) == 0
    assert "output/iccpr-ru.internal.pdf" in capsys.readouterr().out
    assert not (root / "output" / "iccpr-ru.pdf").exists()
    for name, mark, person in (("iccpr-ru", "КОНФИДЕНЦИАЛЬНО", "Бексат Мукашев"),
                               ("iccpr-en", "CONFIDENTIAL", "Beksat Mukashev")):
        path = root / "output" / f"{name}.internal.pdf"
        pages = run_tool("pdftotext", str(path), "-").split("\f")[:-1]
        assert pages and all(mark in page for page in pages)
        assert person in " ".join(" ".join(pages).split())
        assert run_tool("pdfinfo", str(path)).count(mark) >= 1  # in the title too


@pytest.mark.parametrize("formats", ["pdf", "pdf,docx", "docx"])
def test_a_name_written_into_public_text_fails_the_build(skeleton_project, capsys, formats):
    people = skeleton_project.content / "people.yaml"
    people.write_text(people.read_text() + "- id: witness\n  pseudonym: W.\n  role: witness\n"
                                           "  name: Daulet Serikbayev\n")
    sections = skeleton_project.content / "sections.yaml"
    sections.write_text(sections.read_text().replace(
        "[#example-case].", "[#example-case]; Daulet SERIKBAYEV saw it."))
    output = skeleton_project.root / "output"
    output.mkdir()
    earlier = {f"upr-en.{kind}": b"earlier build" for kind in formats.split(",")}
    for name, data in earlier.items():
        (output / name).write_bytes(data)
    assert main(["build", "-p", str(skeleton_project.root), "-m", "upr", "-f", formats]) == 1
    err = capsys.readouterr().err
    assert ("content/sections.yaml:25:42: sections[0].paragraphs[0]: in upr-en: public text "
            "contains the name of people/witness") in err
    assert "Serikbayev" not in err.casefold().title()  # the message must not leak the name
    assert {path.name: path.read_bytes() for path in output.iterdir()} == earlier


def read_back_pdf(tmp_path, lang: str, title: str, style: str, body: str) -> str:
    """The read-back text of a one-page PDF in the bundled serif font."""
    html = (f'<!DOCTYPE html><html lang="{lang}"><head><title>{title}</title>'
            '<style>@font-face { font-family: "Report Serif"; '
            'src: url("asset:fonts/NotoSerif-Regular.ttf"); } html { font-family: '
            f'"Report Serif"; }} {style}</style></head><body>{body}</body></html>')
    target = tmp_path / "x.pdf"
    make_pdf(PdfJob(html, None, target))
    return read_back(target)


def test_the_pdf_read_back_finds_hyphenated_names_and_metadata(tmp_path):
    text = read_back_pdf(tmp_path, "en", "About Daulet Serikbayev",
                         "p { width: 30mm; hyphens: manual; }",
                         "<p>Witness Daulet Se&shy;rik&shy;bayev was there.</p>")
    matcher = Matcher([phrase("Daulet Serikbayev", "people/w", "name")])
    assert matcher.find(text) and "About Daulet Serikbayev" in text  # the title is searched
    body_only = text.replace("About Daulet Serikbayev", "")
    assert Matcher([single("Serikbayev", "people/w", "name")]).find(body_only)


def test_the_pdf_read_back_reads_words_hyphenated_at_line_ends_whole(tmp_path):
    """The layout hyphenates where it likes: the second half of "ра‐/ботающая"
    is not the name Бота with an ending, and a short name broken "Бо‐/те"
    is still the name."""
    style = "p { width: 8mm; hyphens: manual; }"
    text = read_back_pdf(tmp_path, "ru", "x", style, "<p>ра&shy;ботающая</p>")
    assert "ра‐\nботающая" in "".join(page_texts(tmp_path / "x.pdf"))
    bota = Matcher([single("Бота", "people/b", "name")])
    assert not bota.find(text)
    text = read_back_pdf(tmp_path, "ru", "x", style, "<p>о Бо&shy;те</p>")
    assert "Бо‐\nте" in "".join(page_texts(tmp_path / "x.pdf"))
    assert bota.find(text)


def test_the_pdf_read_back_finds_a_name_in_a_link_address(tmp_path):
    # WeasyPrint stores the address percent-encoded and the host IDNA-encoded;
    # the read-back gives it as a browser shows it, where the name is plain.
    text = read_back_pdf(tmp_path, "ru", "x", "",
                         '<p><a href="https://пример.рф/Серикбаеву">профиль</a></p>')
    assert "%D0%A1" in text  # the address as stored
    assert Matcher([single("Серикбаев", "people/w", "name")]).find(text)
    assert "https://пример.рф/Серикбаеву" in text


def test_public_text_cannot_refer_to_a_confidential_case(skeleton_project, capsys):
    cases = skeleton_project.content / "cases.yaml"
    # The whole case confidential, in place of its confidential details.
    text, found = re.subn(r"  confidential: .*\n(    .*\n)+", "  confidential: true\n",
                          cases.read_text())
    assert found == 1
    cases.write_text(text)
    assert main(["validate", "-p", str(skeleton_project.root)]) == 1
    assert ("content/sections.yaml:25:25: sections[0].paragraphs[0]: public text refers to "
            "the confidential case 'example-case'") in capsys.readouterr().err


def test_confidential_values_never_reach_the_catalogs(sample):
    matcher = leak_matcher(load_content(sample))
    paths = sorted((REPO / "locales").rglob("*.po*"))
    assert len(paths) == 6
    for path in paths:
        assert catalog_leaks(path, path.name, matcher) == [], path


HOSTILE = ('<link rel="attachment" href="file:///etc/passwd"> '
           '<img src="https://example.org/x.png"> <style>body{background:url(file:///etc/hosts)}'
           '</style> url(file:///etc/passwd) @import "https://example.org/a.css"')


def test_html_and_references_in_content_stay_text(skeleton_project, capsys):
    sections = skeleton_project.content / "sections.yaml"
    sections.write_text(sections.read_text().replace(
        "[#example-case].", "[#example-case]. " + HOSTILE))
    assert main(["build", "-p", str(skeleton_project.root), "-m", "iccpr"]) == 0
    pdf = skeleton_project.root / "output" / "iccpr-en.pdf"
    text = " ".join(run_tool("pdftotext", str(pdf), "-").split())
    # Typographic quotes, as in any text (builder/typography.py).
    assert "<link rel=“attachment” href=“file:///etc/passwd”>" in text
    assert run_tool("pdfdetach", "-list", str(pdf)).startswith("0 embedded files")
    assert "root:" not in text


def test_a_hostile_translation_stays_text(skeleton_project, capsys):
    root = skeleton_project.root
    assert main(["i18n", "init", "ru", "-p", str(root)]) == 0
    theirs = skeleton_project.locales / "ru" / "LC_MESSAGES" / "shadow-report.po"
    shutil.copy(REPO / "locales/ru/LC_MESSAGES/shadow-report.po", theirs)
    text = theirs.read_text()
    start = text.index('msgid "Contents"\nmsgstr "')
    end = text.index("\n", start + len('msgid "Contents"\n'))
    theirs.write_text(text[:start] + 'msgid "Contents"\nmsgstr "<img src=\\"file:///etc/passwd'
                      '\\"><a rel=\\"attachment\\" href=\\"file:///etc/passwd\\">x</a>"'
                      + text[end:])
    capsys.readouterr()
    assert main(["build", "-p", str(root), "-m", "upr", "-l", "ru"]) == 0
    pdf = root / "output" / "upr-ru.pdf"
    # Russian quotes, as in any text (builder/typography.py).
    assert "<img src=«file:///etc/passwd»>" in run_tool("pdftotext", str(pdf), "-")
    assert run_tool("pdfdetach", "-list", str(pdf)).startswith("0 embedded files")


def test_a_killed_build_leaves_earlier_pdfs_intact(tmp_path):
    root = copy_project(tmp_path / "project")
    command = [sys.executable, "-m", "builder", "build", "-p", str(root), "-m", "upr,iccpr"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run(command, check=True, capture_output=True, env=env)
    output = root / "output"
    before = {path.name: path.read_bytes() for path in output.iterdir()}
    # Change the content so that a finished build would change the PDFs, then kill it.
    report = root / "content" / "report.yaml"
    report.write_text(report.read_text().replace("date: 2026-03-01", "date: 2026-03-02"))
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=env, start_new_session=True)
    time.sleep(3)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    after = {path.name: path.read_bytes() for path in output.iterdir()
             if not path.name.startswith(".")}
    assert after == before
    for name in before:
        run_tool("qpdf", "--check", str(output / name))
    # The next build clears what the killed one left behind.
    subprocess.run(command, check=True, capture_output=True, env=env)
    assert not list(output.glob(".*.part"))


def test_build_never_writes_into_the_project_sources(tmp_path):
    root = copy_project(tmp_path / "project")
    snapshot = {path: path.read_bytes() for part in ("content", "locales")
                for path in (root / part).rglob("*") if path.is_file()}
    assert main(["build", "-p", str(root), "-m", "cedaw", "-l", "kk"]) == 0
    assert {path: path.read_bytes() for part in ("content", "locales")
            for path in (root / part).rglob("*") if path.is_file()} == snapshot


def test_a_confidential_exact_date_is_searched_in_every_language(skeleton_project):
    report = skeleton_project.content / "report.yaml"
    report.write_text(report.read_text().replace("date: 2026-01-15",
                                                 "date: 2026-01-15\nlanguages: [en, ru]"))
    content = load_content(skeleton_project)
    assert str(content.cases[0].confidential.date) == "2025-05-14"  # the example's exact day
    matcher = leak_matcher(content)
    for written in ("2025-05-14", "14 May 2025", "14 мая 2025\u202fг.", "14.05.2025",
                    "May 14th, 2025", "2025 жылғы 14 мамырда"):
        hits = matcher.find(f"It happened on {written}.")
        assert [hit.needle.what for hit in hits] == ["date"], written


RU_CONTENT = Path("locales/ru/LC_MESSAGES/content.po")
TITLE_MSGSTR = '"Отсутствие правовой защиты от дискриминации и преступлений на почве ненависти"'


def test_a_translator_who_writes_a_declined_name_is_stopped_at_its_line(tmp_path, capsys):
    root = copy_project(tmp_path / "project")
    po = root / RU_CONTENT
    text = po.read_text()
    line = text[:text.index(TITLE_MSGSTR)].count("\n") + 1  # the line that holds the name
    po.write_text(text.replace(TITLE_MSGSTR, TITLE_MSGSTR[:-1] + ' (дело Мукашева)"'))
    before = po.read_bytes()
    for command in (["validate"], ["i18n", "stats"], ["i18n", "update"],
                    ["build", "-m", "cedaw", "-l", "ru"]):
        capsys.readouterr()
        assert main([*command, "-p", str(root)]) == 1, command
        err = capsys.readouterr().err
        if command[0] == "build":  # the build names the edition that prints it
            assert f"content.po:{line}: in cedaw-ru: sections/legal-framework" in err
            err = err.replace("in cedaw-ru: ", "")
        assert (f"locales/ru/LC_MESSAGES/content.po:{line}: sections/legal-framework/title: "
                "the translation contains the name of people/young-man-uralsk") in err, command
        assert "ukashev" not in err.lower() and "укашев" not in err.lower()
    assert po.read_bytes() == before  # update refused: nothing rewritten
    assert not (root / "output" / "cedaw-ru.pdf").exists()


def test_update_removes_confidential_values_from_the_catalogs_history(tmp_path, capsys):
    root = copy_project(tmp_path / "project")
    po = root / RU_CONTENT
    translated = len([m for m in read_po(po.open("rb")) if m.id and m.string])
    # What the tools kept of earlier versions: an obsolete entry and a previous source.
    po.write_text(po.read_text().replace(
        '#: content/sections.yaml\nmsgctxt "sections/legal-framework/title"',
        '#: content/sections.yaml\n#, fuzzy\n#| msgid "The case of Beksat Mukashev"\n'
        'msgctxt "sections/legal-framework/title"')
        + '\n#~ msgctxt "cases/old/summary"\n#~ msgid "Arman Khassanov filmed it."\n'
          '#~ msgstr "Это снял Арман Хасанов."\n')
    assert main(["validate", "-p", str(root)]) == 1
    err = capsys.readouterr().err
    assert "the previous source contains the name of people/young-man-uralsk" in err
    assert "the obsolete entry contains the name of people/friend-uralsk" in err
    assert main(["i18n", "update", "-p", str(root)]) == 0
    assert "2 confidential value(s) removed from history" in capsys.readouterr().out
    text = po.read_text()
    assert "Mukashev" not in text and "Khassanov" not in text and "Хасанов" not in text
    # nothing else is lost: the fuzzy entry keeps its translation
    assert len([m for m in read_po(po.open("rb")) if m.id and m.string]) == translated
    subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(po)], check=True)
    assert main(["validate", "-p", str(root)]) == 0


def test_no_catalog_is_written_while_public_text_holds_a_name(tmp_path, capsys):
    root = copy_project(tmp_path / "project")
    sections = root / "content" / "sections.yaml"
    sections.write_text(sections.read_text().replace(
        "title: No legal protection against discrimination or hate crimes",
        "title: No legal protection for Темiрлан"))
    catalogs = {path: path.read_bytes() for path in (root / "locales").rglob("*.po*")}
    for action in ("extract", "update"):
        assert main(["i18n", action, "-p", str(root)]) == 1
        err = capsys.readouterr().err
        assert ("content/sections.yaml:30:34: sections[0].title: public text contains the "
                "name of people/activist-cafe") in err
    assert {path: path.read_bytes() for path in catalogs} == catalogs


def test_a_name_typed_into_a_template_override_fails_the_edition(skeleton_project, capsys):
    root = skeleton_project.root
    people = skeleton_project.content / "people.yaml"
    people.write_text(people.read_text() + "- id: witness\n  pseudonym: W.\n  role: witness\n"
                                           "  name: Daulet Serikbayev\n")
    layout = (REPO / "templates" / "base" / "layout.html").read_text()
    override = root / "templates" / "base" / "layout.html"
    override.parent.mkdir(parents=True)
    override.write_text(layout.replace("</body>", '<p title="Серикбаевым">x</p></body>'))
    assert main(["build", "-p", str(root), "-m", "upr", "-l", "en"]) == 1
    err = capsys.readouterr().err
    assert ("upr-en: confidential data of people/witness found in its HTML, from the "
            "templates") in err
    assert not (root / "output" / "upr-en.pdf").exists()


def test_the_public_view_holds_no_confidential_value(sample):
    from builder.confidential import public_view

    content = load_content(sample)
    view = public_view(content)
    assert view.files == {}
    matcher = leak_matcher(content)
    shown = [str(getattr(person, name)) for person in view.people
             for name in ("name", "names", "aliases", "contact", "notes", "born")]
    shown += [str(case.model_dump()) for case in view.cases]
    assert [hit.needle.owner for text in shown for hit in matcher.find(text)] == []


def test_invalid_confidential_values_are_not_repeated_in_messages(skeleton_project, capsys):
    (skeleton_project.content / "people.yaml").write_text(
        "- id: witness\n  pseudonym: Daulet\n  role: witness\n  name: Daulet Serikbayev\n"
        "  born: 23.11.1987\n  contact: 77015551234\n"
        "- id: daulet-serikbayev\n  pseudonym: S.\n  role: witness\n  name: Serik Bayev\n")
    assert main(["validate", "-p", str(skeleton_project.root)]) == 1
    err = capsys.readouterr().err
    assert "people[0].born: not a date: (value not shown: confidential)" in err
    assert "people[0].contact: expected text, got a value of another kind" in err
    assert "1987" not in err and "7015551234" not in err
    (skeleton_project.content / "people.yaml").write_text(
        "- id: witness\n  pseudonym: Daulet\n  role: witness\n  name: Daulet Serikbayev\n"
        "- id: daulet-serikbayev\n  pseudonym: S.\n  role: witness\n  name: Serik Bayev\n"
        "  description: a colleague of Serikbayeva\n")
    assert main(["validate", "-p", str(skeleton_project.root)]) == 1
    err = capsys.readouterr().err
    assert ("content/people.yaml:2:14: people[0].pseudonym: public text contains the name "
            "of people/witness") in err
    assert ("content/people.yaml:5:7: people[1].id: the id contains the name of "
            "people/witness") in err
    assert ("content/people.yaml:9:31: people[1].description: public text contains the name "
            "of people/witness") in err
    assert "daulet" not in err.lower() and "serikbayev" not in err.lower()


def test_an_owner_whose_id_holds_a_name_is_named_by_its_place(skeleton_project, capsys):
    (skeleton_project.content / "people.yaml").write_text(
        "- id: erlan-zhakupov\n  pseudonym: E.\n  role: witness\n  name: Ерлан Жакупов\n")
    assert main(["validate", "-p", str(skeleton_project.root)]) == 1
    err = capsys.readouterr().err
    assert "content/people.yaml:1:7: people[0].id: the id contains the name of people[0]" in err
    assert "erlan" not in err.lower() and "zhakupov" not in err.lower()


def test_an_entry_marked_confidential_leaves_the_catalogs_with_its_translations(tmp_path,
                                                                               capsys):
    root = copy_project(tmp_path / "project")
    recommendations = root / "content" / "recommendations.yaml"
    recommendations.write_text(recommendations.read_text().replace(
        "- id: rec-schools-health\n", "- id: rec-schools-health\n  confidential: true\n"))
    # Its addressee, "Government", is searched like every confidential value,
    # and it is public knowledge: the drafter says so.
    report = root / "content" / "report.yaml"
    report.write_text(report.read_text() + "\npublic_words: [Government]\n")
    po = root / RU_CONTENT
    assert 'msgctxt "recommendations/rec-schools-health/text"' in po.read_text()
    assert main(["validate", "-p", str(root)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"locales/ru/LC_MESSAGES/content\.po:\d+: the entry holds the text of "
                     r"recommendations/rec-schools-health, which is confidential", err)
    assert main(["i18n", "update", "-p", str(root)]) == 0
    for path in (root / "locales").rglob("*.po*"):
        assert "recommendations/rec-schools-health/" not in path.read_text(), path
        subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], check=True)
    assert main(["validate", "-p", str(root)]) == 0


def test_a_name_in_one_language_stops_the_editions_already_being_made(tmp_path, capsys):
    # The Russian editions print the name; the English ones do not, and their
    # PDFs are started before the content and catalogs are searched. The build
    # fails all the same, keeps the earlier PDFs and leaves nothing of its own.
    root = copy_project(tmp_path / "project")
    po = root / RU_CONTENT
    po.write_text(po.read_text().replace(TITLE_MSGSTR,
                                         TITLE_MSGSTR[:-1] + ' (дело Мукашева)"'))
    output = root / "output"
    output.mkdir()
    earlier = {"cedaw-en.pdf": b"earlier build", "cedaw-ru.pdf": b"earlier build"}
    for name, data in earlier.items():
        (output / name).write_bytes(data)
    others = set(multiprocessing.active_children())  # of other tests, if any
    assert main(["build", "-p", str(root), "-m", "cedaw,upr", "-l", "en,ru", "-j", "2"]) == 1
    err = capsys.readouterr().err
    assert "in upr-ru, cedaw-ru: sections/legal-framework/title: the translation contains " \
           "the name of people/young-man-uralsk" in err
    assert {path.name: path.read_bytes() for path in output.iterdir()} == earlier
    assert set(multiprocessing.active_children()) <= others  # its workers stopped


def test_a_value_found_in_the_tools_own_catalog_is_not_for_the_user_to_remove(tmp_path,
                                                                               capsys):
    """A confidential place "in the Bostandyk district" matches the Kazakh word
    «бостандық» (freedom) of the package's own catalog, which a project
    without its own uses. The message said "remove it", in a file the user
    does not own; it says whose text it is, and public_words frees the word."""
    root = copy_project(tmp_path / "project")
    (root / "locales/kk/LC_MESSAGES/shadow-report.po").unlink()  # the package's, then
    cases = root / "content" / "cases.yaml"
    cases.write_text(cases.read_text().replace(
        "  place: A city hospital in western Kazakhstan",
        "  place: A city hospital in the Bostandyk district"))
    assert main(["build", "-q", "-p", str(root), "-l", "kk", "-m", "upr"]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if "kk/LC_MESSAGES" in line]
    assert errors and all("the tool's own text, not yours" in line and "remove it" not in line
                          and "public_words" in line for line in errors)
    report = root / "content" / "report.yaml"
    report.write_text(report.read_text() + "\npublic_words: [Bostandyk]\n")
    assert main(["validate", "-p", str(root)]) == 0
