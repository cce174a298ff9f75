"""What content can say to each mechanism: texts given per mechanism, references
to sections, key figures per mechanism, chapters printed only with a body, and
placeholders marked (and translated) wherever they are printed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import edition_html, english_skeleton

from builder.catalogs import extract_content
from builder.cli import main
from builder.content import load_content
from builder.errors import ValidationFailed
from builder.i18n import Language
from builder.mechanisms import ICCPR, MECHANISMS
from builder.plan import plan_report
from builder.project import open_project
from builder.render import render_html
from builder.translate import SourceTranslations

ENGLISH = Language("en", SourceTranslations())

# A second section, filed under other chapters than the skeleton's one
# (UPR: life-liberty-security; CEDAW: art. 7; ICCPR: arts. 9 and 21).
SECOND_SECTION = """
- id: second-section
  title: Stereotypes in schools
  upr: [education]
  cedaw: [5]
  iccpr: [26]
  paragraphs:
    - A paragraph of the second section [@example-source].
"""


def project(tmp_path: Path, **files: str):
    """The skeleton project in English, with ``files`` (stem -> YAML text) added
    at the end of its content files, or in their place if the text starts with "!"."""
    root = english_skeleton(tmp_path / "project")
    for stem, text in files.items():
        path = root / "content" / f"{stem}.yaml"
        if text.startswith("!"):
            path.write_text(text[1:])
        else:
            path.write_text(path.read_text() + text)
    return open_project(root)


def html_of(project_, mechanism: str) -> str:
    content = load_content(project_)
    return render_html(plan_report(content, MECHANISMS[mechanism]), ENGLISH, project_)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def errors(project_) -> list[str]:
    """The errors validation finds in a project's content."""
    with pytest.raises(ValidationFailed) as failed:
        load_content(project_)
    return [str(p) for p in failed.value.problems if p.severity == "error"]


def replace_in(project_, stem: str, old: str, new: str) -> None:
    path = project_.content / f"{stem}.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


# --- texts given per mechanism ---------------------------------------------------------


SUMMARY_VARIANTS = ("    This example shows how each part of a shadow report is written;"
                    " its case,")


def with_variants(tmp_path: Path):
    result = project(tmp_path)
    replace_in(result, "report", "summary:                    # the executive summary, one "
               "entry per paragraph\n  - >\n" + SUMMARY_VARIANTS,
               "summary:\n"
               "  - upr: This submission is to the Universal Periodic Review.\n"
               "    cedaw: This alternative report is to the CEDAW Committee.\n"
               "    default: This submission is to a treaty body.\n"
               "  - mechanisms: [iccpr]\n"
               "    default: Only the Human Rights Committee reads this.\n"
               "  - >\n" + SUMMARY_VARIANTS)
    replace_in(result, "sections", "      A second paragraph explains why",
               "      A second paragraph [§example-section] explains why")
    replace_in(result, "sections", '  title: "Example section: detention of women human '
               'rights defenders"',
               "  title:\n    default: Detention of defenders\n"
               "    cedaw: Detention of women human rights defenders")
    return result


def test_each_report_prints_its_own_version_of_a_text(tmp_path):
    sample = with_variants(tmp_path)
    upr, cedaw, iccpr = (text_of(html_of(sample, key)) for key in ("upr", "cedaw", "iccpr"))
    assert "1.This submission is to the Universal Periodic Review." in upr
    assert "1.This alternative report is to the CEDAW Committee." in cedaw
    assert "1.This submission is to a treaty body." in iccpr
    # A text limited to one mechanism: in its report only, numbered there.
    assert "2.Only the Human Rights Committee reads this." in iccpr
    assert "Only the Human Rights Committee" not in upr + cedaw
    assert "2.This example shows how" in upr and "2.This example shows how" in cedaw
    for other in ("Universal Periodic Review.", "CEDAW Committee.", "a treaty body."):
        assert sum(other in report for report in (upr, cedaw, iccpr)) == 1
    # A title given per mechanism is the section's title in its heading, the
    # contents and the references to it.
    assert "Detention of women human rights defenders" in cedaw
    assert "Detention of women human rights defenders" not in upr + iccpr
    assert upr.count("Detention of defenders") >= 2


def test_texts_given_per_mechanism_reach_the_translators_with_their_mechanism(tmp_path):
    sample = with_variants(tmp_path)
    catalog = extract_content(load_content(sample), sample)
    cedaw = catalog.get("This alternative report is to the CEDAW Committee.",
                        "report/summary/0/cedaw")
    assert "The CEDAW report's own version of this text, printed only there" in \
        cedaw.auto_comments
    default = catalog.get("This submission is to a treaty body.", "report/summary/0/default")
    assert "The default version of a text given per mechanism, printed in the ICCPR " \
           "report" in default.auto_comments
    limited = catalog.get("Only the Human Rights Committee reads this.",
                          "report/summary/1/default")
    assert "printed in the ICCPR report" in " ".join(limited.auto_comments)
    title = catalog.get("Detention of defenders", "sections/example-section/title/default")
    assert "printed in the UPR and ICCPR reports" in " ".join(title.auto_comments)


