"""Hostile or unlucky inputs from the user's files, folders and machine: each
gets a located message and exit 1 (or 2 for wrong usage), never an internal
error, and nothing hangs."""

from __future__ import annotations

import errno
import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from builder.cli import main


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def validate(root: Path, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["validate", "-p", str(root)])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("cases.yaml", "  date: 2025-05 ", "  date: 0000-05-14 ",
     "cases[0].date: impossible date '0000-05-14': there is no year 0"),
    ("statistics.yaml", "  value: 100\n", "  value: 1.0e+308\n",
     "statistics[0].value: too large a number (at most 15 digits)"),
    ("sections.yaml", "[#example-case].", "[#example-case]. " + "*a **b " * 5000,
     "sections[0].paragraphs[0]: emphasis nested more than 8 deep"),
])
def test_extreme_values_are_refused_with_their_place(skeleton_project, capsys, file, old, new,
                                                     message):
    edit(skeleton_project.content / file, old, new)
    code, err = validate(skeleton_project.root, capsys)
    assert code == 1 and message in err, err
    assert "internal error" not in err


def test_a_content_file_that_is_a_link_outside_the_project_is_refused(skeleton_project, capsys,
                                                                       tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text((skeleton_project.content / "cases.yaml").read_text())
    cases = skeleton_project.content / "cases.yaml"
    cases.unlink()
    cases.symlink_to(outside)
    code, err = validate(skeleton_project.root, capsys)
    assert code == 1
    assert "content/cases.yaml: refused: a link to a file outside the project" in err


def test_a_device_in_place_of_a_content_file_is_refused_at_once(skeleton_project, capsys):
    cases = skeleton_project.content / "cases.yaml"
    cases.unlink()
    cases.symlink_to("/dev/zero")
    code, err = validate(skeleton_project.root, capsys)
    assert code == 1 and "content/cases.yaml: refused:" in err


def test_a_named_pipe_in_place_of_a_content_file_does_not_hang(skeleton_project):
    cases = skeleton_project.content / "cases.yaml"
    cases.unlink()
    os.mkfifo(cases)
    done = subprocess.run([sys.executable, "-m", "builder", "validate", "-p",
                           str(skeleton_project.root)], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 1
    assert "content/cases.yaml: refused: not a regular file" in done.stderr


@pytest.mark.parametrize("code", ["xx", "../../evil", "EN", "kk_KZ"])
def test_a_new_language_needs_a_language_code(skeleton_project, capsys, code):
    assert main(["i18n", "init", code, "-p", str(skeleton_project.root)]) == 2
    assert "error:" in capsys.readouterr().err
    assert not (skeleton_project.root / "locales").exists()


def ru_catalog(project) -> Path:
    assert main(["i18n", "init", "ru", "-p", str(project.root)]) == 0
    theirs = project.locales / "ru" / "LC_MESSAGES" / "shadow-report.po"
    theirs.write_text((REPO / "locales/ru/LC_MESSAGES/shadow-report.po").read_text())
    return theirs


def test_a_translators_percent_sign_is_reported_and_never_crashes_a_build(skeleton_project,
                                                                         capsys):
    po = ru_catalog(skeleton_project)
    edit(po, 'msgid "Contents"\nmsgstr "', 'msgid "Contents"\nmsgstr "(100 % текста) ')
    capsys.readouterr()
    assert main(["i18n", "stats", "-p", str(skeleton_project.root)]) == 0
    out = capsys.readouterr()
    assert "translation of 'Contents' has a % that is not a placeholder: write %% for a " \
           "percent sign" in out.err
    # The broken translation is not used: the build falls back to the English word.
    assert main(["build", "-p", str(skeleton_project.root), "-m", "upr", "-l", "ru"]) == 0
    assert "internal error" not in capsys.readouterr().err
    pdf = skeleton_project.root / "output" / "upr-ru.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Contents" in text and "100 %" not in text


def test_a_broken_placeholder_is_named_with_the_one_to_write(skeleton_project, capsys):
    """"%(state)" for "%(state)s" in a project's copy of the template catalog:
    the message names the placeholder to write (not "write %% for a percent
    sign"), quotes the English whole rather than cut inside its placeholder,
    and validate reports it as the build does."""
    po = ru_catalog(skeleton_project)
    edit(po, '"Совместное представление в рамках Универсального периодического обзора: "\n'
             '"%(state)s"', '"Совместное представление в рамках Универсального периодического '
                           'обзора: %(state)"')
    line = po.read_text().splitlines().index(
        'msgid "Joint submission to the Universal Periodic Review of %(state)s"') + 1
    said = (f"shadow-report.po:{line}: warning: translation of 'Joint submission to the "
            "Universal Periodic Review of %(state)s' has %(state) that is not a placeholder: "
            "write %(state)s as in the English text")
    code, err = validate(skeleton_project.root, capsys)
    assert code == 0 and said in err, err
    assert main(["build", "-p", str(skeleton_project.root), "-m", "upr", "-l", "ru"]) == 0
    err = capsys.readouterr().err
    assert said.replace("warning: ", "warning: in upr-ru: ") in err, err
    assert "percent sign" not in err


def test_a_pasted_megabyte_and_a_plural_rule_with_code_are_reported(skeleton_project, capsys):
    po = ru_catalog(skeleton_project)
    edit(po, 'msgid "Contents"\nmsgstr "', 'msgid "Contents"\nmsgstr "' + "я" * 1_000_000)
    edit(po, '"Plural-Forms: ', '"Plural-Forms: nplurals=3; plural=__import__(\\"os\\");\\n"\n"X: ')
    capsys.readouterr()
    assert main(["i18n", "stats", "-p", str(skeleton_project.root)]) == 0
    err = capsys.readouterr().err
    assert "translation of 'Contents' is far longer than its source" in err
    assert "the Plural-Forms header is not a plural rule" in err
    assert "я" * 100 not in err


def test_a_second_build_into_the_same_folder_is_refused(skeleton_project, capsys):
    output = skeleton_project.root / "output"
    output.mkdir()
    held = os.open(output, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a build in progress
        code = main(["build", "-p", str(skeleton_project.root), "-m", "upr", "-l", "en"])
    finally:
        os.close(held)
    err = capsys.readouterr().err
    assert code == 1 and "another build is writing into this folder" in err
    assert list(output.iterdir()) == []


def test_a_full_disk_is_a_message_not_an_internal_error(skeleton_project, capsys, monkeypatch):
    import weasyprint

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(weasyprint.Document, "write_pdf", full)
    code = main(["build", "-p", str(skeleton_project.root), "-m", "upr", "-l", "en", "-j", "1"])
    err = capsys.readouterr().err
    assert code == 1 and "the PDF cannot be written: No space left on device" in err
    assert not list((skeleton_project.root / "output").glob("*"))
