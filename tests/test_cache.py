"""Rebuilds lay out only what changed: a build with nothing changed writes no
file; an edit to one language's catalog or to one entry lays out only the
editions it changes; a damaged, foreign or tampered record is never trusted."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from builder.cache import BuildCache, cache_folder
from builder.cli import main

BUILD = ["-m", "upr,cedaw", "-l", "en"]
ONE = ["-m", "cedaw", "-l", "en"]  # the shortest edition


def copy_sample(target: Path) -> Path:
    for part in ("content", "locales"):
        shutil.copytree(REPO / part, target / part)
    return target


def build(root: Path, capsys, *options: str) -> dict[str, str]:
    """Build; return each PDF's line: its time, or "unchanged"."""
    assert main(["build", "-p", str(root), *options]) == 0
    out = capsys.readouterr().out
    lines = {}
    for line in out.splitlines():
        if line.startswith("output/") and (" pages " in line or " notes " in line):
            name = line.split()[0].removeprefix("output/")
            lines[name] = "unchanged" if line.endswith("unchanged") else "laid out"
    lines["summary"] = next(line for line in out.splitlines()
                            if line.startswith(("built ", "nothing changed")))
    return lines


def files(folder: Path) -> dict[str, tuple]:
    """Every file with what a write would change (inode, size, time, bytes)."""
    return {path.name: (path.stat().st_ino, path.stat().st_mtime_ns, path.read_bytes())
            for path in sorted(folder.iterdir())}


def replace_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_sample(tmp_path / "project")


def test_a_build_with_nothing_changed_lays_out_nothing_and_writes_no_file(project, capsys):
    first = build(project, capsys, *BUILD)
    assert first == {"upr-en.pdf": "laid out", "cedaw-en.pdf": "laid out",
                     "summary": first["summary"]}
    output, records = files(project / "output"), files(cache_folder() / "builds")
    second = build(project, capsys, *BUILD)
    assert second["upr-en.pdf"] == second["cedaw-en.pdf"] == "unchanged"
    assert second["summary"].startswith("nothing changed since the last build: 2 PDF(s)")
    assert files(project / "output") == output
    assert files(cache_folder() / "builds") == records
    # Saving a content file without changing what it says changes nothing either.
    os.utime(project / "content" / "sections.yaml")
    assert build(project, capsys, *BUILD)["upr-en.pdf"] == "unchanged"
    assert files(project / "output") == output


def test_a_catalog_saved_again_lays_out_its_language_again(project, capsys):
    """As with make, ``touch`` on a language's catalog lays out that
    language's editions again, and only those."""
    build(project, capsys, "-m", "cedaw")
    os.utime(project / "locales" / "kk" / "LC_MESSAGES" / "content.po")
    lines = build(project, capsys, "-m", "cedaw")
    assert {name: how for name, how in lines.items() if name != "summary"} == {
        "cedaw-en.pdf": "unchanged", "cedaw-ru.pdf": "unchanged", "cedaw-kk.pdf": "laid out"}
    assert build(project, capsys, "-m", "cedaw")["summary"].startswith("nothing changed")


def test_an_edit_lays_out_only_the_editions_it_changes(project, capsys):
    build(project, capsys, "-m", "cedaw")
    catalog = project / "locales" / "kk" / "LC_MESSAGES" / "content.po"
    text = catalog.read_text(encoding="utf-8")
    entry = text.index('msgctxt "recommendations/rec-repeal-restrictions/text"')
    at = text.index('msgstr "', entry) + len('msgstr "')
    catalog.write_text(text[:at] + "Өзгеріс. " + text[at:], encoding="utf-8")
    lines = build(project, capsys, "-m", "cedaw")
    assert {name: how for name, how in lines.items() if name != "summary"} == {
        "cedaw-en.pdf": "unchanged", "cedaw-ru.pdf": "unchanged", "cedaw-kk.pdf": "laid out"}
    assert lines["summary"].startswith("built 1 PDF(s), 2 up to date")

    # A recommendation printed in the UPR edition and not in the CEDAW one.
    build(project, capsys, *BUILD)
    replace_text(project / "content" / "recommendations.yaml",
                 "Instruct police officers to register", "Instruct all police officers to "
                                                           "register")
    lines = build(project, capsys, *BUILD)
    assert (lines["upr-en.pdf"], lines["cedaw-en.pdf"]) == ("laid out", "unchanged")
    assert "Instruct all police officers" in _text(project / "output" / "upr-en.pdf")


def _text(pdf: Path) -> str:
    from builder.pdf import page_texts
    return " ".join(page_texts(pdf)).replace("\n", " ")


def test_force_and_other_options_lay_out_again(project, capsys):
    build(project, capsys, *ONE)
    assert build(project, capsys, *ONE, "--force")["cedaw-en.pdf"] == "laid out"
    assert build(project, capsys, *ONE, "--pdf-variant", "pdf/a-3b")["cedaw-en.pdf"] == \
        "laid out"


