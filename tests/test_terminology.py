"""Terminology: the glossary's names of the mechanisms and documents, used the
same way through the Russian and Kazakh catalogs; a project's glossary over the
shipped one; a project's list patterns."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from test_release import confirm_placeholders

from builder.build import localise
from builder.catalogs import po_path, project_stats, read_catalog
from builder.cli import main
from builder.content import load_content
from builder.terminology import SHIPPED, load_glossary, terms_in, uses

REPO = Path(__file__).resolve().parents[1]


def copy_sample(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for folder in ("content", "locales"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def replace_in(path: Path, old: str, new: str) -> range:
    """Replace ``old`` (once) in a catalog; return the lines of its entry, from
    its msgid to the replaced text (a catalog's reader names one of them)."""
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))
    lines = text[:text.index(old)].splitlines()
    first = max(number for number, line in enumerate(lines, start=1)
                if line.startswith("msgid "))
    return range(first, len(lines) + 1)


def named_line(pattern: str, text: str) -> int:
    """The line number in the first ``path:LINE: ...`` that ``pattern`` finds."""
    found = re.search(pattern, text)
    assert found, text
    return int(found[1])


def test_each_shipped_entry_says_where_its_rendering_comes_from(sample):
    for language in ("ru", "kk"):
        glossary = load_glossary(sample, language)
        assert glossary.problems == []
        assert len(glossary.terms) >= 20
        for term in glossary.terms.values():
            assert term.entry.rendering and term.entry.source, term.entry.term
        # The three mechanisms, their treaties and the documents are all there.
        for name in ("Universal Periodic Review", "Human Rights Committee", "CEDAW",
                     "Committee on the Elimination of Discrimination against Women",
                     "International Covenant on Civil and Political Rights",
                     "Convention on the Elimination of All Forms of Discrimination against "
                     "Women", "concluding observations", "List of Issues", "periodic report",
                     "national report", "State party", "State under review", "Supported",
                     "Noted", "Working Group", "Human Rights Council", "follow-up"):
            assert name.casefold() in glossary.terms, (language, name)
    assert sorted(path.name for path in SHIPPED.glob("*.yaml")) == ["kk.yaml", "ru.yaml"]


def test_the_sample_catalogs_use_the_glossary_terms(sample):
    rows = project_stats(sample, ["ru", "kk"])
    assert [(row.shown, row.terms) for row in rows] == [(row.shown, []) for row in rows]
    # Not for want of terms: the sample's sources hold them in many entries.
    for language in ("ru", "kk"):
        glossary = load_glossary(sample, language)
        found = 0
        for domain in ("content", "shadow-report"):
            path = po_path(sample.locales, language, domain)
            loaded, _ = read_catalog(path, str(path), language)
            found += sum(len(terms_in("\n".join([message.id] if isinstance(message.id, str)
                                                else message.id),
                                      [term for term in glossary.checked
                                       if term.applies(message.context)], "en"))
                         for message in loaded.catalog if message.id)
        assert found > 70, (language, found)


@pytest.mark.parametrize(("language", "english", "translation", "used"), [
    ("ru", "the State party", "государство-участник", True),
    ("ru", "the State party", "государства-участника", True),
    ("ru", "the State party", "государству-участнику", True),
    ("ru", "States parties", "государствами - участниками", True),
    ("ru", "the State party", "государство-член", False),
    ("ru", "a List of Issues", "предварительного перечня вопросов", True),
    ("ru", "a List of Issues", "перечне тем и вопросов", True),
    ("ru", "a List of Issues", "списка вопросов", False),
    ("ru", "the Committee's concluding observations", "заключительных замечаниях", True),
    ("ru", "the Committee's concluding observations", "заключительных выводах", False),
    ("ru", "the CEDAW Committee", "КЛДЖ", True),
    ("ru", "the Human Rights Committee", "Комитету по правам человека", True),
    ("ru", "the Human Rights Committee", "Комитету ООН по правам человека", False),
    ("kk", "the State party", "қатысушы мемлекет", True),
    ("kk", "the State party", "қатысушы мемлекеттің", True),
    ("kk", "the State party", "қатысушы мемлекетке", True),
    ("kk", "the State party", "мүше мемлекет", False),
    ("kk", "the Human Rights Committee", "Адам құқықтары жөніндегі Комитетінің", True),
    ("kk", "the Human Rights Committee", "Адам құқықтары комитетінің", False),
    ("kk", "concluding observations", "қорытынды ескертуінде", True),
    ("kk", "the International Covenant on Civil and Political Rights",
     "Азаматтық және саяси құқықтар туралы халықаралық пактінің", True),
    ("kk", "the UPR", "ӘМШ-ға", True),
    ("kk", "the UPR", "UPR", False),
])
def test_inflected_forms_use_the_term_and_others_do_not(sample, language, english,
                                                        translation, used):
    glossary = load_glossary(sample, language)
    [term] = terms_in(english, glossary.checked, "en")
    assert uses(translation, term, language) is used


