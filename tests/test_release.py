"""Release builds for a coalition: `build --strict` holds the editions meant for
submission to every rule, leaves out an advocacy edition whose translation is
not finished (without blocking the others), and `check` never counts the words
an edition shows untranslated as its own."""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

import pytest
from conftest import SKELETON, run_tool

from builder.catalogs import catalog_bytes, read_po
from builder.check import count_words
from builder.cli import main


def blank(root: Path, language: str, keep) -> list[str]:
    """Blank the translations of a content catalog that ``keep(index)`` does not
    pick; return the msgctxt of every entry untranslated after that."""
    path = root / "locales" / language / "LC_MESSAGES" / "content.po"
    catalog = read_po(path.read_bytes(), language, "content")
    blanked = []
    for index, message in enumerate(message for message in catalog if message.id):
        if not keep(index):
            message.string = ""
        if not message.string:
            blanked.append(message.context)
    path.write_bytes(catalog_bytes(catalog))
    return blanked


def confirm_placeholders(root: Path, capsys) -> None:
    """Every fact confirmed: the ``[TBC: ...]`` brackets taken out of the
    content, and out of the translations, as a translator would after
    ``i18n update`` marks the entries fuzzy."""
    unbracket = functools.partial(re.sub, r"\[TBC: ([^\]]*)\]", r"\1")
    for path in (root / "content").glob("*.yaml"):
        path.write_text(unbracket(path.read_text()))
    assert main(["i18n", "update", "-p", str(root)]) == 0
    for language in ("ru", "kk"):
        path = root / "locales" / language / "LC_MESSAGES" / "content.po"
        catalog = read_po(path.read_bytes(), language, "content")
        for message in catalog:
            if message.fuzzy:
                message.string = unbracket(message.string)
                message.flags.discard("fuzzy")
                message.previous_id = []
        path.write_bytes(catalog_bytes(catalog))
    capsys.readouterr()
    assert main(["i18n", "stats", "--strict", "-p", str(root)]) == 0, capsys.readouterr()


@pytest.fixture
def coalition(tmp_path: Path, capsys) -> Path:
    """The project ``shadow-report new`` creates, with no placeholder left,
    complete in English and Russian, with half of its Kazakh content catalog
    translated."""
    root = tmp_path / "coalition"
    shutil.copytree(SKELETON, root)
    assert "\nlanguages: [en, ru, kk]" in (root / "content" / "report.yaml").read_text()
    confirm_placeholders(root, capsys)
    blank(root, "kk", lambda index: index % 2 == 0)
    capsys.readouterr()
    return root


def test_a_strict_build_leaves_out_a_half_translated_advocacy_edition_and_builds_the_rest(
        coalition, capsys):
    output = coalition / "output"
    output.mkdir()
    (output / "upr-kk.pdf").write_bytes(b"%PDF- a draft from last week")
    assert main(["build", "-p", str(coalition), "-m", "upr,iccpr", "--strict"]) == 0
    captured = capsys.readouterr()
    built = sorted(path.name for path in output.glob("*.pdf"))
    # Russian is accepted by the UPR (for submission) and not by the Committee
    # (advocacy): both are complete, both are built.
    assert built == ["iccpr-en.pdf", "iccpr-ru.pdf", "upr-en.pdf", "upr-ru.pdf"]
    for name in built:
        assert "Pages:" in run_tool("pdfinfo", str(output / name))
    for edition in ("upr-kk", "iccpr-kk"):
        assert f"{edition}: left out of this release: an advocacy edition that is not " \
               "ready:" in captured.err
    missing = re.findall(r"locales/kk/LC_MESSAGES/content.po: (\d+) text\(s\) missing",
                         captured.err)
    assert len(missing) == 2 and all(int(count) > 0 for count in missing)
    # The draft of an earlier build is not left to be taken for part of this release.
    assert "output/upr-kk.pdf, from an earlier build, was removed" in captured.err
    assert "left out 2 advocacy edition(s) not ready: upr-kk, iccpr-kk" in captured.out
    table = {line.split()[0]: line for line in captured.out.splitlines()
             if line.startswith(("upr-", "iccpr-"))}
    assert sorted(table) == ["iccpr-en", "iccpr-ru", "upr-en", "upr-ru"]


def test_a_strict_word_build_leaves_out_the_same_editions_and_their_earlier_files(
        coalition, capsys):
    output = coalition / "output"
    output.mkdir()
    for name in ("upr-kk.pdf", "upr-kk.docx"):
        (output / name).write_bytes(b"a draft from last week")
    assert main(["build", "-p", str(coalition), "-m", "upr", "--strict", "-f", "docx"]) == 0
    captured = capsys.readouterr()
    assert sorted(path.name for path in output.iterdir()) == ["upr-en.docx", "upr-ru.docx"]
    assert "upr-kk: left out of this release: an advocacy edition that is not" in captured.err
    for name in ("upr-kk.pdf", "upr-kk.docx"):  # no draft of it is left, of any format
        assert f"output/{name}, from an earlier build, was removed" in captured.err
    assert "built 2 Word file(s), in " in captured.out