def test_a_word_file_is_never_taken_for_its_pdf(project, capsys):
    """Each format of an edition has its own record: a PDF up to date does
    not make its Word twin up to date, and the other way round."""
    build(project, capsys, *ONE)
    lines = build(project, capsys, *ONE, "--format", "pdf,docx")
    assert (lines["cedaw-en.pdf"], lines["cedaw-en.docx"]) == ("unchanged", "laid out")
    assert lines["summary"].startswith("built 0 PDF(s) and 1 Word file(s), 1 up to date")
    lines = build(project, capsys, *ONE, "--format", "docx")
    assert lines["cedaw-en.docx"] == "unchanged" and "cedaw-en.pdf" not in lines
    docx = project / "output" / "cedaw-en.docx"
    docx.write_bytes(b"changed")
    assert build(project, capsys, *ONE, "-f", "docx")["cedaw-en.docx"] == "laid out"
    assert docx.read_bytes()[:2] == b"PK"


def test_a_new_confidential_name_lays_out_every_public_pdf_again(project, capsys):
    """Each public PDF was checked for the confidential values known when it
    was written: a value added since means it is checked again."""
    build(project, capsys, *ONE)
    with open(project / "content" / "people.yaml", "a", encoding="utf-8") as people:
        people.write("\n- id: added-later\n  pseudonym: Z.\n  description: a witness\n"
                     "  role: witness\n  name: Nurlan Zhaksylykov\n")
    assert build(project, capsys, *ONE)["cedaw-en.pdf"] == "laid out"


def test_a_changed_or_removed_pdf_is_laid_out_again(project, capsys):
    build(project, capsys, *ONE)
    pdf = project / "output" / "cedaw-en.pdf"
    pdf.write_bytes(pdf.read_bytes()[:-10] + b"%%EOF tamp")
    assert build(project, capsys, *ONE)["cedaw-en.pdf"] == "laid out"
    assert pdf.read_bytes().endswith(b"%%EOF\n")
    pdf.unlink()
    assert build(project, capsys, *ONE)["cedaw-en.pdf"] == "laid out"
    assert pdf.is_file()


