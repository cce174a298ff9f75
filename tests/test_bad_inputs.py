"""The bad-input corpus: each way content can be wrong, with the exact message it must get.

Every file ``tests/bad_inputs/<target>--<failure-mode>.yaml`` is one case. The
test copies the valid skeleton project's content (``builder/skeleton``, in
English only: ``conftest.english_skeleton``), replaces
``content/<target>.yaml`` with the case file's bytes as they are, and runs
``validate``. It must exit 1 without a traceback, print every line the case
expects, and no other error (warnings and the final count are ignored).

A case file starts with its expectations, as comments::

    # expect: content/cases.yaml:5:9: cases[0].date: impossible date '2021-02-30': ...
    # The day does not exist.
    - id: example-case
      ...

Line numbers count these comment lines: the file is used as is. To add a case,
write the file with a placeholder ``# expect:`` line (one per error), run this
test to see the actual messages, paste them, and then check in the file that
each line:col really points at the mistake. If the message or location is
wrong, write the line it should be and add a ``# xfail: what is wrong`` header
line: the case is then a strict expected failure until the validator is fixed.

Failure modes that cannot be a YAML text file (bytes that are not UTF-8, a
file over the size limit, a missing file, generated alias bombs and deep
nesting, a failing build) have their own tests at the end.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import english_skeleton

from builder.cli import main
from builder.loader import MAX_FILE_BYTES
from builder.project import PACKAGE_DIR

BAD_INPUTS = Path(__file__).parent / "bad_inputs"
TARGETS = {"report", "sources", "cases", "statistics", "sections", "recommendations",
           "previous-recommendations"}
# The last line of validate, and of build: "2 error(s)." and "2 error(s); nothing was built."
SUMMARY = re.compile(r"\d+ error\(s\)(; nothing was built)?\.")


def header(case: Path, name: str) -> list[str]:
    """The values of the ``# name: ...`` lines among the case's leading comments."""
    values = []
    for line in case.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        if line.startswith(f"# {name}: "):
            values.append(line.removeprefix(f"# {name}: "))
    return values


def param(case: Path):
    reasons = header(case, "xfail")
    marks = [pytest.mark.xfail(strict=True, reason=reasons[0])] if reasons else []
    return pytest.param(case, id=case.stem, marks=marks)


CASES = sorted(BAD_INPUTS.glob("*--*.yaml"))


def new_project(tmp_path: Path) -> Path:
    return english_skeleton(tmp_path)


def assert_fails_with(root: Path, capsys, expected: list[str], command: str = "validate"):
    """``command`` exits 1 with exactly the ``expected`` error lines, besides warnings."""
    status = main([command, "--project", str(root)])
    lines = capsys.readouterr().err.splitlines()
    assert not [line for line in lines if "Traceback" in line]
    errors = [line for line in lines if ": warning: " not in line and not SUMMARY.fullmatch(line)]
    missing = [line for line in expected if line not in lines]
    unexpected = [line for line in errors if line not in expected]
    assert (status, missing, unexpected) == (1, [], [])


def test_corpus_is_well_formed():
    assert len(CASES) >= 40
    for case in CASES:
        assert case.name.split("--")[0] in TARGETS, case.name
        assert header(case, "expect"), f"{case.name} expects no message"


@pytest.mark.parametrize("case", [param(case) for case in CASES])
def test_bad_input(case: Path, tmp_path: Path, capsys):
    root = new_project(tmp_path)
    target = case.name.split("--")[0]
    (root / "content" / f"{target}.yaml").write_bytes(case.read_bytes())
    assert_fails_with(root, capsys, header(case, "expect"))


# --- failure modes that are not a YAML text file -------------------------------


def test_not_utf8(tmp_path: Path, capsys):
    root = new_project(tmp_path)
    # "Café" saved as Latin-1: the é is the single byte 0xE9.
    (root / "content/sources.yaml").write_bytes(b"- id: example-source\n  title: Caf\xe9\n")
    assert_fails_with(root, capsys, [
        "content/sources.yaml:2:13: not UTF-8 text: save the file with UTF-8 encoding"])