def test_a_kazakh_edition_asked_for_by_name_is_held_to_the_release_rules(coalition, capsys):
    blanked = blank(coalition, "kk", lambda index: index % 2 == 0)
    assert main(["build", "-p", str(coalition), "-m", "upr", "-l", "en,kk",
                 "--strict"]) == 1
    err = capsys.readouterr().err
    assert "nothing was built" in err
    for context in blanked[:3]:
        assert f"upr-kk.pdf: no usable translation: locales/kk/LC_MESSAGES/content.po: " \
               f"{context} (missing)" in err
    assert not (coalition / "output").exists() or not list(
        (coalition / "output").glob("*.pdf"))


def test_an_unfinished_edition_for_submission_stops_the_release(coalition, capsys):
    blanked = blank(coalition, "ru", lambda index: index != 0)
    assert main(["build", "-p", str(coalition), "-m", "upr", "--strict"]) == 1
    err = capsys.readouterr().err
    assert f"upr-ru.pdf: no usable translation: locales/ru/LC_MESSAGES/content.po: " \
           f"{blanked[0]} (missing)" in err
    assert "nothing was built" in err
    # The same Russian translation in an advocacy edition only (ICCPR does not
    # accept Russian) leaves that edition out, and the rest is built.
    assert main(["build", "-p", str(coalition), "-m", "iccpr", "--strict"]) == 0
    captured = capsys.readouterr()
    assert "iccpr-ru: left out of this release" in captured.err
    assert sorted(path.name for path in (coalition / "output").glob("*.pdf")) == [
        "iccpr-en.pdf"]


def test_a_broken_kazakh_entry_is_named_with_its_line_when_the_edition_is_left_out(
        coalition, capsys):
    path = coalition / "locales" / "kk" / "LC_MESSAGES" / "content.po"
    catalog = read_po(path.read_bytes(), "kk", "content")
    cited = next(message for message in catalog
                 if "[@example-source]" in message.string)
    # A hurried translator drops the citation.
    cited.string = cited.string.replace("[@example-source]", "")
    path.write_bytes(catalog_bytes(catalog))
    lines = path.read_text().splitlines()
    line = lines.index(f'msgctxt "{cited.context}"') + 1
    assert main(["build", "-p", str(coalition), "-m", "upr", "--strict"]) == 0
    err = capsys.readouterr().err
    assert re.search(r"locales/kk/LC_MESSAGES/content.po: \d+ text\(s\) broken", err)
    named = re.search(r"locales/kk/LC_MESSAGES/content.po:(\d+): .*example-source.*", err)
    assert named and line <= int(named[1]) <= line + 3, err


def test_check_marks_an_edition_with_untranslated_text_and_does_not_count_its_words(
        coalition, capsys):
    assert main(["check", "-p", str(coalition), "-m", "upr"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith("upr-")}
    assert rows["upr-en"].endswith("ok") and rows["upr-ru"].endswith("ok")
    found = re.search(r"advocacy edition, not ready: (\d+) text\(s\) untranslated "
                      r"\((\d+) words in English, not counted\)", rows["upr-kk"])
    assert found, rows["upr-kk"]
    foreign = int(found[2])
    assert foreign > 0
    english, kazakh = (int(rows[name].split()[3]) for name in ("upr-en", "upr-kk"))
    assert kazakh < english  # the English paragraphs are not the Kazakh edition's words
    assert "advocacy editions not ready: upr-kk" in out
    # Asked for by name, the unfinished edition fails the check.
    assert main(["check", "-p", str(coalition), "-m", "upr", "-l", "kk"]) == 1
    assert "not ready (advocacy editions asked for with --lang): upr-kk" in \
        capsys.readouterr().out


def test_an_untranslated_russian_edition_for_submission_fails_the_check(coalition, capsys):
    blank(coalition, "ru", lambda index: index % 3 != 0)
    assert main(["check", "-p", str(coalition), "-m", "upr", "-l", "ru"]) == 1
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("upr-ru"))
    assert re.search(r"FAILS: \d+ text\(s\) untranslated \(\d+ words in English", row)
    assert "not ready for submission: upr-ru" in out


def test_words_shown_untranslated_are_counted_apart():
    html = """<main><p class="para"><span class="para-num">1.</span>Полиция ұстады.
    <span class="fallback" lang="en">Police detained two activists<span class="footnote">
    <cite>A source</cite>, 2021.</span></span></p></main>"""
    count = count_words(html)
    assert (count.body, count.notes, count.foreign) == (2, 0, 7)
