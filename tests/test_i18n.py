"""Translation: catalogs, the translator's workflow, fallbacks, integrity, locale formats."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from builder.catalogs import (
    check_entry,
    extract_content,
    po_path,
    read_catalog,
    write_catalog,
)
from builder.cli import main
from builder.content import load_content, texts
from builder.i18n import Language
from builder.model import Official, PartialDate, Verbatim
from builder.terminology import load_glossary, project_glossary
from builder.translate import SourceTranslations, edition_language, template_catalog

REPO = Path(__file__).resolve().parents[1]


def translate_all(path: Path, prefix: str = "RU ") -> None:
    """Fill every entry of a PO file with a marked 'translation' that keeps the markers."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(prefix + message.id[1] for _ in range(3))
        else:
            message.string = prefix + message.id
        message.flags.discard("fuzzy")
    write_catalog(catalog, path)


def po(project, domain="content", language="ru"):
    path = po_path(project.locales, language, domain)
    loaded, problems = read_catalog(path, str(path), language)
    assert loaded is not None, problems
    return path, loaded.catalog


@pytest.fixture
def russian(skeleton_project, capsys):
    """The skeleton project with a fully 'translated' Russian content catalog.

    Its translations are the English marked "RU ", so the names the glossary
    wants in Russian ("State party": государство-участник) are not there: the
    project switches those terms off in its own glossary, as a project can.
    """
    assert main(["i18n", "init", "ru", "-p", str(skeleton_project.root)]) == 0
    translate_all(po_path(skeleton_project.locales, "ru", "content"))
    glossary = project_glossary(skeleton_project, "ru")
    glossary.parent.mkdir(parents=True)
    glossary.write_text("terms:\n" + "".join(
        f"  - {{term: {term.entry.term}, ignore: true}}\n"
        for term in load_glossary(skeleton_project, "ru").terms.values()))
    capsys.readouterr()
    return skeleton_project


def test_extraction_finds_every_translatable_text(sample):
    content = load_content(sample)
    catalog = extract_content(content, sample)
    expected = 0
    for entry in [content.report, *content.people, *content.sources, *content.cases,
                  *content.statistics, *content.sections, *content.recommendations,
                  *content.previous]:
        if getattr(entry, "confidential", False) is True:
            continue  # never sent to translators
        # A text printed as written (a symbol) is sent only while it is a placeholder,
        # whose words every edition prints; an official title in a language, never.
        expected += sum(1 for _, text in texts(entry) if not isinstance(text, Official)
                        and (not isinstance(text, Verbatim) or "[TBC:" in text))
    assert len(catalog) == expected
    first = content.sections[0]
    message = catalog.get(first.paragraphs[1], f"sections/{first.id}/paragraphs/1")
    assert message is not None
    assert message.locations[0][0] == "content/sections.yaml"
    assert any("citation" in comment for comment in message.auto_comments)
    # A publication's title is offered, saying how its translation is shown.
    title = catalog.get(content.sources[0].title, f"sources/{content.sources[0].id}/title")
    assert any("in brackets after the title as published" in comment
               for comment in title.auto_comments)


def test_init_writes_plural_forms_for_the_language(skeleton_project):
    assert main(["i18n", "init", "kk", "-p", str(skeleton_project.root)]) == 0
    _, catalog = po(skeleton_project, language="kk")
    assert catalog.num_plurals == 2
    assert main(["i18n", "init", "ru", "-p", str(skeleton_project.root)]) == 0
    _, catalog = po(skeleton_project, language="ru")
    assert catalog.num_plurals == 3


