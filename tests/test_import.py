"""Importers: previous UPR recommendations from the UN's Universal Human Rights
Index (UHRI), cases from an Uwazi database; and what the content model says of
an entry whose response or assessment is not known yet.

The fixtures, in tests/fixtures/, are small files in the shape those exports
have; tests/fixtures/README.md says where each shape comes from."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
from conftest import SKELETON, edition_html, run_tool
from fixtures import make_uhri

from builder.cli import main
from builder.content import load_content
from builder.importers import tables, uhri, uwazi
from builder.inline import Text, literal, parse
from builder.project import open_project, write_atomic

FIXTURES = Path(__file__).resolve().parent / "fixtures"
XLSX = FIXTURES / "uhri-kazakhstan.xlsx"
MAPPING = SKELETON / "imports" / "uwazi-mapping.yaml"


def new_project(tmp_path: Path, capsys) -> Path:
    """``shadow-report new``: the project a drafter starts from (three languages)."""
    root = tmp_path / "report"
    assert main(["new", str(root)]) == 0
    capsys.readouterr()
    return root


def previous(root: Path) -> dict:
    return {entry.id: entry for entry in load_content(open_project(root)).previous}


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


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


# --- UHRI -----------------------------------------------------------------------------


def test_a_uhri_export_imports_into_a_new_project_that_validates_and_builds(tmp_path, capsys):
    root = new_project(tmp_path, capsys)
    status, out, err = run(capsys, "import", "uhri", str(XLSX), "--state", "Kazakhstan",
                           "-p", str(root))
    assert status == 0, err
    assert out.splitlines()[:2] == [
        f"{XLSX}: 7 row(s): 5 to Kazakhstan, 1 for other States, "
        "1 not from the UPR (Recommending Body)",
        "content/previous-recommendations.yaml: 5 added"]
    status, out, err = run(capsys, "validate", "-p", str(root))
    assert status == 0, err
    assert "6 previous recommendations" in out
    # Each new recommendation awaits its assessment: listed, with its place.
    assert err.count("[TBC: assess how far this recommendation has been implemented") == 5
    status, out, err = run(capsys, "build", "-p", str(root), "-m", "upr", "-l", "en")
    assert status == 0, err
    text = " ".join(run_tool("pdftotext", str(root / "output" / "upr-en.pdf"), "-").split())
    assert "124.6 A/HRC/28/10 Canada Supported [TBC: to be assessed]" in text
    assert "Text: Adopt legislation prohibiting discrimination against women" in text


def test_the_entries_hold_what_the_export_says(skeleton_project, capsys):
    assert main(["import", "uhri", str(XLSX), "--state", "kazakhstan",
                 "-p", str(skeleton_project.root)]) == 0
    entries = previous(skeleton_project.root)
    assert list(entries) == ["example-previous", "upr2-124-6", "upr2-126-24", "upr3-140-7",
                             "upr4-150-12", "upr4-unnumbered-1"]
    first = entries["upr2-124-6"]
    assert (first.number, first.document, first.cycle, first.session, first.states,
            first.response, first.assessment) == (
        "124.6", "A/HRC/28/10", 2, 20, ["Canada"], "supported", None)
    # The number and the States after the text are fields of their own; ";" ends as ".".
    assert first.text == ("Adopt legislation prohibiting discrimination against women and on "
                          "the basis of sexual orientation (illustrative wording).")
    assert first.themes == ["Equality & non-discrimination", "Women's rights"]
    assert entries["upr2-126-24"].session == 20  # "Session 20"
    partial = entries["upr3-140-7"]  # "Supported/Noted", two States after the text
    assert (partial.cycle, partial.states, partial.response) == (3, ["Maldives", "Portugal"],
                                                                "noted")
    assert partial.text.endswith("an invented recommendation for the tests.")
    assert partial.response_note.startswith("Supported in part")
    assert "[TBC: which part the State supported" in partial.response_note
    pending = entries["upr4-150-12"]  # no position: the response is not known yet
    assert pending.response is None
    assert pending.states == ["Iran (Islamic Republic of)", "Germany"]
    assert pending.themes == ["Freedom of opinion and expression",
                              "Rights related to name, identity, nationality"]
    unnumbered = entries["upr4-unnumbered-1"]
    assert (unnumbered.number, unnumbered.response) == ("[TBC: paragraph.item]", "noted")


@pytest.mark.parametrize("shape", ["object", "list"])
def test_a_json_export_gives_the_same_entries(tmp_path, skeleton_project, capsys, shape):
    data = json.loads((FIXTURES / "uhri-kazakhstan.json").read_text())
    export = tmp_path / "uhri.json"
    export.write_text(json.dumps(data if shape == "object" else data["data"]))
    other = open_project(shutil.copytree(skeleton_project.root, tmp_path / "other"))
    assert main(["import", "uhri", str(export), "--state", "Kazakhstan",
                 "-p", str(skeleton_project.root)]) == 0
    assert main(["import", "uhri", str(XLSX), "--state", "Kazakhstan",
                 "-p", str(other.root)]) == 0
    assert previous(skeleton_project.root) == previous(other.root)
    assert "record" not in capsys.readouterr().err


def test_a_bad_row_is_refused_with_its_row_and_column(tmp_path, skeleton_project, capsys):
    rows = copy.deepcopy(make_uhri.ROWS)
    rows[5][6] = "maybe"  # spreadsheet row 10
    rows[1][1] = "next year"  # row 6
    rows[0][3] = "- CEDAW"  # row 5: a treaty body's? Its session says it is the UPR's.
    rows[0][1] = "UPR"
    export = tmp_path / "uhri.xlsx"
    make_uhri.write_xlsx(export, rows)
    before = (skeleton_project.content / "previous-recommendations.yaml").read_bytes()
    status, out, err = run(capsys, "import", "uhri", str(export), "--state", "Kazakhstan",
                           "-p", str(skeleton_project.root))
    assert status == 1 and out == ""
    assert err.splitlines() == [
        f"{export}: row 5, column 'UPR Session': 'UPR' is not a session number "
        "(19, Session 19 or UPR 19)",
        f"{export}: row 6, column 'UPR Session': 'next year' is not a session number "
        "(19, Session 19 or UPR 19)",
        f"{export}: row 10, column 'UPR Position': 'maybe' is not supported or noted",
        "3 error(s); nothing was written"]
    assert (skeleton_project.content / "previous-recommendations.yaml").read_bytes() == before


def test_a_json_record_is_named_as_such(tmp_path, skeleton_project, capsys):
    records = make_uhri.records()
    records[2]["UPR Position"] = "maybe"
    export = tmp_path / "uhri.json"
    export.write_text(json.dumps(records))
    status, _, err = run(capsys, "import", "uhri", str(export), "--state", "Kazakhstan",
                         "-p", str(skeleton_project.root))
    assert status == 1
    assert f"{export}: record 3, field 'UPR Position': 'maybe' is not supported or noted" in err


@pytest.mark.parametrize(("name", "data", "message"), [
    ("report.pdf", b"%PDF-1.7", "not an export this command reads: give an Excel workbook "
                                "(.xlsx), a JSON file (.json) or a CSV file (.csv)"),
    ("empty.xlsx", b"", "the file is empty"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "not an export"),
    ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
     "an Excel 97-2003 workbook (.xls): open it in Excel or LibreOffice and save it as .xlsx"),
    ("renamed.xlsx", b'{"data": []}', "not an Excel workbook, although its name ends in .xlsx"),
    ("other.csv", b"Name,Country\nA,B\n", "no header row with the UHRI columns Text and "
                                          "Document Symbol in its first 30 rows (the first "
                                          "row holds 'Name', 'Country')"),
    ("other.json", b'[{"Name": "A"}]', "its records have no the UHRI columns Text and "
                                       "Document Symbol (their fields: 'Name')"),
    ("broken.json", b'{"data": [', "not valid JSON"),
])
def test_a_file_that_is_no_export_is_refused_in_one_line(tmp_path, skeleton_project, capsys,
                                                         name, data, message):
    export = tmp_path / name
    export.write_bytes(data)
    before = (skeleton_project.content / "previous-recommendations.yaml").read_bytes()
    status, out, err = run(capsys, "import", "uhri", str(export), "--state", "Kazakhstan",
                           "-p", str(skeleton_project.root))
    assert status == 2 and out == ""
    assert err.startswith(f"error: {export}: {message}") and err.count("\n") == 1, err
    assert err.endswith("; nothing was written\n")
    assert (skeleton_project.content / "previous-recommendations.yaml").read_bytes() == before


def test_a_state_no_row_concerns_is_refused_naming_those_that_are(skeleton_project, capsys):
    status, _, err = run(capsys, "import", "uhri", str(XLSX), "--state", "Kasakhstan",
                         "-p", str(skeleton_project.root))
    assert status == 2
    assert err == (f"error: {XLSX}: no row concerns 'Kasakhstan' (Countries Concerned); its "
                   "rows concern Kazakhstan (6), Kyrgyzstan (1); nothing was written\n")


def test_the_cycle_option_and_the_table_of_cycles(skeleton_project, capsys):
    status, out, _ = run(capsys, "import", "uhri", str(XLSX), "--state", "Kazakhstan",
                         "--cycle", "4", "-p", str(skeleton_project.root))
    assert status == 0
    assert out.startswith(f"{XLSX}: 7 row(s): 2 to Kazakhstan (cycle 4), 3 of another cycle")
    assert [entry.cycle for entry in previous(skeleton_project.root).values()] == [4, 4, 4]
    assert {session: next(n for n, sessions in uhri.CYCLES.items() if session in sessions)
            for session in (1, 12, 13, 26, 27, 40, 41, 54)} == {
        1: 1, 12: 1, 13: 2, 26: 2, 27: 3, 40: 3, 41: 4, 54: 4}


COMMENTED = """\
# yaml-language-server: $schema=../schemas/previous-recommendations.schema.json
# Our own file: comments, blank lines and an order of our own.

