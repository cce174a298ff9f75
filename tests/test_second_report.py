"""A second report, written from scratch with `shadow-report new`: a fictional joint
submission on women human rights defenders and LGBTQI+ people in Kyrgyzstan
(tests/reports/second). It validates, builds, keeps every confidential value out of
the public edition and the catalogs, prints them in the internal edition, and refuses
five planted leaks with a located message that does not repeat the value.

Every test works on a copy of the project and runs the command line in-process.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import docx_text

from builder.cli import main

FIXTURE = Path(__file__).resolve().parent / "reports" / "second"

# --- the confidential values of the fixture ---------------------------------------
# Names of everyone who did not speak publicly: the name, its spellings, the aliases,
# each part alone, and inflected forms (Russian cases, Kazakh suffixes, English
# possessive).
NAMES = [
    # people/whrd-osh
    "Zhyldyz Temirkulova", "Жылдыз Темиркулова", "Жұлдыз Темірқұлова",
    "Jyldyz Temirkulova", "Zhyldyz", "Jyldyz", "Temirkulova", "Жылдыз", "Жұлдыз",
    "Темиркулова", "Темірқұлова",
    "Темиркуловой", "Temirkulova's", "Жұлдызға",
    # people/young-woman-talas
    "Aiperi Mamatova", "Айпери Маматова", "Айпері Маматова", "Aipery Mamatova",
    "Aiperi", "Aipery", "Mamatova", "Айпери", "Айпері", "Маматова",
    "Маматовой", "Mamatova's", "Айперидің",
    # people/gay-man-bishkek
    "Nurbek Abylkasymov", "Нурбек Абылкасымов", "Нұрбек Абылқасымов", "Nurbek A.",
    "Nurbek", "Abylkasymov", "Нурбек", "Нұрбек", "Абылкасымов", "Абылқасымов",
    "Абылкасымова", "Абылкасымовым", "Abylkasymov's",
    # people/witness-talas (name written only in Cyrillic)
    "Эрмек Бейшенкулов", "Эрмек", "Бейшенкулов", "Бейшенкулова", "Эрмека",
    "Ermek", "Beishenkulov", "Beyshenkulov",
]
PLACES = ["Kara-Suu", "Kyzyl-Adyr", "Кара-Суу", "Кызыл-Адыр"]
# The confidential dates (cases' exact dates, the confidential case's date, a date of
# birth) in the forms an English edition prints and in numeric notations.
DATES = [
    "14 March 2025", "14 March", "March 14", "2025-03-14", "14.03.2025", "14/03/2025",
    "27 September 2024", "27 September", "September 27", "2024-09-27", "27.09.2024",
    "19 August 2025", "19 August", "2025-08-19", "19.08.2025",
    "2 June 2003", "2003-06-02", "02.06.2003",
]
# Fields of confidential entries: the source's author and URL, the statistic's label,
# the recommendation's text and addressee, the case's title, a person's contact and
# notes, a case's confidential notes.
OTHER = [
    "Meerim Abdykadyrova", "Abdykadyrova", "Meerim",
    "vault.example.org", "https://vault.example.org/adc/field-notes/south-2025",
    "field-notes/south-2025", "Interview notes from the field visit",
    "Calls received by the peer support line",
    "Assign protection to the defender", "Chief of the Osh Regional Police Department",
    "Home address of a trans woman activist",
    "+996 555 414 273", "555 414 273", "aiperi.m@mail.kg",
    "Reachable only through the shelter", "her village never be named",
    "survivors' support group in Kara-Suu",
]
STATISTIC = re.compile(r"1[\s,.'\u00a0\u202f\u2009]?386")  # 1386, 1,386, 1 386, ...
# Ids of confidential entries: printed in catalog contexts and link targets if leaked.
IDS = ["online-exposure", "protect-named-defender", "support-line-calls",
       "adc-interview-notes"]
CONFIDENTIAL = NAMES + PLACES + DATES + OTHER


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "second"
    shutil.copytree(FIXTURE, target)
    return target


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def tool(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def variants(text: str) -> list[str]:
    """The text as extracted, with line-end hyphens joined or kept, addresses
    broken before (or after) a "/", "." or "-" joined, spaces collapsed."""
    text = text.replace("\u00ad", "")
    joined = re.sub(r"[\u2010-]\s*\n\s*", "", text)
    kept = re.sub(r"([\u2010-])\s*\n\s*", "-", text)
    addresses = re.sub(r"(?<=\w[/.])\n(?=\w)|(?<=\w)\n(?=[/.\-?&=_~#%@]\w)", "", text)
    return [re.sub(r"\s+", " ", t).replace("\u2010", "-").casefold()
            for t in (text, joined, kept, addresses)]


def found(values: list[str], text: str) -> list[str]:
    forms = variants(text)
    return [value for value in values
            if any(re.sub(r"\s+", " ", value).casefold() in form for form in forms)]


def pdf_public_text(pdf: Path) -> str:
    return "\n".join([tool("pdftotext", "-enc", "UTF-8", str(pdf), "-"),
                      tool("pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"),
                      tool("pdfinfo", "-meta", str(pdf)),
                      tool("pdfinfo", "-enc", "UTF-8", str(pdf))])


# --- (a) ---------------------------------------------------------------------------

def test_validates(project: Path, capsys) -> None:
    code, out, err = run(capsys, "validate", "--project", str(project))
    assert code == 0, err
    assert "content/ is valid: 4 sections, 6 cases, 6 recommendations, " \
           "2 previous recommendations, 4 sources" in out
    assert "placeholder to confirm" in err  # the [TBC: ...] placeholders are listed
    assert not found(CONFIDENTIAL, out + err)


# --- (b) ---------------------------------------------------------------------------

def test_public_pdf_editions_hold_no_confidential_value(project: Path, capsys) -> None:
    """All six public PDFs build (a layout that moves a line end must not make
    the leak check refuse one: "19. Там же" is not the 19th of August) and
    hold none of the confidential values."""
    code, out, err = run(capsys, "build", "--project", str(project))
    assert code == 0, err
    assert sorted(p.name for p in (project / "output").iterdir()) == [
        f"{m}-{lang}.pdf" for m in ("cedaw", "iccpr", "upr") for lang in ("en", "ru")]
    for pdf in (project / "output").iterdir():
        text = pdf_public_text(pdf)
        assert found(CONFIDENTIAL, text) == [], pdf.name
        assert not STATISTIC.search(text), pdf.name
    pdf = project / "output" / "upr-en.pdf"
    text = pdf_public_text(pdf)
    # the build really laid out the report: pseudonyms, the public lawyer, public places
    for expected in ("Women human rights defenders and LGBTQI+ people in Kyrgyzstan",
                     "A. lost access to her phone", "Gulnara Asanbekova", "Osh Region",
                     "March 2025", "Talas Region", "September 2024", "Bishkek"):
        assert found([expected], text), expected
    assert found(CONFIDENTIAL, text) == []
    assert not STATISTIC.search(text)
    assert "0 embedded files" in tool("pdfdetach", "-list", str(pdf))

    # the file itself, decompressed: no Latin value nor a confidential entry's id
    # in any string (link targets, bookmarks, metadata, structure tree)
    raw = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(pdf), "-"],
                         check=True, capture_output=True).stdout.decode("latin-1")
    ascii_values = [v for v in NAMES + PLACES + OTHER + IDS if v.isascii() and len(v) > 4]
    assert [v for v in ascii_values if v in raw] == []
    assert not found(CONFIDENTIAL, out + err)


def test_public_word_editions_hold_no_confidential_value(project: Path, capsys) -> None:
    code, out, err = run(capsys, "build", "--project", str(project), "--format", "docx")
    assert code == 0, err
    files = sorted((project / "output").iterdir())
    assert [p.name for p in files] == ["cedaw-en.docx", "cedaw-ru.docx", "iccpr-en.docx",
                                       "iccpr-ru.docx", "upr-en.docx", "upr-ru.docx"]
    for path in files:
        text = docx_text(path)  # every part's text, runs joined, and the properties
        assert found(["Women human rights defenders and LGBTQI+ people in Kyrgyzstan"],
                     text), path.name  # (the title is not translated into Russian)
        assert found(CONFIDENTIAL, text) == [], path.name
        assert not STATISTIC.search(text), path.name
        with zipfile.ZipFile(path) as package:  # every byte of every part, as stored
            raw = b"\n".join(package.read(info) for info in package.infolist()).decode()
        assert found(CONFIDENTIAL + IDS, raw) == [], path.name
    assert found(["A. lost access to her phone", "Gulnara Asanbekova"],
                 docx_text(project / "output" / "upr-en.docx"))
    code, out, err = run(capsys, "build", "--project", str(project), "--internal", "-m", "upr",
                         "-l", "en", "--format", "docx")
    assert code == 0, err
    text = docx_text(project / "output" / "upr-en.internal.docx")
    assert [v for v in ("Zhyldyz Temirkulova", "Aiperi Mamatova", "Kara-Suu village, Osh "
                        "Region", "14 March 2025", "CONFIDENTIAL") if not found([v], text)] == []


# --- (c) ---------------------------------------------------------------------------

def test_internal_upr_edition_prints_the_confidential_values(project: Path, capsys) -> None:
    code, out, err = run(capsys, "build", "--project", str(project), "--internal",
                         "-m", "upr", "-l", "en")
    assert code == 0, err
    pdf = project / "output" / "upr-en.internal.pdf"
    assert pdf.is_file()
    assert not (project / "output" / "upr-en.pdf").exists()
    text = pdf_public_text(pdf)
    expected = ["Zhyldyz Temirkulova", "Aiperi Mamatova", "Nurbek Abylkasymov",
                "Эрмек Бейшенкулов", "Kara-Suu village, Osh Region",
                "Kyzyl-Adyr village, Talas Region", "14 March 2025", "27 September 2024",
                "19 August 2025", "Meerim Abdykadyrova", "vault.example.org",
                "Chief of the Osh Regional Police Department",
                "Home address of a trans woman activist", "CONFIDENTIAL"]
    assert [v for v in expected if not found([v], text)] == []
    assert STATISTIC.search(text)
    assert "CONFIDENTIAL" in tool("pdfinfo", str(pdf))


# --- (d) ---------------------------------------------------------------------------

def test_catalogs_hold_no_confidential_value(project: Path, capsys) -> None:
    code, out, err = run(capsys, "i18n", "extract", "--project", str(project))
    assert code == 0, err
    catalogs = sorted((project / "locales").rglob("*.po*"))
    assert {p.relative_to(project).as_posix() for p in catalogs} == {
        "locales/content.pot", "locales/ru/LC_MESSAGES/content.po"}
    for path in catalogs:
        text = path.read_text(encoding="utf-8")
        assert "[%young-woman-talas]" in text  # the person marker, not the name
        plain = text.casefold()
        assert [v for v in CONFIDENTIAL + IDS if v.casefold() in plain] == [], path
        assert not STATISTIC.search(text), path


# --- (e) ---------------------------------------------------------------------------

def _plant(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _position(path: Path, value: str) -> tuple[int, int]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if value in line:
            return number, line.index(value) + 1
    raise AssertionError(value)


LEAKS = {
    # a declined surname (Russian genitive of Абылкасымов) in a section's paragraph
    "declined-surname-in-paragraph": (
        "content/sections.yaml", "After the raid of June 2025,",
        "After the raid of June 2025 (the press wrote of the arrest of Абылкасымова),",
        "Абылкасымова", "sections[2].paragraphs[1]", "people/gay-man-bishkek"),
    # a given name alone in a recommendation
    "given-name-in-recommendation": (
        "content/recommendations.yaml", "women human rights defenders, and return",
        "women human rights defenders such as Zhyldyz, and return",
        "Zhyldyz", "recommendations[0].text", "people/whrd-osh"),
    # the confidential exact date, numeric, in the case's public summary
    "numeric-date-in-case-summary": (
        "content/cases.yaml", "questioning three times in the following month",
        "questioning on 14.03.2025 and twice in the following month",
        "14.03.2025", "cases[0].summary", "cases/osh-defender-search/confidential"),
    # the confidential place's village name in a section's paragraph
    "village-in-paragraph": (
        "content/sections.yaml", "was refused a copy",
        "was refused a copy in Kara-Suu",
        "Kara-Suu", "sections[0].paragraphs[1]", "cases/osh-defender-search/confidential"),
    # the person's name in a Russian translation
    "name-in-russian-msgstr": (
        "locales/ru/LC_MESSAGES/content.po",
        '"number of shelter places in the region.]"\nmsgstr ""\n',
        '"number of shelter places in the region.]"\nmsgstr ""\n'
        '"Айпери Маматова смогла уйти только с помощью родственника, "\n'
        '"[%witness-talas], и приюта волонтёров [#talas-forced-marriage]. "\n'
        '"[TBC: число мест в приютах региона.]"\n',
        "Айпери Маматова", "sections/family-violence/paragraphs/1",
        "people/young-woman-talas"),
}


@pytest.mark.parametrize("leak", sorted(LEAKS))
def test_planted_leak_is_refused_with_its_location(project: Path, capsys, leak: str) -> None:
    relative, old, new, value, where, owner = LEAKS[leak]
    path = project / relative
    _plant(path, old, new)
    line, column = _position(path, value)

    code, out, err = run(capsys, "validate", "--project", str(project))
    assert code == 1
    if relative.startswith("content/"):
        location = f"{relative}:{line}:{column}: {where}: "
    else:
        location = f"{relative}:{line}: {where}: "
    messages = [m for m in err.splitlines() if m.startswith(location)]
    assert messages, err
    assert any(owner in m for m in messages), messages
    errors = [m for m in err.splitlines() if ": warning: " not in m]
    assert all(m.startswith(location) for m in errors[:-1]), errors  # no other error
    # the message never repeats the value, nor any other confidential value
    assert value not in out + err
    assert found(CONFIDENTIAL, out + err) == []


# --- defects met while writing this report, now fixed ----------------------------------

def test_public_words_accepts_a_hyphenated_name(project: Path, capsys) -> None:
    # The confidential field notes were written by a submitting organisation: its name,
    # printed on the cover, is public knowledge and listed as such.
    _plant(project / "content" / "sources.yaml", "  author: Meerim Abdykadyrova\n",
           "  author: Meerim Abdykadyrova\n  publisher: Ala-Too Defenders Circle\n")
    _plant(project / "content" / "report.yaml", "public_words: [Bishkek]",
           "public_words: [Bishkek, Ala-Too Defenders Circle]")
    code, out, err = run(capsys, "validate", "--project", str(project))
    assert code == 0, err


def test_a_case_reference_is_not_called_a_person(project: Path, capsys) -> None:
    # Without Bishkek among the public words, the public case 'bishkek-party-raid' holds
    # the place of the confidential case 'online-exposure': every reference to it is refused.
    _plant(project / "content" / "report.yaml", "public_words: [Bishkek]", "public_words: []")
    code, out, err = run(capsys, "validate", "--project", str(project))
    assert code == 1
    references = [m for m in err.splitlines()
                  if re.search(r"\.(cases|evidence)\[\d+\]: the reference contains", m)]
    assert len(references) >= 3, err
    assert [m for m in references if "person" in m] == []