def test_only_the_longer_of_two_overlapping_terms_counts_and_symbols_are_not_terms(sample):
    glossary = load_glossary(sample, "ru")
    found = terms_in("shadow reports for the CEDAW Committee (CEDAW/C/KAZ/CO/5) and the "
                     "Supreme Court", glossary.checked, "en")
    assert [term.entry.term for term in found] == [
        "Committee on the Elimination of Discrimination against Women", "shadow report"]
    # A response is a term only where a State's response is given.
    supported = [term for term in glossary.checked if term.applies("sections/x/paragraphs/0")]
    assert terms_in("most comments supported the police", supported, "en") == []
    responses = [term for term in glossary.checked
                 if term.applies("previous-recommendations/x/response_note")]
    assert [term.entry.term for term in terms_in("Not supported; it did not support it",
                                                 responses, "en")] == ["Not supported"]


def test_the_ids_in_references_are_not_terms(sample):
    """[>recommendation], [#follow-up] and the like name entries: their
    words are no glossary term."""
    glossary = load_glossary(sample, "ru")
    for marker in ("[>recommendation]", "[#recommendation]", "[@recommendation]",
                   "[=recommendation]", "[%recommendation]", "[>follow-up]"):
        assert terms_in(f"as shown {marker}.", glossary.checked, "en") == [], marker


def test_a_planted_term_is_listed_with_its_line_and_fails_strict_stats(tmp_path, capsys):
    root = copy_sample(tmp_path)
    locales = root / "locales"
    ru = replace_in(locales / "ru/LC_MESSAGES/content.po",
                    "Намерено ли государство-участник", "Намерено ли государство-член")
    kk = replace_in(locales / "kk/LC_MESSAGES/content.po",
                    '"Қатысушы мемлекет жыныстық', '"Мүше мемлекет жыныстық')
    template = replace_in(locales / "kk/LC_MESSAGES/shadow-report.po",
                          'msgstr "Қатысушы мемлекет"', 'msgstr "Мүше мемлекет"')
    # A correct inflected form planted beside them is not listed.
    replace_in(locales / "ru/LC_MESSAGES/content.po", "Какие меры принимает "
               "государство-участник", "Какие меры принимаются государством-участником")
    assert main(["i18n", "stats", "-p", str(root)]) == 0
    captured = capsys.readouterr()
    rows = {tuple(line.split()[:2]): line.split()[-1] for line in captured.out.splitlines()
            if line.startswith(("ru ", "kk "))}
    assert rows == {("ru", "locales/ru/LC_MESSAGES/shadow-report.po"): "0",
                    ("ru", "locales/ru/LC_MESSAGES/content.po"): "1",
                    ("kk", "locales/kk/LC_MESSAGES/shadow-report.po"): "1",
                    ("kk", "locales/kk/LC_MESSAGES/content.po"): "1"}
    err = captured.err
    assert named_line(r"locales/ru/LC_MESSAGES/content.po:(\d+): warning: translation of "
                      r"sections/legal-framework/questions/0 does not use the glossary's term "
                      r"for 'State party': 'государство-участник' \([^)]*builder/glossary/ru.yaml:"
                      r"\d+\); it reads 'Намерено ли государство-член принять", err) in ru
    assert named_line(r"locales/kk/LC_MESSAGES/content.po:(\d+): warning: translation of "
                      r"sections/legal-framework/questions/0 does not use the glossary's term "
                      r"for 'State party': 'қатысушы мемлекет'", err) in kk
    assert named_line(r"locales/kk/LC_MESSAGES/shadow-report.po:(\d+): warning: translation "
                      r"of 'State party' does not use the glossary's term for 'State party': "
                      r"'қатысушы мемлекет' .*; it reads 'Мүше мемлекет'", err) in template
    assert len(re.findall(r"does not use the glossary's term", err)) == 3
    assert main(["i18n", "stats", "--strict", "-l", "ru", "-p", str(root)]) == 1
    err = capsys.readouterr().err
    assert named_line(r"locales/ru/LC_MESSAGES/content.po:(\d+): translation of", err) in ru
    assert "1 term problem(s)" in err