def test_an_edited_paragraph_becomes_fuzzy_and_falls_back(russian, capsys):
    root = russian.root
    sections = russian.content / "sections.yaml"
    sections.write_text(sections.read_text().replace("held without access", "held without "
                                                     "any access"))
    assert main(["i18n", "update", "-p", str(root)]) == 0
    assert "1 fuzzy (source changed)" in capsys.readouterr().out
    _, catalog = po(russian)
    context = "sections/example-section/paragraphs/0"
    message = next(m for m in catalog if m.context == context)
    assert message.fuzzy
    assert "held without access" in message.previous_id[0]  # "#| msgid" for Weblate/Poedit
    assert message.string.startswith("RU ") and "held without access" in message.string

    # A normal build shows the English text, tinted, and lists it for the PDF ...
    assert main(["build", "-p", str(root), "-m", "iccpr", "-l", "ru"]) == 0
    err = capsys.readouterr().err
    assert "output/iccpr-ru.pdf: " in err and "shown untranslated" in err
    content_fallbacks = [line for line in err.splitlines() if "content.po: " in line]
    assert content_fallbacks == [f"  locales/ru/LC_MESSAGES/content.po: {context} (fuzzy)"]
    # ... and a strict build refuses, naming the entry.
    assert main(["build", "-p", str(root), "-m", "iccpr", "-l", "ru", "--strict"]) == 1
    assert f"iccpr-ru.pdf: no usable translation: locales/ru/LC_MESSAGES/content.po: " \
           f"{context} (fuzzy)" in capsys.readouterr().err


def test_update_never_loses_a_translation(russian, capsys):
    path, before = po(russian)
    translations = {m.string for m in before if m.id}
    (russian.content / "statistics.yaml").write_text("[]\n")  # a whole file gone
    report = russian.content / "report.yaml"
    report.write_text(report.read_text().replace("[=example-figure] women", "women"))
    assert main(["i18n", "update", "-p", str(russian.root)]) == 0
    _, after = po(russian)
    kept = {m.string for m in after if m.id} | {m.string for m in after.obsolete.values()}
    assert translations <= kept
    assert any(m.context == "statistics/example-figure/label" for m in after.obsolete.values())
    assert "#~ msgctxt \"statistics/example-figure/label\"" in path.read_text()


def test_update_with_nothing_to_do_leaves_every_file_untouched(russian, capsys):
    """A catalog open in Poedit is not reported as changed on disk, and a
    build does not lay out its language again."""
    assert main(["i18n", "update", "-p", str(russian.root)]) == 0
    files = sorted(russian.locales.rglob("*.po*"))
    before = {path: path.stat().st_mtime_ns for path in files}
    for path in files:
        os.utime(path, ns=(before[path] - 10**9, before[path] - 10**9))
    assert main(["i18n", "update", "-p", str(russian.root)]) == 0
    assert "no change" in capsys.readouterr().out
    assert {path: path.stat().st_mtime_ns for path in files} == \
        {path: before[path] - 10**9 for path in files}


def test_stats_count_and_strict(russian, capsys):
    root = str(russian.root)
    assert main(["i18n", "stats", "-p", root, "--strict"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"ru +locales/ru/LC_MESSAGES/content.po +(\d+)/\1 +0 +0 +0", out)
    path, catalog = po(russian)
    message = next(m for m in catalog if m.id)
    message.flags.add("fuzzy")
    write_catalog(catalog, path)
    assert main(["i18n", "stats", "-p", root, "--strict"]) == 1
    assert re.search(r"content.po +\d+/\d+ +1 +0 +0", capsys.readouterr().out)


@pytest.mark.parametrize(("broken", "message"), [
    ("RU [TBC: a paragraph] [@exemple-source]. See [#example-case].",
     "changes its references: source has [#example-case], [@example-source], "
     "translation has [#example-case], [@exemple-source]"),
    ("RU *emphasis [@example-source]. See [#example-case].",
     "* opened here is never closed"),
    # A hurried translator drops the placeholder: an unconfirmed fact as a fact.
    ("RU a paragraph [@example-source]. See [#example-case].",
     "leaves out 1 [TBC: ...] placeholder(s) of the source"),
])
def test_a_broken_translation_is_located_and_never_used(russian, capsys, broken, message):
    path = po_path(russian.locales, "ru", "content")
    lines = path.read_text().splitlines()
    context = lines.index('msgctxt "sections/example-section/paragraphs/0"')
    msgid = next(i for i in range(context, len(lines)) if lines[i].startswith("msgid"))
    msgstr = next(i for i in range(context, len(lines)) if lines[i].startswith("msgstr"))
    end = msgstr + 1
    while end < len(lines) and lines[end].startswith('"'):
        end += 1
    lines[msgstr:end] = [f'msgstr "{broken}"']
    path.write_text("\n".join(lines) + "\n")
    main(["i18n", "stats", "-p", str(russian.root), "-l", "ru"])
    assert f"locales/ru/LC_MESSAGES/content.po:{msgid + 1}: translation of " \
           f"sections/example-section/paragraphs/0" in capsys.readouterr().err
    assert main(["build", "-p", str(russian.root), "-m", "iccpr", "-l", "ru"]) == 0
    err = capsys.readouterr().err
    assert message in err
    assert "sections/example-section/paragraphs/0 (broken)" in err


def test_plural_forms_are_counted(tmp_path):
    path = tmp_path / "x.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && '
        'n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
        'msgid "case %(numbers)s"\nmsgid_plural "cases %(numbers)s"\n'
        'msgstr[0] "случай %(numbers)s"\nmsgstr[1] "случая %(numbers)s"\n',
        encoding="utf-8")
    loaded, problems = read_catalog(path, "locales/ru/LC_MESSAGES/shadow-report.po", "ru")
    assert [str(p) for p in problems] == [
        "locales/ru/LC_MESSAGES/shadow-report.po:6: plural entry 'case %(numbers)s' has 2 "
        "translated forms; ru needs 3"]
    assert loaded.lookup(("case %(numbers)s", "cases %(numbers)s")) is None


