"""The YAML loader: values with locations, and what it refuses."""

from __future__ import annotations

from pathlib import Path

from builder.loader import keypath_text, load_yaml


def load(tmp_path: Path, text: str):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    return load_yaml(path, "content/x.yaml")


def test_values_keep_their_locations(tmp_path):
    located, problems = load(tmp_path, "- id: a\n  title: >\n    long\n    text\n")
    assert problems == []
    assert located.data == [{"id": "a", "title": "long text\n"}]
    assert located.where((0, "title")) == (2, 10)
    assert located.where((0, "title"), key=True) == (2, 3)
    assert located.spans[(0, "title")][0] == 2


def test_dates_stay_text_and_scalars_keep_their_types(tmp_path):
    located, _ = load(tmp_path, "d: 2021-05-29\nn: 12\nf: 1.5\nb: true\nz: null\n")
    assert located.data == {"d": "2021-05-29", "n": 12, "f": 1.5, "b": True, "z": None}


def test_locate_text_finds_a_marker_inside_a_folded_paragraph(tmp_path):
    located, _ = load(tmp_path, "p: >\n  first line\n  second [@src] line\n")
    assert located.locate_text(("p",), "[@src") == (3, 10)


def test_missing_key_path_falls_back_to_nearest_parent(tmp_path):
    located, _ = load(tmp_path, "- id: a\n  title: t\n")
    assert located.where((0, "missing")) == (1, 3)


def test_duplicate_keys_are_errors_not_overwrites(tmp_path):
    located, problems = load(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert located is None
    assert [str(p) for p in problems] == [
        "content/x.yaml:3:1: a: duplicate key 'a' (first given on line 1)"
    ]


def test_aliases_are_refused(tmp_path):
    _, problems = load(tmp_path, "a: &x [1, 2]\nb: *x\n")
    assert str(problems[0]).startswith("content/x.yaml:2:4: YAML aliases")


def test_tab_indentation_has_a_plain_message(tmp_path):
    _, problems = load(tmp_path, "a:\n\t- 1\n")
    assert str(problems[0]) == (
        "content/x.yaml:2:1: tab character in indentation: indent with spaces"
    )


def test_syntax_errors_are_located(tmp_path):
    _, problems = load(tmp_path, "a: [1, 2\nb: 3\n")
    assert problems[0].line == 2
    assert "YAML syntax error" in problems[0].message


def test_keypath_text():
    assert keypath_text(("cases", 3, "date")) == "cases[3].date"
    assert keypath_text((0, "sources", 1)) == "[0].sources[1]"