def test_a_planted_term_is_a_warning_of_the_editions_in_its_language(tmp_path):
    root = copy_sample(tmp_path)
    replace_in(root / "locales/kk/LC_MESSAGES/content.po",
               '"Қатысушы мемлекет жыныстық', '"Мүше мемлекет жыныстық')
    from builder.project import open_project
    project = open_project(root)
    content = load_content(project)
    problems = localise(project, content, "kk").problems
    assert [(problem.severity, "'State party'" in problem.message) for problem in problems] \
        == [("warning", True)]
    assert localise(project, content, "ru").problems == []


def test_a_release_build_refuses_a_term_in_an_edition_for_submission(tmp_path, capsys):
    # The project 'shadow-report new' creates, every fact confirmed: ready for
    # release but for one Russian question that says "State member".
    root = tmp_path / "coalition"
    shutil.copytree(REPO / "builder" / "skeleton", root)
    confirm_placeholders(root, capsys)
    line = replace_in(root / "locales/ru/LC_MESSAGES/content.po",
                      "Какие меры приняло государство-участник", "Какие меры приняло "
                      "государство-член")
    # Russian is accepted by the UPR: the edition must be right, and is not built.
    assert main(["build", "-p", str(root), "-m", "upr", "--strict", "-f", "docx"]) == 1
    err = capsys.readouterr().err
    assert named_line(r"locales/ru/LC_MESSAGES/content.po:(\d+): in upr-ru: translation of "
                      r"sections/example-section/questions/0 does not use the glossary's term "
                      r"for 'State party'", err) in line
    assert "nothing was built" in err


def test_a_project_glossary_replaces_extends_and_switches_off_entries(tmp_path, capsys):
    root = copy_sample(tmp_path)
    (root / "locales" / "glossary").mkdir()
    (root / "locales" / "glossary" / "kk.yaml").write_text(yaml.safe_dump({"terms": [
        # The Ministry of Justice's name of the review, in place of the shipped one.
        {"term": "Universal Periodic Review", "variants": ["UPR"],
         "rendering": "Әмбебап кезеңдік шолу", "allowed": ["ӘКШ"]},
        # A term of this project's own.
        {"term": "Supreme Court", "rendering": "Ең жоғарғы сот"},
        {"term": "State party", "ignore": True},
    ]}, allow_unicode=True))
    replace_in(root / "locales/kk/LC_MESSAGES/content.po",
               '"Қатысушы мемлекет жыныстық', '"Мүше мемлекет жыныстық')
    assert main(["i18n", "stats", "-l", "kk", "-p", str(root)]) == 0
    err = capsys.readouterr().err
    flagged = re.findall(r"does not use the glossary's term for '([^']+)': '([^']+)'"
                         r"(?: \(or [^)]*\))? \(([^)]+)\)", err)
    terms = {term for term, _, _ in flagged}
    assert terms == {"Universal Periodic Review", "Supreme Court"}, err
    assert {(term, rendering, where.split(":")[0]) for term, rendering, where in flagged} == {
        ("Universal Periodic Review", "Әмбебап кезеңдік шолу", "locales/glossary/kk.yaml"),
        ("Supreme Court", "Ең жоғарғы сот", "locales/glossary/kk.yaml")}
    # Both catalogs print the shipped name of the review, which the project replaced.
    assert "locales/kk/LC_MESSAGES/shadow-report.po:" in err
    assert "locales/kk/LC_MESSAGES/content.po:" in err
    # The shipped entries the project did not touch still apply (to Russian too).
    assert load_glossary(open_project_at(root), "kk").terms["human rights committee"].where \
        .startswith(str(SHIPPED / "kk.yaml"))


def open_project_at(root: Path):
    from builder.project import open_project
    return open_project(root)


def test_a_broken_project_glossary_is_reported_where_it_is_wrong(tmp_path, capsys):
    root = copy_sample(tmp_path)
    (root / "locales" / "glossary").mkdir()
    (root / "locales" / "glossary" / "ru.yaml").write_text(
        "terms:\n  - term: State party\n    renderin: государство-участник\n")
    assert main(["i18n", "stats", "-l", "ru", "-p", str(root)]) == 0
    err = capsys.readouterr().err
    assert "locales/glossary/ru.yaml:3:5: terms[0].renderin: unknown field" in err, err
    assert main(["i18n", "stats", "--strict", "-l", "ru", "-p", str(root)]) == 1


# --- list patterns ------------------------------------------------------------------