def test_po_syntax_errors_are_located_one_based(tmp_path):
    path = tmp_path / "bad.po"
    path.write_text('msgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstrx "d"\n')
    loaded, problems = read_catalog(path, "locales/ru/LC_MESSAGES/content.po", "ru")
    assert loaded is None
    assert [str(p) for p in problems] == [
        "locales/ru/LC_MESSAGES/content.po:5: PO syntax error: Unknown or misformatted keyword"]


def test_a_catalog_that_cannot_be_read_stops_update_before_any_file_is_written(russian,
                                                                               capsys):
    """A PO syntax error in the last catalog read: update writes no file (not
    the template, not the catalogs before it), and its last line says so,
    where it said "nothing was built"; validate's says what it found."""
    root = russian.root
    assert main(["i18n", "init", "kk", "-p", str(root)]) == 0
    sections = russian.content / "sections.yaml"
    sections.write_text(sections.read_text().replace("[@example-source]", "[@example-source] "
                                                     "A new sentence to translate."))
    ru = po_path(russian.locales, "ru", "content")  # read after kk's
    ru.write_text(ru.read_text() + '\nmsgid "c"\nmsgstrx "d"\n')
    before = {path: path.read_bytes() for path in russian.locales.rglob("*.po*")}
    capsys.readouterr()
    assert main(["i18n", "update", "-p", str(root)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert "PO syntax error" in err[0] and err[-1] == "1 error(s); no catalog was written."
    assert {path: path.read_bytes() for path in russian.locales.rglob("*.po*")} == before
    (russian.content / "cases.yaml").write_text("cases: [")
    assert main(["validate", "-p", str(root)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == "1 error(s)."


@pytest.mark.parametrize("path", sorted(REPO.glob("locales/*/LC_MESSAGES/*.po")),
                         ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_shipped_catalog_passes_msgfmt_check(path):
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)


# Month names in lowercase wherever they stand, also alone (CLDR's stand-alone
# Kazakh month is "Мамыр"); a Kazakh year before its month as "2021 жылғы", as
# the Kazakh catalogs write it, not CLDR's "2021 ж.".
@pytest.mark.parametrize(("code", "day", "month", "month_day", "month_alone", "number",
                          "percent", "listed"), [
    ("en", "29 May 2021", "May 2021", "29 May", "May", "62,000", "48%", "1, 2 and 3"),
    ("ru", "29 мая 2021\u202fг.", "май 2021\u202fг.", "29 мая", "май", "62\xa0000", "48\xa0%",
     "1, 2 и 3"),
    ("kk", "2021 жылғы 29 мамыр", "2021 жылғы мамыр", "29 мамыр", "мамыр", "62\xa0000",
     "48%", "1, 2 және 3"),
])
def test_dates_numbers_and_lists_in_each_language(code, day, month, month_day, month_alone,
                                                  number, percent, listed):
    language = Language(code, SourceTranslations())
    assert language.date(PartialDate(2021, 5, 29)) == day
    assert language.date(date(2021, 5, 29)) == day
    assert language.date(PartialDate(2021, 5)) == month
    assert language.date(PartialDate(None, 5, 29)) == month_day
    assert language.date(PartialDate(None, 5)) == month_alone
    assert language.number(62000) == number
    assert language.number(48, percent=True) == percent
    # A percentage keeps its decimals: never 9.5 printed as 10 %.
    assert language.number(9.5, percent=True) == percent.replace("48", "9" + (
        "." if code == "en" else ",") + "5")
    assert language.list(["1", "2", "3"]) == listed


def test_a_project_drafted_in_russian_builds_english_from_its_catalog(skeleton_project, capsys):
    root = skeleton_project.root
    report = skeleton_project.content / "report.yaml"
    report.write_text(report.read_text().replace(
        "source_language: en", "source_language: ru\nlanguages: [ru, en]"))
    assert main(["i18n", "init", "en", "-p", str(root)]) == 0
    translate_all(po_path(skeleton_project.locales, "en", "content"), prefix="EN ")
    capsys.readouterr()
    assert main(["build", "-p", str(root), "-m", "upr", "--strict", "--jobs", "1"]) == 1
    capsys.readouterr()  # strict: the skeleton's placeholders
    assert main(["build", "-p", str(root), "-m", "upr"]) == 0
    out = capsys.readouterr().out
    assert "output/upr-ru.pdf" in out and "output/upr-en.pdf" in out
    english = subprocess.run(["pdftotext", str(root / "output/upr-en.pdf"), "-"],
                             capture_output=True, text=True, check=True).stdout
    assert "EN [TBC: State under review]" in " ".join(english.split())


@pytest.mark.parametrize(("code", "indexes"), [("ru", {1: 0, 2: 1, 5: 2, 11: 2, 21: 0, 22: 1}),
                                               ("kk", {1: 0, 2: 1, 5: 1, 21: 1})])
def test_plural_forms_follow_the_catalog_rule(sample, code, indexes):
    catalog, problems = template_catalog(sample, code)
    assert problems == []
    language = edition_language(sample, code, catalog)
    translations = language.translations
    assert {n: translations._plural_index(n) for n in indexes} == indexes
    phrase = language.ngettext("case %(numbers)s", "cases %(numbers)s", 2)
    assert "%(numbers)s" in phrase and phrase != "cases %(numbers)s"
    assert translations.fallbacks == []


@pytest.mark.parametrize("project", [REPO, REPO / "tests" / "reports" / "second"])
def test_the_shipped_catalogs_are_what_update_writes(project, capsys):
    # The CI gate a release manager runs: exit 1 if any catalog is stale.
    assert main(["i18n", "update", "--check", "-p", str(project)]) == 0, capsys.readouterr()


def test_a_stale_catalog_fails_both_gates_entry_by_entry(tmp_path, capsys):
    root = tmp_path / "project"
    for folder in ("content", "locales"):
        shutil.copytree(REPO / folder, root / folder)
    sections = root / "content" / "sections.yaml"
    sections.write_text(sections.read_text().replace("or hate crimes", "or hate-motivated crimes"))
    catalogs = {path: path.read_bytes() for path in (root / "locales").rglob("*.po*")}
    assert main(["i18n", "stats", "--strict", "-p", str(root)]) == 1
    err = capsys.readouterr().err
    for code in ("ru", "kk"):
        assert (f"content/sections.yaml:30: error: stale in locales/{code}/LC_MESSAGES/"
                "content.po: 'sections/legal-framework/title': fuzzy (source changed)") in err
    assert main(["i18n", "update", "--check", "-p", str(root)]) == 1
    out = capsys.readouterr().out
    assert "locales/ru/LC_MESSAGES/content.po: would change: 1 fuzzy (source changed)" in out
    assert {path: path.read_bytes() for path in catalogs} == catalogs  # --check writes nothing
    assert main(["i18n", "update", "-p", str(root)]) == 0
    assert main(["i18n", "update", "--check", "-p", str(root)]) == 0
    capsys.readouterr()
    # Now stale no more, but fuzzy: still not complete for a release.
    assert main(["i18n", "stats", "--strict", "-p", str(root)]) == 1
    assert "stale" not in capsys.readouterr().err


@pytest.mark.parametrize(("source", "translation", "broken"), [
    ("Contents", "Содержание (100 % sure)", True),  # "% s" formats silently: "100 {}ure"
    ("Contents", "Содержание %s", True),
    ("Page %(page)s", "Страница %(page)d %", True),
    ("Contents", "Содержание (100 %% текста)", False),
    ("Page %(page)s", "Страница %(page)s", False),
])
def test_every_stray_percent_sign_of_a_template_string_is_broken(source, translation, broken):
    problems = check_entry(Message(source, translation), Catalog(locale="ru"))
    assert any("has a % that is not a placeholder" in p for p in problems) == broken


@pytest.mark.parametrize(("translation", "said"), [
    ("Б %(state) и %(count)s", "has %(state) that is not a placeholder: write %(state)s as in "
                               "the English text"),
    ("Б %(stat)s и %(count)s", "has %(stat)s, which the English text does not have: it has "
                               "%(count)s, %(state)s"),
    ("Б %(stat) и %(count)s", "has %(stat) that is not a placeholder: the English text has "
                              "%(count)s, %(state)s (write %% for a percent sign)"),
])
def test_a_long_source_is_quoted_up_to_the_end_of_its_placeholder(translation, said):
    """A source longer than 60 characters is quoted to the end of the
    placeholder the 60th falls in, then "…": never "... of %(sta"."""
    source = "Submission of the organisations to the periodic review of %(state)s, " \
             "with %(count)s annexes"
    problems = check_entry(Message(source, translation), Catalog(locale="ru"))
    quoted = "'Submission of the organisations to the periodic review of %(state)s'…"
    assert len(problems) == 1 and problems[0].startswith(f"translation of {quoted} {said}"), \
        problems


def test_a_translated_title_follows_the_title_as_published(tmp_path, capsys):
    from conftest import edition_html

    from builder.project import open_project

    root = tmp_path / "project"
    root.mkdir()
    for part in ("content", "locales"):
        shutil.copytree(REPO / part, root / part)
    project = open_project(root)
    html = edition_html(project, "upr-ru")
    # cited as published, its translation in brackets; the publisher translated
    assert "<cite>Gay Rights Violated in Kazakhstan</cite> [Нарушение прав геев в Казахстане]" \
        in html
    assert "Организация Объединённых Наций, Совет по правам человека" in html
    assert "<cite>Gay Rights Violated in Kazakhstan</cite>, IWPR" in edition_html(project, "upr-en")

    # A translator who copies a title unchanged keeps it as published, alone.
    path = root / "locales/ru/LC_MESSAGES/content.po"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('msgstr "Нарушение прав геев в Казахстане"',
                                 'msgstr "Gay Rights Violated in Kazakhstan"'), encoding="utf-8")
    html = edition_html(project, "upr-ru")
    assert "<cite>Gay Rights Violated in Kazakhstan</cite>, IWPR" in html

    # A publication in the edition's own language needs no translation: it is
    # cited as published even with its entry left empty.
    sources = root / "content/sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace(
        "  url: https://iwpr.net/global-voices/gay-rights-violated-kazakstan\n  language: en",
        "  url: https://iwpr.net/global-voices/gay-rights-violated-kazakstan\n  language: ru"),
        encoding="utf-8")
    path.write_text(text.replace('msgstr "Нарушение прав геев в Казахстане"', 'msgstr ""'),
                    encoding="utf-8")
    html = edition_html(project, "upr-ru")
    assert "<cite>Gay Rights Violated in Kazakhstan</cite>, IWPR" in html
    assert "Нарушение прав геев" not in html
    # Its author and note, which the drafter wrote in English, are translated.
    assert "Ербол Джумагулов, <cite>Gay Rights Violated in Kazakhstan</cite>" in html
    assert "Erbol Jumagulov" not in html