def test_a_damaged_or_foreign_record_is_ignored(project, capsys):
    build(project, capsys, *ONE)
    output = project / "output"
    record = BuildCache(output).path
    data = record.read_bytes()
    assert BuildCache(output).record.editions  # read back, trusted
    for damaged in (data[: len(data) // 2],  # truncated
                    data[:-40] + bytes([data[-40] ^ 1]) + data[-39:],  # one byte changed
                    b"\x00" * 32 + b"not a record", b""):
        record.write_bytes(damaged)
        assert BuildCache(output).record.editions == {}
    record.write_bytes(data)
    key = cache_folder() / "key"
    own = key.read_bytes()
    key.write_bytes(os.urandom(32))  # a record signed by another user or machine
    assert BuildCache(output).record.editions == {}
    key.write_bytes(own)
    record.write_bytes(data[:-40] + bytes([data[-40] ^ 1]) + data[-39:])
    # End to end: a damaged record means laying out again, and a new record.
    assert build(project, capsys, *ONE)["cedaw-en.pdf"] == "laid out"
    assert build(project, capsys, *ONE)["cedaw-en.pdf"] == "unchanged"


def test_the_record_holds_no_confidential_value_and_stays_out_of_the_output(project,
                                                                            capsys):
    build(project, capsys, *BUILD)
    assert sorted(path.name for path in (project / "output").iterdir()) == [
        "cedaw-en.pdf", "upr-en.pdf"]
    record = BuildCache(project / "output").path.read_bytes()
    for name in ("Mukashev", "Мукашев", "Khassanov", "Хасанов"):
        assert name.encode("utf-8") not in record
    assert (cache_folder() / "key").stat().st_mode & 0o077 == 0


def test_validate_searches_again_a_catalog_whose_bytes_or_searched_values_changed(project,
                                                                                   capsys):
    """The leak check's clean verdicts are kept per catalog: a catalog is
    searched again when it changes, or when the values searched for do."""
    root = str(project)
    assert main(["validate", "-p", root]) == 0
    assert main(["validate", "-p", root]) == 0  # the catalogs' clean verdicts, reused
    catalog = project / "locales" / "kk" / "LC_MESSAGES" / "content.po"
    original = catalog.read_text(encoding="utf-8")
    catalog.write_text("# Мұқашевтың ісі\n" + original, encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", "-p", root]) == 1
    assert "content.po:1: the translator's comment contains the name of " \
           "people/young-man-uralsk" in capsys.readouterr().err
    catalog.write_text("# Бақыт Оразалиев\n" + original, encoding="utf-8")
    assert main(["validate", "-p", root]) == 0
    # The same bytes, a new confidential value: searched again, and found.
    with open(project / "content" / "people.yaml", "a", encoding="utf-8") as people:
        people.write("\n- id: added-later\n  pseudonym: Z.\n  description: a witness\n"
                     "  role: witness\n  name: Bakyt Orazaliyev\n"
                     "  names: {kk: Бақыт Оразалиев}\n")
    capsys.readouterr()
    assert main(["validate", "-p", root]) == 1
    assert "people/added-later" in capsys.readouterr().err


def test_a_verdict_file_put_there_by_someone_else_is_never_found(project, capsys):
    catalog = project / "locales" / "kk" / "LC_MESSAGES" / "content.po"
    catalog.write_text("# Мұқашевтың ісі\n" + catalog.read_text(encoding="utf-8"),
                       encoding="utf-8")
    clean = cache_folder() / "clean"
    clean.mkdir(parents=True, exist_ok=True)
    for number in range(50):  # names that might be guessed: none is a valid token
        (clean / f"{number:064x}").touch()
    assert main(["validate", "-p", str(project)]) == 1


def _counting_searches(monkeypatch) -> list[str]:
    """The texts the leak check really searches (not found clean before)."""
    from builder.leakcheck import Matcher

    searched: list[str] = []
    find = Matcher.find

    def counted(matcher, text):
        searched.append(text)
        return find(matcher, text)

    monkeypatch.setattr(Matcher, "find", counted)
    return searched


def test_validate_searches_again_only_the_content_texts_that_changed(project, capsys,
                                                                     monkeypatch):
    """The content's texts found clean are remembered: after an edit, only the
    edited text is searched again, and a name written into it is found; a
    new confidential value has every text searched again."""
    monkeypatch.setenv("SHADOW_REPORT_CACHE", str(project.parent / "cache"))  # its own
    root = str(project)
    searched = _counting_searches(monkeypatch)
    assert main(["validate", "-p", root]) == 0
    first = len(searched)
    assert first > 500
    searched.clear()
    assert main(["validate", "-p", root]) == 0
    unchanged = len([text for text in searched if "Same-sex relations" in text])
    # Left: the warnings and ids the messages are checked against, not the texts.
    assert unchanged == 0 and len(searched) < first / 4
    sections = project / "content" / "sections.yaml"
    original = sections.read_text(encoding="utf-8")
    edited = original.replace("Same-sex relations are no longer a criminal offence",
                              "Same-sex relations, as Mukashev said, are no longer a "
                              "criminal offence", 1)
    assert edited != original
    sections.write_text(edited, encoding="utf-8")
    searched.clear()
    capsys.readouterr()
    assert main(["validate", "-p", root]) == 1
    assert "people/young-man-uralsk" in capsys.readouterr().err
    assert len([text for text in searched if "Same-sex relations" in text]) == 1
    # A name that is no one's yet, then the person it names: every text again.
    sections.write_text(original.replace(
        "Same-sex relations are no longer", "Bakyt Orazaliyev said same-sex relations are "
        "no longer", 1), encoding="utf-8")
    assert main(["validate", "-p", root]) == 0
    with open(project / "content" / "people.yaml", "a", encoding="utf-8") as people:
        people.write("\n- id: added-later\n  pseudonym: Z.\n  description: a witness\n"
                     "  role: witness\n  name: Bakyt Orazaliyev\n")
    searched.clear()
    capsys.readouterr()
    assert main(["validate", "-p", root]) == 1
    assert "sections.yaml" in (err := capsys.readouterr().err) and "people/added-later" in err
    assert len(searched) >= first


def test_a_clean_text_digest_written_without_the_key_hides_nothing(project, capsys,
                                                                   monkeypatch):
    """Someone who can write to the cache folder, but has not this user's key,
    cannot make a text pass for clean: the digest they can compute is not the
    signed one."""
    import hashlib

    monkeypatch.setenv("SHADOW_REPORT_CACHE", str(project.parent / "cache"))  # its own
    root = str(project)
    assert main(["validate", "-p", root]) == 0
    [kept] = (cache_folder() / "clean-texts").iterdir()
    sections = project / "content" / "sections.yaml"
    original = sections.read_text(encoding="utf-8")
    sections.write_text(original.replace(
        "Same-sex relations are no longer", "Mukashev said same-sex relations are no "
        "longer", 1), encoding="utf-8")
    paragraph = next(line for line in sections.read_text(encoding="utf-8").splitlines()
                     if "Mukashev said" in line).strip()
    forged = [hashlib.sha256(text.encode()).hexdigest() for text in (paragraph, "Mukashev")]
    kept.write_text(kept.read_text() + "\n" + "\n".join(forged))
    capsys.readouterr()
    assert main(["validate", "-p", root]) == 1
    assert "people/young-man-uralsk" in capsys.readouterr().err


def test_the_last_build_says_how_long_each_pdf_takes(project, capsys):
    build(project, capsys, *ONE)
    cache = BuildCache(project / "output")
    assert 0.1 < cache.last_seconds("cedaw-en.pdf") < 300  # shares out the next build
    assert cache.last_seconds("upr-en.pdf") is None  # never built here
    cache.record.editions["cedaw-en.pdf"]["done"] = "not what a build records"
    assert cache.last_seconds("cedaw-en.pdf") is None
