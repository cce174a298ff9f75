"""The JSON Schemas of the content files, for editors: what the package ships is
what the model gives, every content file points at its schema and passes it in
independent validators, and a mistake the tool refuses the schema refuses too."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SKELETON
from jsonschema import Draft202012Validator
from pydantic_core import PydanticCustomError

from builder.cli import main
from builder.loader import load_yaml
from builder.model import PartialDate
from builder.schema import DIALECT, FILES, content_schemas, editor_line, schema_name

SHIPPED = REPO / "schemas"
PROJECTS = {"sample": REPO, "skeleton": SKELETON, "second": REPO / "tests/reports/second"}


def validator(stem: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((SHIPPED / schema_name(stem)).read_bytes()))


def schema_errors(path: Path, stem: str) -> list[tuple[str, str]]:
    """Where and why the file fails its schema, read as the tool reads it."""
    located, problems = load_yaml(path, path.name)
    assert located is not None, problems
    return sorted((error.json_path, error.message)
                  for error in validator(stem).iter_errors(located.data))


def test_the_shipped_schemas_are_what_the_model_gives(capsys):
    shipped = {path.name: path.read_bytes() for path in SHIPPED.iterdir()}
    assert shipped == content_schemas(), "run 'shadow-report schema' and commit schemas/"
    assert main(["schema", "--check", "-p", str(REPO)]) == 0
    assert capsys.readouterr().out == "every schema in schemas/ is up to date\n"


def test_schema_writes_every_file_and_check_names_each_stale_one(tmp_path, capsys):
    assert main(["schema", "-o", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"wrote {tmp_path / schema_name(stem)}" for stem in FILES]
    assert main(["schema", "--check", "-o", str(tmp_path)]) == 0
    (tmp_path / "people.schema.json").unlink()
    (tmp_path / "cases.schema.json").write_text("{}\n")
    capsys.readouterr()
    assert main(["schema", "--check", "-o", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [f"{tmp_path}/people.schema.json: missing",
                                         f"{tmp_path}/cases.schema.json: out of date"]
    assert "run 'shadow-report schema'" in captured.err


@pytest.mark.parametrize("stem", FILES)
def test_each_schema_is_a_draft_2020_12_schema_with_descriptions(stem):
    schema = json.loads((SHIPPED / schema_name(stem)).read_bytes())
    assert schema["$schema"] == DIALECT and schema["title"] == f"{stem}.yaml"
    Draft202012Validator.check_schema(schema)
    # Hover text: the file, and the fields the model describes.
    assert schema["description"]
    entry = schema if stem == "report" else next(
        definition for definition in schema["$defs"].values() if "id" in definition.get(
            "properties", {}))
    described = [name for name, field in entry["properties"].items() if "description" in field]
    assert len(described) >= len(entry["properties"]) // 2, described


@pytest.mark.parametrize("project", PROJECTS.values(), ids=PROJECTS.keys())
def test_every_content_file_passes_its_schema(project):
    paths = sorted((project / "content").glob("*.yaml"))
    assert len(paths) == len(FILES)
    for path in paths:
        assert schema_errors(path, path.stem) == [], path


@pytest.mark.parametrize("project", [REPO, SKELETON], ids=["sample", "skeleton"])
def test_every_content_file_names_its_schema_on_its_first_line(project):
    for stem in FILES:
        path = project / "content" / f"{stem}.yaml"
        assert path.read_text().splitlines()[0] == editor_line(stem), path
    # The path is relative to the file: ../schemas/ of the project.
    assert (REPO / "content" / "../schemas/cases.schema.json").resolve().is_file()


def test_a_new_project_has_its_schemas_and_passes_check_jsonschema(tmp_path, capsys):
    root = tmp_path / "report"
    assert main(["new", str(root)]) == 0
    assert main(["schema", "--check", "-p", str(root)]) == 0
    for stem in FILES:
        path = root / "content" / f"{stem}.yaml"
        schema = path.parent / path.read_text().splitlines()[0].split("$schema=")[1]
        assert schema.resolve() == root / "schemas" / schema_name(stem)
        # check-jsonschema parses the YAML itself, as an editor does (dates and all).
        done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile",
                               str(schema), str(path)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(("stem", "old", "new", "where"), [
    ("cases", "  date: 2025-05 ", "  date: 2025-13 ", "$[0].date"),
    ("cases", "  date: 2025-05 ", "  date: '2025-5' ", "$[0].date"),
    ("cases", "  place: A regional", "  plase: A regional", "$[0]"),  # unknown key
    ("cases", "  cedaw: [7]", "  cedaw: [17]", "$[0].cedaw[0]"),
    ("cases", "  upr: [life-liberty-security,", "  upr: [assembly,", "$[0].upr[0]"),
    ("cases", "  sources: [example-source]", "  sources: []", "$[0].sources"),
    ("sections", "- id: example-section", "- id: Example Section", "$[0].id"),
    ("statistics", "  value: 100", "  value: '100'", "$[0].value"),
    ("statistics", "  kind: number", "  kind: number\n  mechanisms: [cedow]",
     "$[0].mechanisms"),
    ("statistics", "  note: An invented figure, to replace with one of your sources.",
     "  note: {cedow: An invented figure}", "$[0].note"),  # not a mechanism
    ("people", "  role: victim", "  role: neighbour", "$[0].role"),
    ("people", "  names: {ru: ", "  names: {ru_RU: ", "$[0].names"),
    ("report", "languages: [en, ru, kk]", "languages: [en, ru, kk-KZ]", "$.languages[2]"),
    ("report", "  start: 2022-01", "  start: 22-01", "$.period.start"),
])
def test_a_mistake_fails_the_schema_as_it_fails_validate(tmp_path, capsys, stem, old, new,
                                                         where):
    root = tmp_path / "project"
    shutil.copytree(SKELETON / "content", root / "content")
    path = root / "content" / f"{stem}.yaml"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    assert [place for place, _ in schema_errors(path, stem)] == [where]
    assert main(["validate", "-p", str(root)]) == 1
    assert f"content/{stem}.yaml:" in capsys.readouterr().err


def date_accepted(value) -> bool:
    try:
        PartialDate.parse(value)
    except PydanticCustomError:
        return False
    return True


@pytest.mark.parametrize("value", [
    "2021", 2021, "2021-05", "2021-05-29", "--05-29", "--05", " 2021-05 ", "1999-12-31",
    "2021-13", "2021-00", "2021-05-00", "2021-05-32", "0000", "0000-05", "2021-5", "21", 999,
    10000, "--13", "--05-32", "May 2021", "2021/05/29", "", True,
])
def test_the_schema_and_the_model_accept_the_same_dates(value):
    schema = Draft202012Validator(PartialDate.__get_pydantic_json_schema__(None, None))
    assert schema.is_valid(value) == date_accepted(value)


def test_a_day_that_does_not_exist_is_left_to_validate():
    schema = Draft202012Validator(PartialDate.__get_pydantic_json_schema__(None, None))
    assert schema.is_valid("2021-02-30") and not date_accepted("2021-02-30")
