"""Importers: previous UPR recommendations from the UN's Universal Human Rights
Index (UHRI), cases from an Uwazi database; and what the content model says of
an entry whose response or assessment is not known yet."""

from __future__ import annotations

from pathlib import Path

from conftest import edition_html

from builder.cli import main
from builder.content import load_content

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_an_unknown_response_and_assessment_print_as_placeholders(skeleton_project, capsys):
    previous = skeleton_project.content / "previous-recommendations.yaml"
    text = previous.read_text()
    text = text.replace("  response: supported       # supported or noted\n", "")
    text = text.replace("  assessment: not-implemented   # implemented, partially-implemented, "
                        "not-implemented, worsened\n", "")
    previous.write_text(text)
    content = load_content(skeleton_project)
    unknown = [str(w) for w in content.warnings if "previous-recommendations[0]:" in str(w)]
    # Both gaps listed, located at the entry; the build would refuse with --strict.
    assert sorted(unknown) == [
        "content/previous-recommendations.yaml:13:3: warning: previous-recommendations[0]: "
        "not assessed yet: write assessment: implemented, partially-implemented, "
        "not-implemented or worsened",
        "content/previous-recommendations.yaml:13:3: warning: previous-recommendations[0]: "
        "the State's response is not given: write response: supported or noted once it is "
        "known"]
    html = edition_html(skeleton_project, "upr-en")
    assert '<mark class="tbc">[TBC: response not known yet]</mark>' in html
    assert '<mark class="tbc">[TBC: to be assessed]</mark>' in html
    assert ">Noted<" not in html and ">Not implemented<" not in html
    assert main(["build", "--strict", "-p", str(skeleton_project.root), "-m", "upr"]) == 1
    assert "the State's response is not given" in capsys.readouterr().err

    # A [TBC: ...] in the assessment's text is the one reminder of a missing assessment.
    previous.write_text(text.replace("  assessment_text: >\n",
                                     "  assessment_text: >\n    [TBC: assess implementation]\n"))
    warnings = [str(w) for w in load_content(skeleton_project).warnings]
    assert not any("not assessed yet" in w for w in warnings)
    assert any("placeholder to confirm: [TBC: assess implementation]" in w for w in warnings)
