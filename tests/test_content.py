"""Loading and checking a project's content: the model, references, warnings."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from builder.content import load_content
from builder.errors import ValidationFailed
from builder.i18n import Language
from builder.model import PartialDate, Statistic
from builder.translate import SourceTranslations


@pytest.mark.parametrize(
    ("text", "parsed", "english"),
    [
        ("2021-05-29", PartialDate(2021, 5, 29), "29 May 2021"),
        ("2021-05", PartialDate(2021, 5), "May 2021"),
        (2021, PartialDate(2021), "2021"),
        ("--05-29", PartialDate(None, 5, 29), "29 May"),
        ("--02-29", PartialDate(None, 2, 29), "29 February"),
    ],
)
def test_partial_dates_parse_and_read_as_dates(text, parsed, english):
    assert PartialDate.parse(text) == parsed
    assert Language("en", SourceTranslations()).date(parsed) == english


@pytest.mark.parametrize("text", ["2021-02-29", "2021-13", "2021-00-10", "29.05.2021", "21"])
def test_impossible_or_malformed_dates_are_refused(text):
    with pytest.raises(Exception, match="date"):
        PartialDate.parse(text)


def test_partial_date_bounds():
    assert str(PartialDate(2024, 2).latest()) == "2024-02-29"
    assert str(PartialDate(2024).earliest()) == "2024-01-01"
    assert PartialDate(None, 5, 29).earliest() is None


def test_statistics_refuse_non_finite_numbers():
    with pytest.raises(ValidationError):
        Statistic(id="x", label="y", value=float("nan"), source="s")


def test_the_sample_report_is_valid_and_substantial(sample):
    content = load_content(sample)
    assert len(content.sections) >= 6
    assert len(content.cases) >= 10
    assert len(content.recommendations) >= 12
    assert len(content.previous) == 4
    assert content.report.joint
    messages = [w.message for w in content.warnings]
    # Every source is cited; the only warnings are the marked placeholders.
    assert all(m.startswith("placeholder to confirm") for m in messages), messages


def test_the_sample_cites_every_case_and_statistic_to_a_source(sample):
    content = load_content(sample)
    sources = content.index("sources")
    assert all(case.sources and set(case.sources) <= set(sources) for case in content.cases)
    assert all(stat.source in sources for stat in content.statistics)


def test_a_new_project_is_valid_with_its_placeholders_listed(skeleton_project):
    content = load_content(skeleton_project)
    assert content.warnings
    assert all(w.severity == "warning" for w in content.warnings)


def test_all_problems_are_reported_at_once(skeleton_project):
    """A type error in one field hides neither another field's error nor a reference."""
    cases = skeleton_project.content / "cases.yaml"
    cases.write_text(
        cases.read_text().replace("date: 2025-05 ", "date: 2025-14 ", 1)
        .replace("sources: [example-source]", "sources: [exemple-source]")
        .replace("place: A regional", "plase: A regional")
    )
    sections = skeleton_project.content / "sections.yaml"
    sections.write_text(sections.read_text().replace("[#example-case].", "[#no-case]."))
    with pytest.raises(ValidationFailed) as failed:
        load_content(skeleton_project)
    assert [str(p) for p in failed.value.problems if p.severity == "error"] == [
        "content/cases.yaml:21:9: cases[0].date: impossible date '2025-14': no month 14",
        "content/cases.yaml:22:3: cases[0].plase: unknown field 'plase' (did you mean 'place'?)",
        "content/cases.yaml:36:13: cases[0].sources[0]: no source with id 'exemple-source' "
        "(did you mean 'example-source'?)",
        "content/sections.yaml:25:25: sections[0].paragraphs[0]: no case with id 'no-case'",
    ]


def test_a_reference_to_a_recommendation_is_checked_in_every_report(skeleton_project):
    """An unknown id is an error; one that a mechanism's report leaves out (it
    has no chapter there) is a warning naming the reports and the place."""
    recs = skeleton_project.content / "recommendations.yaml"
    ident = re.search(r"^- id: (\S+)", recs.read_text(), flags=re.M)[1]
    sections = skeleton_project.content / "sections.yaml"
    original = sections.read_text()
    sections.write_text(original.replace("[#example-case].", "[#example-case] [>no-rec]."))
    with pytest.raises(ValidationFailed) as failed:
        load_content(skeleton_project)
    assert "content/sections.yaml:25:41: sections[0].paragraphs[0]: no recommendation with " \
           "id 'no-rec'" in [str(p) for p in failed.value.problems]
    sections.write_text(original.replace("[#example-case].", f"[#example-case] [>{ident}]."))
    assert not [w for w in load_content(skeleton_project).warnings if "[>" in str(w)
                or "refers to the recommendation" in str(w)]
    # The recommendation in the UPR report only: CEDAW and ICCPR leave it out.
    recs.write_text(recs.read_text().replace("  sections: [example-section]\n",
                                             "  upr: [life-liberty-security]\n", 1))
    warnings = [str(w) for w in load_content(skeleton_project).warnings
                if "refers to the recommendation" in str(w)]
    assert warnings == [
        f"content/sections.yaml:25:41: warning: sections[0].paragraphs[0]: refers to the "
        f"recommendation {ident!r}, which the CEDAW and ICCPR reports leave out: the "
        "reference is not printed there"], warnings


def test_a_misnamed_content_file_is_pointed_out(skeleton_project):
    (skeleton_project.content / "case.yaml").write_text("[]\n")
    content = load_content(skeleton_project)
    assert "content/case.yaml: warning: not a content file, so it is ignored " \
           "(did you mean cases.yaml?)" in [str(w) for w in content.warnings]
