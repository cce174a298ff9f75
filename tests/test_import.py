"""Importers: previous UPR recommendations from the UN's Universal Human Rights
Index (UHRI), cases from an Uwazi database; and what the content model says of
an entry whose response or assessment is not known yet."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edition_html

from builder.cli import main
from builder.content import load_content
from builder.inline import Text, literal, parse
from builder.project import write_atomic

# --- the content model: a response or an assessment not known yet ---------------------


def test_an_unknown_response_and_assessment_print_as_placeholders(skeleton_project, capsys):
    previous_file = skeleton_project.content / "previous-recommendations.yaml"
    text = previous_file.read_text()
    text = text.replace("  response: supported       # supported or noted\n", "")
    text = text.replace("  assessment: not-implemented   # implemented, partially-implemented, "
                        "not-implemented, worsened\n", "")
    previous_file.write_text(text)
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
    previous_file.write_text(text.replace("  assessment_text: >\n",
                                          "  assessment_text: >\n    [TBC: assess it]\n"))
    warnings = [str(w) for w in load_content(skeleton_project).warnings]
    assert not any("not assessed yet" in w for w in warnings)
    assert any("placeholder to confirm: [TBC: assess it]" in w for w in warnings)


# --- the parts -------------------------------------------------------------------------


@pytest.mark.parametrize("words", [
    "a *b* [@x] [TBC: y] back\\slash [sic] 50% ** [#c", "\\*", "[=x] [%y] **bold**"])
def test_text_from_elsewhere_reads_as_itself(words):
    assert parse(literal(words)) == (Text(words),)


def test_a_failed_write_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "cases.yaml"
    path.write_text("- id: a\n")

    def refuse(self, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", refuse)
    with pytest.raises(OSError):
        write_atomic(path, b"- id: b\n")
    assert path.read_text() == "- id: a\n"
    assert [item.name for item in tmp_path.iterdir()] == ["cases.yaml"]