def test_a_translated_version_is_printed_in_its_mechanism(tmp_path):
    sample = with_variants(tmp_path)
    assert main(["i18n", "init", "ru", "-p", str(sample.root)]) == 0
    po = sample.locales / "ru" / "LC_MESSAGES" / "content.po"
    text = po.read_text()
    text = text.replace('msgid "This alternative report is to the CEDAW Committee."\n'
                        'msgstr ""', 'msgid "This alternative report is to the CEDAW '
                        'Committee."\nmsgstr "Альтернативный доклад Комитету."')
    po.write_text(text)
    assert "Альтернативный доклад Комитету." in edition_html(sample, "cedaw-ru")
    assert "Альтернативный доклад Комитету." not in edition_html(sample, "upr-ru")


@pytest.mark.parametrize(("yaml", "message"), [
    ("  - cedow: A version.\n    default: The rest.\n",
     "content/report.yaml:{line}:5: summary[1].cedow: unknown mechanism 'cedow' in a text "
     "given per mechanism (write default, upr, cedaw, iccpr, or mechanisms: [...]) (did you "
     "mean 'cedaw'?)"),
    ("  - mechanisms: [upr, icpr]\n    default: The rest.\n",
     "content/report.yaml:{line}:23: summary[1].mechanisms[1]: unknown mechanism 'icpr' "
     "(did you mean 'iccpr'?); mechanisms: upr, cedaw, iccpr"),
    ("  - mechanisms: [upr]\n",
     "content/report.yaml:{line}:5: summary[1]: give the text: default: for every report, or "
     "upr:, cedaw:, iccpr: for each report's own version"),
    ("  - mechanisms: [upr]\n    cedaw: A version for a report that is left out.\n",
     "content/report.yaml:{line}:5: summary[1]: cedaw: a version for a report that "
     "'mechanisms' leaves out (mechanisms: upr)"),
])
def test_a_wrong_text_given_per_mechanism_is_a_located_error(tmp_path, capsys, yaml, message):
    sample = project(tmp_path)
    report = sample.content / "report.yaml"
    lines = report.read_text().splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.startswith("methodology:"))
    report.write_text("".join(lines[:at - 1] + [yaml] + lines[at - 1:]))
    assert main(["validate", "--project", str(sample.root)]) == 1
    err = capsys.readouterr().err
    assert message.format(line=at) in err.splitlines()
    assert "Traceback" not in err


def test_a_required_text_needs_a_version_for_every_mechanism(tmp_path):
    sample = project(tmp_path)
    replace_in(sample, "sections", '  title: "Example section: detention of women human '
               'rights defenders"', "  title:\n    cedaw: Only for CEDAW")
    assert errors(sample) == [
        "content/sections.yaml:18:5: sections[0].title: every report needs this text: give "
        "default:, or a version for each of upr, cedaw and iccpr, and no mechanisms: list"]


# --- references to sections -------------------------------------------------------------


def test_a_section_reference_prints_its_chapter_and_title_linked(tmp_path):
    sample = project(tmp_path, sections=SECOND_SECTION)
    # A reference before the section (forward) and after it.
    replace_in(sample, "sections", "      A second paragraph explains why",
               "      A second paragraph [§second-section] explains why")
    replace_in(sample, "sections", "    - A paragraph of the second section",
               "    - A paragraph of the second section [§example-section]")
    html = html_of(sample, "cedaw")
    chapters = dict(re.findall(
        r'<h2 id="chapter-([^"]+)"[^>]*><span class="chapter-num">([IVX]+)\.', html))
    # CEDAW: art. 5 (the second section) comes before art. 7 (the example).
    assert chapters == {"art-5": "III", "art-7": "IV"}
    assert ('(<a class="section-ref" href="#s-second-section">see chapter III, “Stereotypes '
            'in schools”</a>)') in html
    assert ('(<a class="section-ref" href="#s-example-section">see chapter IV, “Example '
            'section: detention of women human rights defenders”</a>)') in html
    # In the UPR report the same reference reads its own chapter number.
    upr = html_of(sample, "upr")
    number = re.search(r'<h2 id="chapter-education"[^>]*><span class="chapter-num">'
                       r'([IVX]+)\.', upr)[1]
    assert f"see chapter {number}, “Stereotypes in schools”" in upr