def test_file_too_large(tmp_path: Path, capsys):
    root = new_project(tmp_path)
    padding = b"# padding\n" * (MAX_FILE_BYTES // 10 + 1)
    (root / "content/sources.yaml").write_bytes(padding)
    assert_fails_with(root, capsys, ["content/sources.yaml: file is larger than 5 MiB"])


def test_report_missing(tmp_path: Path, capsys):
    root = new_project(tmp_path)
    (root / "content/report.yaml").unlink()
    assert_fails_with(root, capsys, [
        "content/report.yaml: file not found: every report project needs it"])


def test_alias_bomb_is_refused_quickly(tmp_path: Path, capsys):
    # "Billion laughs": nine levels of ten aliases each would expand to 10^9 strings.
    root = new_project(tmp_path)
    lines = ["lol0: &lol0 [" + ", ".join(["lol"] * 10) + "]"]
    lines += [f"lol{n}: &lol{n} [" + ", ".join([f"*lol{n - 1}"] * 10) + "]" for n in range(1, 10)]
    (root / "content/cases.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    assert_fails_with(root, capsys, [
        "content/cases.yaml:2:14: YAML aliases (*name) are not supported: "
        "write the value out in full"])
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("text", [
    pytest.param("[" * 200 + "]" * 200, id="flow-200"),
    pytest.param("- " * 200 + "x", id="block-200"),
    pytest.param("[" * 1000 + "]" * 1000, id="flow-1000"),
])
def test_deep_nesting(text: str, tmp_path: Path, capsys):
    root = new_project(tmp_path)
    (root / "content/cases.yaml").write_text(text + "\n", encoding="utf-8")
    # The top level is level 0, so the first level too deep is the 66th "[" or "- ".
    column = 66 if text.startswith("[") else 2 * 65 + 1
    assert_fails_with(root, capsys, [
        f"content/cases.yaml:1:{column}: nested more than 64 levels deep"])


def test_failing_build_writes_nothing(tmp_path: Path, capsys):
    root = new_project(tmp_path)
    case = BAD_INPUTS / "cases--dangling-source-id.yaml"
    (root / "content/cases.yaml").write_bytes(case.read_bytes())
    output = root / "output"
    output.mkdir()
    previous = output / "upr-en.pdf"
    previous.write_bytes(b"%PDF-1.7 the previous build\n")
    assert_fails_with(root, capsys, header(case, "expect"), command="build")
    assert previous.read_bytes() == b"%PDF-1.7 the previous build\n"
    assert list(output.iterdir()) == [previous]


# --- failure modes beyond the YAML files ------------------------------------------


def broken_po(root: Path) -> Path:
    assert main(["i18n", "init", "ru", "--project", str(root)]) == 0
    po = root / "locales" / "ru" / "LC_MESSAGES" / "content.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    lines[24] = 'msgstrx "oops"'  # a misspelt keyword on line 25
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return po


def test_a_po_file_with_a_syntax_error(tmp_path: Path, capsys):
    root = new_project(tmp_path)
    po = broken_po(root)
    before = po.read_bytes()
    capsys.readouterr()
    expected = ("locales/ru/LC_MESSAGES/content.po:25: PO syntax error: "
                "Unknown or misformatted keyword")
    # update refuses to merge into a file it cannot read, and leaves it alone
    assert main(["i18n", "update", "--project", str(root)]) == 1
    assert expected in capsys.readouterr().err
    assert po.read_bytes() == before
    # a draft build falls back to the source language and says why; --strict refuses
    assert main(["build", "--project", str(root), "-m", "upr", "-l", "ru"]) == 0
    assert expected.replace(": PO", ": warning: in upr-ru: PO") in capsys.readouterr().err
    assert main(["build", "--project", str(root), "-m", "upr", "-l", "ru", "--strict"]) == 1
    assert expected.replace(": PO", ": in upr-ru: PO") in capsys.readouterr().err


def test_a_po_entry_with_broken_markers_is_located(tmp_path: Path, capsys):
    root = new_project(tmp_path)
    assert main(["i18n", "init", "ru", "--project", str(root)]) == 0
    po = root / "locales" / "ru" / "LC_MESSAGES" / "content.po"
    text = po.read_text(encoding="utf-8")
    start = text.index('msgctxt "cases/example-case/summary"')
    msgstr = text.index('msgstr ""', start)
    po.write_text(text[:msgstr] + 'msgstr "Что-то произошло [@no-such-source]."'
                  + text[msgstr + len('msgstr ""'):], encoding="utf-8")
    line = text[:start].count("\n") + 2  # the msgid line, after msgctxt
    capsys.readouterr()
    assert main(["i18n", "stats", "--project", str(root), "-l", "ru", "--strict"]) == 1
    assert (f"locales/ru/LC_MESSAGES/content.po:{line}: translation of "
            "cases/example-case/summary changes its references") in capsys.readouterr().err