def test_a_project_list_pattern_changes_the_lists_of_an_edition(tmp_path):
    root = copy_sample(tmp_path)
    report = root / "content" / "report.yaml"
    from builder.build import edition_html
    from builder.mechanisms import MECHANISMS
    from builder.typography import WORD_JOINER
    project = open_project_at(root)

    def case_lists(language: str) -> set[str]:
        content = load_content(project)
        html, _ = edition_html(project, content, localise(project, content, language),
                               MECHANISMS["upr"])
        text = re.sub(r"<[^>]+>", "", html).replace(WORD_JOINER, "")
        return set(re.findall(r"\((?:cases [^)]*|[\d, ]+ (?:және|мен) [^)]*)\)", text))

    before = {"en": case_lists("en"), "kk": case_lists("kk")}
    assert "(cases 10, 11 and 12)" in before["en"]
    assert "(11 және 12-жағдайлар)" in before["kk"]
    report.write_text(report.read_text() + "\nlist_patterns:\n  en:\n    end: \"{0}, and {1}\"\n"
                      "  kk:\n    two: \"{0} мен {1}\"\n")
    after = {"en": case_lists("en"), "kk": case_lists("kk")}
    assert "(cases 10, 11, and 12)" in after["en"] and "(cases 11 and 12)" in after["en"]
    assert "(cases 10, 11 and 12)" not in after["en"]
    # Kazakh keeps the package's "және" before the last of three, and joins two with "мен".
    assert "(10, 11 және 12-жағдайлар)" in after["kk"]
    assert "(11 мен 12-жағдайлар)" in after["kk"] and "(11 және 12-жағдайлар)" not in after["kk"]


@pytest.mark.parametrize(("pattern", "message"), [
    ('"{0} and"', "a list pattern holds {0} and {1}, each once, and no other {...}: "
                  "not '{0} and'"),
    ('"{0}, {1}, {2}"', "a list pattern holds {0} and {1}, each once"),
    ('"{0} <b>and</b> {1}"', "a list pattern is words and punctuation, without <, > or &"),
])
def test_a_list_pattern_needs_both_parts(tmp_path, capsys, pattern, message):
    root = copy_sample(tmp_path)
    report = root / "content" / "report.yaml"
    lines = len(report.read_text().splitlines())
    report.write_text(report.read_text() + f"\nlist_patterns:\n  ru:\n    end: {pattern}\n")
    assert main(["validate", "-p", str(root)]) == 1
    err = capsys.readouterr().err
    assert f"content/report.yaml:{lines + 4}:10: list_patterns.ru.end: {message}" in err, err


def test_a_catalog_checked_clean_is_checked_again_when_it_or_the_glossary_changes(
        tmp_path, capsys, monkeypatch):
    """The glossary check of a catalog found clean is not run again on the same
    catalog, glossaries and package (validate's time); a translation that
    stops using the term, or a glossary that asks for another term, is
    reported all the same."""
    from builder import terminology

    monkeypatch.setenv("SHADOW_REPORT_CACHE", str(tmp_path / "cache"))  # its own verdicts
    root = copy_sample(tmp_path / "project")
    runs = []
    check = terminology.check_catalog
    monkeypatch.setattr(terminology, "check_catalog",
                        lambda *args: runs.append(args[0].shown) or check(*args))
    assert main(["validate", "-p", str(root)]) == 0
    assert len(runs) == 4  # the templates and content catalogs of ru and kk
    runs.clear()
    assert main(["validate", "-p", str(root)]) == 0
    assert runs == []
    catalog = root / "locales" / "ru" / "LC_MESSAGES" / "content.po"
    original = catalog.read_text(encoding="utf-8")
    assert original.count("государство-участник") >= 2
    catalog.write_text(original.replace("государство-участник", "государство-член", 1),
                       encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", "-p", str(root)]) == 0  # a warning, not an error
    assert "does not use the glossary's term for 'State party'" in capsys.readouterr().err
    assert runs == ["locales/ru/LC_MESSAGES/content.po"]
    catalog.write_text(original, encoding="utf-8")
    assert main(["validate", "-p", str(root)]) == 0
    runs.clear()
    glossary = root / "locales" / "glossary" / "ru.yaml"
    glossary.parent.mkdir(parents=True, exist_ok=True)
    glossary.write_text("terms:\n  - term: State party\n    variants: [States parties]\n"
                        "    rendering: государство-сторона\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", "-p", str(root)]) == 0
    assert "does not use the glossary's term for 'State party'" in capsys.readouterr().err
    assert "locales/ru/LC_MESSAGES/content.po" in runs
