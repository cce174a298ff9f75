"""The command line as users run it: output lines, exit status, files written."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from builder.cli import main


def test_validate_reports_a_valid_project(skeleton_project, capsys):
    assert main(["validate", "--project", str(skeleton_project.root)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("content/ is valid: 1 sections, 1 cases")


def test_build_prints_one_line_per_pdf_and_a_summary(skeleton_project, capsys):
    status = main(["build", "-p", str(skeleton_project.root), "--mechanism", "upr,iccpr"])
    out = capsys.readouterr().out.splitlines()
    assert status == 0
    # One line per PDF as it is laid out: in the order they finish.
    assert re.fullmatch(r"output/(upr|iccpr)-en\.pdf +\d+ pages +\d+\.\d s", out[0])
    assert re.fullmatch(r"output/(upr|iccpr)-en\.pdf +\d+ pages +\d+\.\d s", out[1])
    assert out[0][:12] != out[1][:12]
    assert re.fullmatch(r"built 2 PDF\(s\), \d+ pages, in \d+\.\d s; \d+ warning\(s\)", out[2])
    assert sorted(p.name for p in (skeleton_project.root / "output").iterdir()) == [
        "iccpr-en.pdf", "upr-en.pdf"]


def test_strict_build_fails_on_placeholders_and_writes_nothing(skeleton_project, capsys):
    assert main(["build", "-p", str(skeleton_project.root), "--strict"]) == 1
    err = capsys.readouterr().err
    assert ("content/report.yaml:34:9: state: in every edition being built: placeholder to "
            "confirm") in err
    # An entry's warning names the editions that show the entry, and only those.
    assert re.search(r"content/previous-recommendations\.yaml:\d+:\d+: "
                     r"previous-recommendations\[0\]\.number: in upr-en: placeholder to confirm",
                     err)
    assert not (skeleton_project.root / "output").exists()


def test_a_warning_names_the_editions_it_concerns(skeleton_project, capsys):
    assert main(["build", "-p", str(skeleton_project.root), "-m", "cedaw"]) == 0
    err = capsys.readouterr().err
    # cedaw-en does not show the previous UPR recommendation, so its warning names no
    # edition.
    assert re.search(r"previous-recommendations\[0\]\.number: in no edition being built: "
                     "placeholder", err)
    assert "content/report.yaml:34:9: warning: state: in cedaw-en: placeholder" in err


def test_a_broken_file_fails_without_traceback_and_keeps_earlier_pdfs(skeleton_project, capsys):
    root = skeleton_project.root
    assert main(["build", "-p", str(root), "-m", "cedaw"]) == 0
    pdf = root / "output" / "cedaw-en.pdf"
    before = pdf.read_bytes()
    cases = root / "content" / "cases.yaml"
    cases.write_text(cases.read_text().replace("date: 2025-05 ", "date: 2025-02-30 ", 1))
    capsys.readouterr()
    for command in (["validate"], ["build"]):
        assert main([*command, "-p", str(root)]) == 1
        captured = capsys.readouterr()
        assert "content/cases.yaml:21:9: cases[0].date: impossible date '2025-02-30': " \
               "that day does not exist" in captured.err
        assert "Traceback" not in captured.err + captured.out
    assert pdf.read_bytes() == before
    assert sorted(p.name for p in pdf.parent.iterdir()) == ["cedaw-en.pdf"]


def test_not_a_project(tmp_path, capsys):
    assert main(["validate", "-p", str(tmp_path)]) == 1
    assert "not a report project (no content/ folder)" in capsys.readouterr().err


def test_unknown_mechanism_is_a_clear_error(skeleton_project, capsys):
    assert main(["build", "-p", str(skeleton_project.root), "-m", "crc"]) == 1
    assert "unknown mechanism crc: choose from upr, cedaw, iccpr" in capsys.readouterr().err


def test_output_inside_content_is_refused(skeleton_project, capsys):
    target = skeleton_project.content / "out"
    assert main(["build", "-p", str(skeleton_project.root), "-o", str(target)]) == 1
    assert "refusing to write output inside content/" in capsys.readouterr().err
    assert not target.exists()


def test_new_refuses_an_existing_folder(tmp_path, capsys):
    assert main(["new", str(tmp_path)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_python_dash_m_builder_is_the_same_command(skeleton_project):
    done = subprocess.run([sys.executable, "-m", "builder", "validate", "-p",
                           str(skeleton_project.root)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def _installed_files() -> set[str]:
    try:
        files = metadata.files("shadow-report") or []
    except metadata.PackageNotFoundError:
        pytest.skip("shadow-report is not installed (pip install '.[test]')")
    return {str(f) for f in files}


def test_the_installed_package_ships_templates_fonts_hyphenation_and_skeleton():
    files = _installed_files()
    if any(f.endswith(".pth") for f in files):
        pytest.skip("editable install: the package is the source tree")
    for needed in ("builder/templates/base/layout.html", "builder/templates/base/print.css",
                   "builder/templates/upr/report.html", "builder/templates/cedaw/report.html",
                   "builder/templates/iccpr/report.html", "builder/fonts/NotoSerif-Regular.ttf",
                   "builder/fonts/OFL.txt", "builder/hyphenation/hyph_kk_KZ.dic",
                   "builder/hyphenation/README.md", "builder/skeleton/content/report.yaml",
                   "builder/skeleton/content/people.yaml", "builder/skeleton/locales/content.pot",
                   "builder/skeleton/locales/kk/LC_MESSAGES/content.po",
                   "builder/schemas/cases.schema.json",
                   "builder/locales/ru/LC_MESSAGES/shadow-report.po",
                   "builder/locales/kk/LC_MESSAGES/shadow-report.po"):
        assert needed in files, needed


def test_the_console_script_builds_a_project_outside_the_repository(tmp_path):
    """``shadow-report new`` then ``build`` from an unrelated folder, as a user would."""
    _installed_files()
    script = shutil.which("shadow-report", path=str(Path(sys.executable).parent))
    assert script, "the shadow-report console script is not installed"
    env = {**os.environ, "PYTHONPATH": ""}
    subprocess.run([script, "new", "report"], cwd=tmp_path, check=True, env=env)
    done = subprocess.run([script, "build", "-m", "upr"], cwd=tmp_path / "report",
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "report" / "output" / "upr-en.pdf").stat().st_size > 10_000


def test_a_line_arrives_as_each_pdf_is_laid_out(skeleton_project):
    """Not all at the end: the first line is there while the build still runs."""
    process = subprocess.Popen(
        [sys.executable, "-m", "builder", "build", "-p", str(skeleton_project.root),
         "-m", "upr,cedaw,iccpr", "--jobs", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    first = process.stdout.readline()
    still_running = process.poll() is None
    rest = process.stdout.read()
    assert process.wait() == 0
    assert re.fullmatch(r"output/upr-en\.pdf +\d+ pages +\d+\.\d s\n", first)
    assert still_running, "the first line came only when the build had ended"
    assert rest.startswith("output/cedaw-en.pdf")


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_prints_errors_only_before_or_after_the_command(skeleton_project, capsys,
                                                              where):
    root = str(skeleton_project.root)
    arguments = ["-q", "validate", "-p", root] if where == "before" else \
        ["validate", "-p", root, "--quiet"]
    assert main(arguments) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""  # the skeleton's warnings too
    assert main(["validate", "-p", root]) == 0
    assert "placeholder to confirm" in capsys.readouterr().err
    (skeleton_project.content / "cases.yaml").write_text("- id: [unclosed\n")
    assert main(arguments) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "cases.yaml" in captured.err


def test_verbose_lists_every_untranslated_text(skeleton_project, capsys):
    root = str(skeleton_project.root)
    report = skeleton_project.content / "report.yaml"
    report.write_text(report.read_text() + "\nlanguages: [en, ru]\n")
    assert main(["i18n", "init", "ru", "-p", root]) == 0
    capsys.readouterr()
    assert main(["build", "-p", root, "-m", "upr", "-l", "ru"]) == 0
    err = capsys.readouterr().err
    count = int(re.search(r"upr-ru\.pdf: (\d+) text\(s\) shown untranslated", err)[1])
    assert count > 10 and err.count("content.po: ") == 10
    assert f"... and {count - 10} more (-v lists them all" in err
    assert main(["build", "-p", root, "-m", "upr", "-l", "ru", "--verbose"]) == 0
    assert capsys.readouterr().err.count("content.po: ") == count


@pytest.mark.parametrize("arguments", [["--debug", "validate"], ["validate", "--debug"]])
def test_debug_shows_the_traceback_wherever_it_is_given(skeleton_project, capsys,
                                                         monkeypatch, arguments):
    from builder import commands

    def broken(args):
        raise RuntimeError("a bug of ours")

    monkeypatch.setitem(commands.COMMANDS, "validate", broken)
    root = ["-p", str(skeleton_project.root)]
    assert main(["validate", *root]) == 3
    assert "Run the same command with --debug" in capsys.readouterr().err
    with pytest.raises(RuntimeError, match="a bug of ours"):
        main([*arguments, *root])