def override(root: Path, name: str, text: str) -> None:
    path = root / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_missing_font(tmp_path: Path, capsys):
    root = new_project(tmp_path)
    override(root, "base/print.css", (PACKAGE_DIR.parent / "templates/base/print.css")
             .read_text() + '\n@font-face { font-family: "Report Serif"; '
                            'src: url("asset:fonts/NoSuchFont.ttf"); }\n')
    assert main(["build", "--project", str(root), "-m", "cedaw"]) == 1
    err = capsys.readouterr().err
    assert "error: cedaw-en: no such asset: asset:fonts/NoSuchFont.ttf" in err
    assert "Traceback" not in err and not (root / "output" / "cedaw-en.pdf").exists()


def test_a_corrupt_font(tmp_path: Path, capsys):
    root = new_project(tmp_path)
    fonts = root / "templates" / "fonts"  # a project's own files live in templates/
    fonts.mkdir(parents=True)
    (fonts / "Broken.ttf").write_bytes(b"\x00\x01\x00\x00 not really a font" * 40)
    override(root, "base/print.css", (PACKAGE_DIR.parent / "templates/base/print.css")
             .read_text().replace('font-family: "Report Serif", serif;',
                                  'font-family: "Broken";')
             + '\n@font-face { font-family: "Broken"; '
               f'src: url("{(fonts / "Broken.ttf").as_uri()}"); }}\n'
             + ".note { colr: red; }\n")
    css = (root / "templates" / "base" / "print.css").read_text().splitlines()
    family = next(n for n, line in enumerate(css, 1) if '"Broken"' in line)
    typo = next(n for n, line in enumerate(css, 1) if "colr" in line)
    for path in (root / "content").glob("*.yaml"):  # no placeholders: --strict may pass
        path.write_text(re.sub(r"\[TBC: ([^\]]*)\]", r"\1", path.read_text()))
    # The text falls back to the bundled fonts (checked after layout) with a warning,
    # located in the override that caused it ...
    assert main(["build", "--project", str(root), "-m", "cedaw"]) == 0
    err = capsys.readouterr().err
    assert (f"output/cedaw-en.pdf: warning: renderer: templates/base/print.css:{family}:"
            in err and "Font-face 'Broken' cannot be loaded" in err)
    assert (f"output/cedaw-en.pdf: warning: renderer: templates/base/print.css:{typo}:9: "
            "Ignored `colr: red`") in err
    # ... and a release build refuses it, leaving the earlier PDF as it was.
    before = (root / "output" / "cedaw-en.pdf").read_bytes()
    assert main(["build", "--project", str(root), "-m", "cedaw", "--strict"]) == 1
    err = capsys.readouterr().err
    assert "cedaw-en.pdf: renderer: templates/base/print.css:" in err
    assert "Font-face 'Broken' cannot be loaded" in err and "Traceback" not in err
    assert (root / "output" / "cedaw-en.pdf").read_bytes() == before


def test_an_unwritable_output_folder(tmp_path: Path, capsys):
    root = new_project(tmp_path)
    (tmp_path / "a-file").write_text("not a folder")
    assert main(["build", "--project", str(root), "-o", str(tmp_path / "a-file" / "out")]) == 1
    assert "cannot create the output folder" in capsys.readouterr().err


def test_a_syntax_error_in_a_template_override(tmp_path: Path, capsys):
    root = new_project(tmp_path)
    override(root, "iccpr/report.html", '{% extends "base/layout.html" %}\n'
                                        "{% block main %}{% if %}{% endblock %}\n")
    assert main(["build", "--project", str(root), "-m", "iccpr"]) == 1
    err = capsys.readouterr().err
    assert re.search(r"templates/iccpr/report\.html:2: template error: ", err), err
    assert "Traceback" not in err


def test_an_undefined_name_in_a_template_override(tmp_path: Path, capsys):
    root = new_project(tmp_path)
    override(root, "iccpr/report.html", '{% extends "base/layout.html" %}\n'
                                        "{% block main %}{{ no_such_thing.x }}{% endblock %}\n")
    assert main(["build", "--project", str(root), "-m", "iccpr"]) == 1
    err = capsys.readouterr().err
    assert "iccpr/report.html: template error: 'no_such_thing' is undefined" in err
    assert "Traceback" not in err