- id: kz-spain   # our id, not the importer's
  number: "126.24"
  document: A/HRC/28/10
  states:
    - Spain
  text: Strengthen protection (our paraphrase).   # to be checked
  response: noted
  assessment: worsened
  assessment_text: >
    Worse than before [@example-source].

  # evidence below
  evidence: [example-case]

- id: example-previous
  number: "[TBC: 123.45]"
  document: "[TBC: A/HRC/../..]"
  states: ["[TBC: recommending State]"]
  text: An example.
  response: supported
  assessment: not-implemented
  assessment_text: Nothing changed [#example-case].

- id: kz-canada
  number: "124.6"
  document: A/HRC/28/10
  cycle: 2
  session: 20
  states: [Canada]
  text: >
    Adopt legislation prohibiting discrimination against women and on the basis
    of sexual orientation (illustrative wording).
  themes: [Equality & non-discrimination, Women's rights]
  response: supported
  assessment: partially-implemented
  assessment_text: Partly [@example-source].
"""


def test_an_import_keeps_the_drafters_file_and_changes_only_with_update(skeleton_project,
                                                                        capsys):
    path = skeleton_project.content / "previous-recommendations.yaml"
    path.write_text(COMMENTED)
    status, out, _ = run(capsys, "import", "uhri", str(XLSX), "--state", "Kazakhstan",
                         "--cycle", "2", "-p", str(skeleton_project.root))
    assert status == 0
    assert out.splitlines()[1:3] == [
        "content/previous-recommendations.yaml: 1 already there, unchanged, 1 would change "
        "(--update refreshes them); nothing written",
        "  content/previous-recommendations.yaml:4: kz-spain (row 6): would change cycle, "
        "session, text, themes"]
    assert path.read_text() == COMMENTED

    status, out, _ = run(capsys, "import", "uhri", str(XLSX), "--state", "Kazakhstan",
                         "--cycle", "2", "--update", "-p", str(skeleton_project.root))
    assert status == 0
    assert "  content/previous-recommendations.yaml:4: kz-spain (row 6): updated cycle, " \
           "session, text, themes" in out
    # Only the imported fields changed, each where it stands, in the style it had;
    # every other line (comments, blank lines, the drafters' fields) is as it was.
    assert path.read_text() == COMMENTED.replace(
        '  document: A/HRC/28/10\n  states:\n    - Spain\n'
        '  text: Strengthen protection (our paraphrase).   # to be checked\n',
        '  document: A/HRC/28/10\n  cycle: 2\n  session: 20\n  states:\n    - Spain\n'
        '  text: >   # to be checked\n'
        '    Strengthen the legal protection and non-discrimination of lesbian, gay,\n'
        '    bisexual, transgender and intersex persons (illustrative wording).\n'
        '  themes: [Equality & non-discrimination]\n', 1)
    spain = previous(skeleton_project.root)["kz-spain"]
    assert (spain.assessment, spain.evidence, spain.response) == ("worsened", ["example-case"],
                                                                 "noted")

    # A second import changes nothing, and a new one goes after the drafters' entries.
    updated = path.read_text()
    assert main(["import", "uhri", str(XLSX), "--state", "Kazakhstan", "--update",
                 "-p", str(skeleton_project.root)]) == 0
    after = path.read_text()
    assert after.startswith(updated + "\n# Imported from the Universal Human Rights Index")
    assert [entry for entry in previous(skeleton_project.root)][:3] == [
        "kz-spain", "example-previous", "kz-canada"]


def test_a_list_written_as_a_block_stays_one_and_ids_never_collide(skeleton_project, capsys):
    path = skeleton_project.content / "previous-recommendations.yaml"
    path.write_text(COMMENTED.replace("  states: [Canada]\n",
                                      "  states:   # as we found them\n    - Kanada\n")
                    .replace("- id: kz-spain   # our id", "- id: upr3-140-7   # our id"))
    assert main(["import", "uhri", str(XLSX), "--state", "Kazakhstan", "--update",
                 "-p", str(skeleton_project.root)]) == 0
    text = path.read_text()
    assert "  states:   # as we found them\n    - Canada\n  text: >\n" in text
    # upr3-140-7 is the drafters' id of another entry: the import's gets -2.
    entries = previous(skeleton_project.root)
    assert entries["upr3-140-7"].number == "126.24"
    assert entries["upr3-140-7-2"].number == "140.7"


def test_comments_on_an_updated_fields_line_stay_on_it(skeleton_project, capsys):
    path = skeleton_project.content / "previous-recommendations.yaml"
    path.write_text(COMMENTED.replace(
        "  states: [Canada]\n  text: >\n    Adopt legislation prohibiting discrimination "
        "against women and on the basis\n    of sexual orientation (illustrative wording).\n",
        '  states: [Kanada,\n    "Kanada"]  # two spellings\n  text: >   # wording to check\n'
        '    Adopt a law.\n'))
    assert main(["import", "uhri", str(XLSX), "--state", "Kazakhstan", "--cycle", "2",
                 "--update", "-p", str(skeleton_project.root)]) == 0
    assert "  states: [Canada]  # two spellings\n  text: >   # wording to check\n" \
           "    Adopt legislation prohibiting discrimination against women and on the basis\n" \
           "    of sexual orientation (illustrative wording).\n  themes:" in path.read_text()


def test_a_project_with_errors_is_not_imported_into(skeleton_project, capsys):
    cases = skeleton_project.content / "cases.yaml"
    cases.write_text(cases.read_text().replace("date: 2025-05 ", "date: 2025-13 "))
    status, _, err = run(capsys, "import", "uhri", str(XLSX), "--state", "Kazakhstan",
                         "-p", str(skeleton_project.root))
    assert status == 1
    assert err == ("error: content/ has 1 error(s) already: run 'shadow-report validate' and "
                   "correct them before importing\n")


# --- Uwazi ------------------------------------------------------------------------------


def test_an_uwazi_export_becomes_cases(skeleton_project, capsys):
    status, out, err = run(capsys, "import", "uwazi", str(FIXTURES / "uwazi-export.csv"),
                           "--map", str(MAPPING), "-p", str(skeleton_project.root))
    assert status == 0, err
    assert out.splitlines()[:3] == [
        f"{FIXTURES / 'uwazi-export.csv'}: 2 row(s), 2 case(s)",
        "content/cases.yaml: 2 added",
        "columns not imported: Date added, Template, Internal notes, Geolocation, Documents, "
        "Attachments, Published"]
    cases = load_content(skeleton_project).index("cases")
    held = cases["invented-case-two-activists-held-overnight-after"]
    assert (str(held.date), str(held.date_end), held.place, held.sources, held.upr,
            held.iccpr, held.cedaw) == (
        "2025-05-14", "2025-05-15", "A regional capital", ["example-source"],
        ["life-liberty-security", "fundamental-freedoms"], [9, 21], [])
    assert held.affected == "Two women human rights defenders"
    # Asterisks and brackets of the database stay text: none becomes markup.
    assert parse(held.summary) == (Text(
        "An invented case for the tests: two activists were detained after a peaceful picket, "
        "held overnight and released without charge. Asterisks such as * and brackets such "
        "as [@x] are text."),)
    fined = cases["invented-case-a-journalist-fined-for-a-post"]
    assert (str(fined.date), fined.sources, fined.iccpr) == ("2025-03", ["example-source"], [19])
    # Nothing of the Internal notes column, nor the coordinates, reached the content.
    text = (skeleton_project.content / "cases.yaml").read_text()
    assert "lawyer first" not in text and "43.2389" not in text
    assert main(["validate", "-p", str(skeleton_project.root)]) == 0


def test_translated_columns_reach_the_catalogs_and_the_build(tmp_path, capsys):
    root = new_project(tmp_path, capsys)
    export = FIXTURES / "uwazi-multilingual.csv"
    status, out, err = run(capsys, "import", "uwazi", str(export), "--map", str(MAPPING),
                           "-p", str(root))
    assert status == 0, err
    assert "locales/ru/LC_MESSAGES/content.po: 2 translation(s) added, 1 unchanged" in out
    assert "locales/kk/LC_MESSAGES/content.po: 1 translation(s) added" in out
    assert err.splitlines() == [
        f"{export}: warning: no column 'Perpetrators', which the mapping names: responsible "
        "left out",
        f"{export}: warning: no column 'State response', which the mapping names: response "
        "left out"]
    # The catalogs are what 'i18n update' writes, with the translations in them.
    assert main(["i18n", "update", "--check", "-p", str(root)]) == 0
    status, out, _ = run(capsys, "i18n", "stats", "-p", str(root))
    rows = {line.split()[0] + " " + line.split()[1]: line.split()[2]
            for line in out.splitlines()[1:]}
    assert rows["ru locales/ru/LC_MESSAGES/content.po"] == "44/45"  # affected: untranslated
    assert rows["kk locales/kk/LC_MESSAGES/content.po"] == "43/45"
    project = open_project(root)
    assert "Вымышленный случай: мирное собрание разогнано" in edition_html(project, "upr-ru")
    assert "Ойдан шығарылған жағдай: бейбіт жиын таратылды" in edition_html(project, "upr-kk")

    # Again, unchanged; a translation edited in the export is replaced only with --update.
    assert main(["import", "uwazi", str(export), "--map", str(MAPPING), "-p", str(root)]) == 0
    assert "content/cases.yaml: 1 already there, unchanged; nothing written" in \
        capsys.readouterr().out
    edited = tmp_path / "edited.csv"
    edited.write_text(export.read_text().replace("Областной центр", "Город"))
    assert main(["import", "uwazi", str(edited), "--map", str(MAPPING), "-p", str(root)]) == 0
    assert "  cases/invented-case-a-peaceful-assembly-dispersed/place: would change" in \
        capsys.readouterr().out
    assert main(["import", "uwazi", str(edited), "--map", str(MAPPING), "--update",
                 "-p", str(root)]) == 0
    assert "1 updated" in capsys.readouterr().out
    assert "Город" in edition_html(project, "upr-ru")


def test_what_cannot_be_mapped_is_reported_with_its_row_and_column(tmp_path,
                                                                   skeleton_project, capsys):
    export = tmp_path / "cases.csv"
    export.write_text(
        "Title,Date of incident,Location,Summary,Victims,Rights violated,Sources,Region,"
        "date_of_incident__ru\n"
        "A,2025-02-30,Almaty,S.,V.,Torture,Example monitoring report,South,\n"
        "B,05/06/2025,43.2|76.9,S.,V.,Arbitrary detention,Unknown report,South,\n"
        ",2025,Almaty,S.,V.,,example-source,South,\n")
    before = (skeleton_project.content / "cases.yaml").read_bytes()
    status, out, err = run(capsys, "import", "uwazi", str(export), "--map", str(MAPPING),
                           "-p", str(skeleton_project.root))
    assert status == 1 and out == ""
    assert err.splitlines() == [
        f"{export}: row 1, column 'Region': not in the mapping: map it under columns: or "
        "list it under ignore:",
        f"{export}: row 1, column 'date_of_incident__ru': a translation of date: only texts "
        "(title, place, summary, affected, responsible, response) are translated",
        f"{export}: warning: no column 'Perpetrators', which the mapping names: responsible "
        "left out",
        f"{export}: warning: no column 'State response', which the mapping names: response "
        "left out",
        f"{export}: row 2, column 'Date of incident': '2025-02-30': impossible date "
        "'2025-02-30': that day does not exist",
        f"{export}: row 2, column 'Rights violated': 'Torture' is not under tags: in the "
        "mapping",
        f"{export}: row 3, column 'Date of incident': '05/06/2025' may be day/month or "
        "month/day: say date_format: DD/MM/YYYY or MM/DD/YYYY in the mapping",
        f"{export}: row 3, column 'Location': coordinates are not a place: map a column that "
        "names the city or region (coordinates can lead to the people concerned)",
        f"{export}: row 3, column 'Sources': 'Unknown report' is not a source: give its "
        "sources.yaml id under sources: in the mapping",
        f"{export}: row 4, column 'Title': no title: every case needs one",
        "8 error(s); nothing was written"]
    assert (skeleton_project.content / "cases.yaml").read_bytes() == before


def test_a_confidential_name_in_the_export_is_refused_without_repeating_it(
        tmp_path, skeleton_project, capsys):
    export = tmp_path / "cases.csv"
    export.write_text("Title,Summary,Victims,Sources\n"
                      "Detained,Dinara Zhumabekova was detained.,A woman,example-source\n")
    status, _, err = run(capsys, "import", "uwazi", str(export), "--map", str(MAPPING),
                         "-p", str(skeleton_project.root))
    assert status == 1
    assert f"{export}: row 2, column 'Summary': public text contains the name of " \
           "people/example-person" in err
    assert "Zhumabekova" not in err


def test_a_case_without_what_the_model_requires_is_refused_at_its_row(
        tmp_path, skeleton_project, capsys):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns: {Title: title, Summary: summary}\n")
    export = tmp_path / "cases.csv"
    export.write_text("Title,Summary\nDetained,Someone was detained.\n")
    status, _, err = run(capsys, "import", "uwazi", str(export), "--map", str(mapping),
                         "-p", str(skeleton_project.root))
    assert status == 1
    assert err.splitlines() == [
        f"{export}: row 2: missing required field 'affected'",
        f"{export}: row 2: missing required field 'sources'",
        "2 error(s); nothing was written"]


def test_a_mapping_with_mistakes_is_refused_with_their_places(tmp_path, skeleton_project,
                                                              capsys):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  Title: title\n  Victims: victims\n"
                       "tags:\n  Torture: {upr: [torture]}\n")
    status, _, err = run(capsys, "import", "uwazi", str(FIXTURES / "uwazi-export.csv"),
                         "--map", str(mapping), "-p", str(skeleton_project.root))
    assert status == 1
    lines = err.splitlines()
    assert lines[0].startswith(f"{mapping}:3:12: columns.Victims: must be one of ")
    assert lines[1].startswith(f"{mapping}:5:19: tags.Torture.upr[0]: unknown UPR theme "
                               "'torture'")


# --- the parts -------------------------------------------------------------------------


@pytest.mark.parametrize("words", [
    "a *b* [@x] [TBC: y] back\\slash [sic] 50% ** [#c", "\\*", "[=x] [%y] **bold**"])
def test_text_from_elsewhere_reads_as_itself(words):
    assert parse(literal(words)) == (Text(words),)


@pytest.mark.parametrize(("cell", "order", "dates"), [
    ("2023-05-01", None, ("2023-05-01", None)),
    ("2023/5/1", None, ("2023-05-01", None)),
    ("1682899200", None, ("2023-05-01", None)),  # a timestamp, in seconds
    ("1682899200000", None, ("2023-05-01", None)),  # and in milliseconds
    ("25/12/2023", None, ("2023-12-25", None)),
    ("05/06/2023", "DD/MM/YYYY", ("2023-06-05", None)),
    ("05/06/2023", "MM/DD/YYYY", ("2023-05-06", None)),
    ("January 15, 2023", None, ("2023-01-15", None)),
    ("15 Jan 2023", None, ("2023-01-15", None)),
    ("2023-05-01~2023-05-03", None, ("2023-05-01", "2023-05-03")),
    ("2023/05/01:2023/05/03", None, ("2023-05-01", "2023-05-03")),
    ("2023-05-01 10:30:00", None, ("2023-05-01", None)),
])
def test_uwazi_dates(cell, order, dates):
    assert uwazi._dates(cell, order, ranges=True) == dates


@pytest.mark.parametrize(("text", "symbol", "number", "words"), [
    ("124.6 Adopt a law (Canada);", "A/HRC/28/10", "124.6", "Adopt a law."),
    ("124.6. Adopt a law.", "A/HRC/28/10", "124.6", "Adopt a law."),
    ("Adopt a law (Canada)", "A/HRC/28/10, para. 124.6", "124.6", "Adopt a law"),
    ("1.5 million people need housing: provide it (Canada);", "A/HRC/28/10",
     "[TBC: paragraph.item]", "1.5 million people need housing: provide it."),
])
def test_the_number_of_a_recommendation_is_found_where_it_is(tmp_path, text, symbol, number,
                                                             words):
    table = tables.Table("x.json", "json", ["Text", "Document Symbol", "UPR Reccomending States"])
    table.rows.append(tables.Row(1, {"Text": text, "Document Symbol": symbol,
                                     "UPR Reccomending States": "Canada"}))
    (item,), problems, _ = uhri.recommendations(table, "Kazakhstan", None)
    assert problems == []
    assert (item.data["number"], item.data["document"], item.data["text"],
            item.data["states"]) == (number, "A/HRC/28/10", words, ["Canada"])


def test_odd_rows_are_taken_as_far_as_they_can_be(tmp_path, skeleton_project, capsys):
    """What a real export may hold: a body named otherwise, HTML in a text, a row
    without its words or its symbol, API field names, lists in cells."""
    export = tmp_path / "uhri.json"
    export.write_text(json.dumps({"annotations": [
        {"Text": "<p>124.6 Adopt a law &amp; apply it (Canada);</p>", "Symbol": "A/HRC/28/10",
         "Countries": ["Kazakhstan"], "Body": "Human Rights Council", "UprSession": "20th",
         "UprRecommendingStates": ["Canada"], "UprPosition": "Supported"},
        {"Text": "", "Symbol": "A/HRC/28/10", "Countries": ["Kazakhstan"],
         "UprPosition": "Noted"},
        {"Text": "Protect defenders (Norway);", "Symbol": "", "Countries": ["Kazakhstan"],
         "UprRecommendingStates": ["Norway"], "UprPosition": "Noted"},
        {"Text": "Protect journalists (Chile);", "Symbol": "", "Countries": ["Kazakhstan"],
         "UprRecommendingStates": ["Chile"], "UprPosition": "Supported - partially "
                                                           "implemented"}]}))
    status, out, err = run(capsys, "import", "uhri", str(export), "--state", "Kazakhstan",
                           "-p", str(skeleton_project.root))
    assert status == 0, err
    assert err.splitlines()[:3] == [
        f"{export}: warning: record 2, field 'Text': no text: left out",
        f"{export}: warning: record 3, field 'Symbol': no document symbol: written as "
        "[TBC: symbol of the Working Group's report]",
        f"{export}: warning: record 4, field 'Symbol': no document symbol: written as "
        "[TBC: symbol of the Working Group's report]"]
    entries = list(previous(skeleton_project.root).values())[1:]
    assert [(e.number, e.document, e.session, e.text, e.response) for e in entries] == [
        ("124.6", "A/HRC/28/10", 20, "Adopt a law & apply it.", "supported"),
        ("[TBC: paragraph.item]", "[TBC: symbol of the Working Group's report]", None,
         "Protect defenders.", "noted"),
        ("[TBC: paragraph.item]", "[TBC: symbol of the Working Group's report]", None,
         "Protect journalists.", "supported")]


def test_a_header_below_a_title_and_cells_of_several_values(tmp_path):
    table = tables.read_table(XLSX, "x.xlsx", uhri.is_header, uhri.WANTED)
    assert table.header_row == 4 and [row.number for row in table.rows][:3] == [5, 6, 8]
    assert uhri.columns_of(["  upr  RECCOMENDING states ", "Document symbol"]) == {
        "states": "  upr  RECCOMENDING states ", "symbol": "Document symbol"}
    assert tables.split("- Maldives\n- Portugal") == ["Maldives", "Portugal"]
    assert tables.split("Iran (Islamic Republic of); Germany") == [
        "Iran (Islamic Republic of)", "Germany"]
    assert tables.split("Canada, Spain") == ["Canada", "Spain"]


def test_the_committed_uhri_fixtures_are_the_generators(tmp_path):
    from openpyxl import load_workbook

    sheet = load_workbook(XLSX).active
    rows = [list(row) for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert [[cell if cell is not None else "" for cell in row] for row in rows] == [
        [cell for cell in row] or [""] * len(make_uhri.COLUMNS) for row in make_uhri.ROWS]
    data = json.loads((FIXTURES / "uhri-kazakhstan.json").read_text())
    assert data["data"] == make_uhri.records()


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