def test_a_section_reference_is_printed_in_the_editions_language(tmp_path):
    sample = project(tmp_path, sections=SECOND_SECTION)
    replace_in(sample, "sections", "      A second paragraph explains why",
               "      A second paragraph [§second-section] explains why")
    assert main(["i18n", "init", "ru", "-p", str(sample.root)]) == 0
    text = text_of(edition_html(sample, "iccpr-ru"))
    # Untranslated content stays English; the reference's words are Russian.
    assert re.search(r"\(см\. главу [IVX]+ «Stereotypes in schools»\)", text)
    assert main(["i18n", "init", "kk", "-p", str(sample.root)]) == 0
    text = text_of(edition_html(sample, "iccpr-kk"))
    assert re.search(r"\(«Stereotypes in schools», [IVX]+ тарауды қараңыз\)", text)


def test_section_references_side_by_side_are_one_parenthesis_in_chapter_order(tmp_path):
    """"[§b] [§a]" read "(see chapter VI, …) (see chapter III, …)" in a report
    written from the README alone: one parenthesis now, in the order the
    chapters are printed, in each edition's language."""
    sample = project(tmp_path, sections=SECOND_SECTION)
    replace_in(sample, "sections", "      A second paragraph explains why",
               "      A second paragraph [§example-section] [§second-section] explains why")
    text = text_of(html_of(sample, "cedaw"))
    assert ("(see chapter III, “Stereotypes in schools” and chapter IV, “Example section: "
            "detention of women human rights defenders”)") in text
    assert main(["i18n", "init", "ru", "-p", str(sample.root)]) == 0
    assert re.search(r"\(см\. главу III «Stereotypes in schools» и главу IV «Example",
                     text_of(edition_html(sample, "cedaw-ru")))
    assert main(["i18n", "init", "kk", "-p", str(sample.root)]) == 0
    assert re.search(r"\(«Stereotypes in schools», III тарауды және «Example section: "
                     r"detention of women human rights defenders», IV тарауды қараңыз\)",
                     text_of(edition_html(sample, "cedaw-kk")))


def test_a_reference_to_a_section_an_edition_leaves_out_is_a_located_warning(tmp_path):
    sample = project(tmp_path, sections=SECOND_SECTION.replace("  cedaw: [5]\n", ""))
    replace_in(sample, "sections", "      A second paragraph explains why",
               "      A second paragraph [§second-section] explains why")
    content = load_content(sample)
    assert [str(p) for p in content.warnings if "second-section" in p.message] == [
        "content/sections.yaml:28:26: warning: sections[0].paragraphs[1]: refers to the "
        "section 'second-section', which the CEDAW report leaves out: the reference is not "
        "printed there"]
    assert "second-section" not in html_of(sample, "cedaw")
    assert "Stereotypes in schools" in text_of(html_of(sample, "iccpr"))


def test_a_reference_in_a_version_is_checked_where_that_version_is_printed(tmp_path):
    sample = project(tmp_path, sections=SECOND_SECTION.replace("  cedaw: [5]\n", ""))
    replace_in(sample, "sections", "    - >\n      A second paragraph explains why",
               "    - upr: The UPR's version [§second-section].\n"
               "      cedaw: The CEDAW version [§second-section].\n"
               "    - >\n      A second paragraph explains why")
    warnings = [str(p) for p in load_content(sample).warnings if "second-section" in p.message]
    assert warnings == [
        "content/sections.yaml:28:32: warning: sections[0].paragraphs[1].cedaw: refers to the "
        "section 'second-section', which the CEDAW report leaves out: the reference is not "
        "printed there"]


def test_an_unknown_section_is_a_located_error(tmp_path):
    sample = project(tmp_path)
    replace_in(sample, "sections", "      A second paragraph explains why",
               "      A second paragraph [§example-sectoin] explains why")
    assert errors(sample) == [
        "content/sections.yaml:28:26: sections[0].paragraphs[1]: no section with id "
        "'example-sectoin' (did you mean 'example-section'?)"]


# --- key figures per mechanism ---------------------------------------------------------------


def test_key_figures_list_only_the_figures_of_the_mechanism(tmp_path):
    sample = project(tmp_path, statistics="""
- id: upr-only-figure
  label: A figure for the UPR and the Human Rights Committee
  value: 7
  source: example-source
  mechanisms: [upr, iccpr]
""")
    figures = {key: re.search(r'<table class="figures">.*?</table>', html_of(sample, key),
                              re.S)[0] for key in MECHANISMS}
    assert "A figure for the UPR" in figures["upr"] and "A figure for the UPR" in \
        figures["iccpr"]
    assert "A figure for the UPR" not in figures["cedaw"]
    # A figure without mechanisms is in every report's key figures.
    assert all("an example figure" in table for table in figures.values())


# --- chapters with a body only ----------------------------------------------------------------


