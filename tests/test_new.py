"""``shadow-report new``: a project a drafter can start from, complete in its
three languages, whose first build gives every PDF with nothing left untranslated."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import EDITIONS, run_tool

from builder.cli import main
from builder.content import REPORT_FILE, load_content
from builder.model import COLLECTIONS, CaseDetails
from builder.project import open_project

# A zero standing alone as a number ("the 0 documented cases", "0 recommendations",
# "0-жағдай"), not a digit of 100 or 2025 nor of a decimal such as 0.5.
ZERO = re.compile(r"(?<![\d.,])0(?!\d|[.,]\d)")
# Words of the example content in each language: its catalogs are used.
OWN_WORDS = {"en": "Example section", "ru": "Пример раздела", "kk": "Бөлім үлгісі"}


def new_project(tmp_path: Path, capsys) -> Path:
    root = tmp_path / "my-report"
    assert main(["new", str(root)]) == 0
    # The next commands, one a line, each with what it is for.
    commands = [line.split("#")[0].strip()
                for line in capsys.readouterr().out.splitlines() if line.startswith("  ")]
    assert commands == [f"cd {root}", "shadow-report validate", "shadow-report build",
                        "shadow-report i18n update"]
    return root


def test_a_new_project_has_an_example_of_everything_and_its_translations(tmp_path, capsys):
    root = new_project(tmp_path, capsys)
    assert sorted(path.stem for path in (root / "content").iterdir()) == sorted(
        [REPORT_FILE, *COLLECTIONS])
    content = load_content(open_project(root))
    assert content.report.languages == ["en", "ru", "kk"]
    for name in COLLECTIONS:
        assert len(content.collection(name)) == 1, name
    case, person = content.cases[0], content.people[0]
    # A confidential person, referred to by the case, whose exact details are internal.
    assert case.people == [person.id] and not person.spoke_publicly
    assert f"[%{person.id}]" in case.summary and isinstance(case.confidential, CaseDetails)
    assert {path.relative_to(root).as_posix() for path in (root / "locales").rglob("*.po*")} \
        == {"locales/content.pot", "locales/ru/LC_MESSAGES/content.po",
            "locales/kk/LC_MESSAGES/content.po"}

    # The catalogs are what 'i18n update' writes, and every entry is translated.
    assert main(["i18n", "update", "--check", "-p", str(root)]) == 0, capsys.readouterr()
    capsys.readouterr()
    assert main(["i18n", "stats", "--strict", "-p", str(root)]) == 0, capsys.readouterr()
    capsys.readouterr()
    # Valid, its only warnings the placeholders left for the drafter to fill.
    assert main(["validate", "-p", str(root)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("content/ is valid: 1 sections, 1 cases, 1 recommendations")
    warnings = captured.err.splitlines()
    assert warnings and all(": warning: " in line and ": placeholder to confirm: [TBC: " in line
                            for line in warnings), warnings


def test_the_first_build_gives_every_pdf_translated_and_no_count_of_zero(tmp_path, capsys):
    root = new_project(tmp_path, capsys)
    assert main(["build", "-p", str(root)]) == 0
    out = capsys.readouterr().out
    summary = next(line for line in out.splitlines() if line.startswith("built "))
    assert summary.startswith("built 9 PDF(s)") and "untranslated" not in summary, summary
    pdfs = sorted((root / "output").iterdir())
    assert [path.name for path in pdfs] == sorted(f"{name}.pdf" for name in EDITIONS)
    for path in pdfs:
        text = " ".join(run_tool("pdftotext", str(path), "-").split())
        language = path.stem.split("-")[1]
        assert OWN_WORDS[language] in text, path.name
        zeros = [text[max(match.start() - 40, 0):match.end() + 40]
                 for match in ZERO.finditer(text)]
        assert zeros == [], (path.name, zeros)
    cedaw = " ".join(run_tool("pdftotext", str(root / "output/cedaw-en.pdf"), "-").split())
    assert "This annex describes the 1 documented case that this report draws on." in cedaw