def test_a_chapter_with_only_a_see_also_line_is_left_out(tmp_path):
    # The example section is tagged UPR: life-liberty-security, then education;
    # education gets a recommendation but no section of its own.
    sample = project(tmp_path, recommendations="""
- id: education-recommendation
  text: Train teachers.
  upr: [education]
  cedaw: [10]
""")
    replace_in(sample, "sections", "  upr: [life-liberty-security]",
               "  upr: [life-liberty-security, education]")
    replace_in(sample, "sections", "  cedaw: [7]", "  cedaw: [7, 11]")
    content = load_content(sample)
    upr = plan_report(content, MECHANISMS["upr"])
    assert [c.chapter.key for c in upr.chapters] == ["life-liberty-security"]
    # The UPR prints its recommendations together: still under their chapter.
    assert [c.chapter.key for c in upr.recommendation_chapters] == [
        "life-liberty-security", "education"]
    html = html_of(sample, "upr")
    assert 'id="chapter-education"' not in html
    assert '<h3 id="rec-education" class="rec-group">Right to education</h3>' in html
    # CEDAW prints recommendations in their chapter: art. 10 is printed for
    # its recommendation; art. 11 has nothing but a "see also" line.
    cedaw = plan_report(content, MECHANISMS["cedaw"])
    assert [c.chapter.key for c in cedaw.chapters] == ["art-7", "art-10"]
    assert "Employment" not in text_of(html_of(sample, "cedaw"))


# --- placeholders -----------------------------------------------------------------------------


def test_placeholders_in_small_print_are_marked(tmp_path):
    sample = project(tmp_path)
    html = html_of(sample, "upr")
    follows = re.search(r'<span class="rec-follows">.*?</span>', html, re.S)[0]
    # Around the link to the previous recommendation, not inside it (its tagging).
    assert ('<mark class="tbc"><a class="prev-ref" href="#prev-example-previous">[TBC: 123.45]'
            '</a></mark>') in follows
    assert '<mark class="tbc">[TBC: recommending State]</mark>' in follows


def test_placeholders_are_labelled_in_the_editions_language(tmp_path):
    sample = project(tmp_path)
    assert main(["i18n", "init", "ru", "-p", str(sample.root)]) == 0
    html = edition_html(sample, "upr-ru")
    marks = [text_of(mark) for mark in re.findall(r'<mark class="tbc">(.*?)</mark>', html)]
    assert marks and all(mark.startswith("[уточнить: ") for mark in marks)
    assert "[TBC" not in text_of(html)
    assert main(["i18n", "init", "kk", "-p", str(sample.root)]) == 0
    marks = [text_of(mark) for mark in re.findall(r'<mark class="tbc">(.*?)</mark>',
                                                   edition_html(sample, "upr-kk"))]
    assert marks and all(mark.startswith("[нақтылау: ") for mark in marks)


def test_a_placeholder_in_a_text_printed_as_written_is_translated(tmp_path):
    sample = project(tmp_path)
    replace_in(sample, "previous-recommendations", 'number: "[TBC: 123.45]"',
               'number: "[TBC: paragraph]"')
    catalog = extract_content(load_content(sample), sample)
    number = catalog.get("[TBC: paragraph]", "previous-recommendations/example-previous/number")
    assert "translate only the words of its placeholder" in " ".join(number.auto_comments)
    assert main(["i18n", "init", "ru", "-p", str(sample.root)]) == 0
    po = sample.locales / "ru" / "LC_MESSAGES" / "content.po"
    po.write_text(po.read_text().replace('msgid "[TBC: paragraph]"\nmsgstr ""',
                                         'msgid "[TBC: paragraph]"\nmsgstr "[TBC: пункт]"'))
    assert "[уточнить: пункт]" in text_of(edition_html(sample, "upr-ru"))
    # Once filled in, it is printed as written: never sent to translators.
    replace_in(sample, "previous-recommendations", 'number: "[TBC: paragraph]"',
               'number: "123.45"')
    catalog = extract_content(load_content(sample), sample)
    assert not [m for m in catalog if m.context and m.context.endswith("example-previous/number")]


# --- the ICCPR's groups ---------------------------------------------------------------------


def test_no_iccpr_chapter_claims_article_1_but_self_determination():
    framework = next(c for c in ICCPR.chapters if c.key == "framework")
    assert framework.articles == (2,)
    assert ICCPR.chapter_for(1).title == "Right to self-determination"
    assert [c.key for c in ICCPR.chapters if 1 in c.articles] == ["self-determination"]


def test_the_iccpr_framework_chapter_cites_article_2_only(sample):
    text = text_of(html_of(sample, "iccpr"))
    assert "Constitutional and legal framework (art. 2)" in text
    assert "arts. 1 and 2" not in text
