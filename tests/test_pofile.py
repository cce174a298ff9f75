"""Catalogs are written byte for byte as GNU gettext writes them, so that a
save in msgcat, msgmerge, Poedit or Weblate followed by ``i18n update``
changes nothing, and translators' header fields survive an update."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from conftest import REPO

from builder import pofile
from builder.catalogs import read_po
from builder.cli import main

needs_gettext = pytest.mark.skipif(shutil.which("msgcat") is None,
                                   reason="GNU gettext (msgcat) is not installed")

CATALOGS = sorted([*REPO.glob("locales/*.pot"), *REPO.glob("locales/*/LC_MESSAGES/*.po"),
                   *REPO.glob("tests/reports/*/locales/**/*.po*")])


def msgcat(path: Path, *options: str) -> str:
    return subprocess.run(["msgcat", *options, str(path)], capture_output=True, text=True,
                          check=True).stdout


def test_libunistring_is_found_where_gettext_is():
    # Without it strings are wrapped after spaces only: the CI machine must not
    # fall back silently.
    if shutil.which("msgcat") is not None:
        assert pofile.gnu_wrapping()


@needs_gettext
@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.relative_to(REPO).as_posix())
def test_the_shipped_catalogs_are_as_msgcat_writes_them(path):
    assert msgcat(path) == path.read_text(encoding="utf-8")


# --- random catalogs in the three languages, against msgcat -------------------------

WORDS = (  # noqa: SIM905 (a sentence is easier to read than a list of tokens)
    "police detained activists Almaty LGBTQI+ human-rights well-known e.g. No. 1,355 "
    "полиция задержала активистов «ЛГБТ-пропаганды» законопроект Иванова-Петрова №5 "
    "құқық қорғаушылар белсенділер ұсталды 2025-жылы Қазақстан ОҚО/ЮКО «ай» „x“ "
    "https://example.org/a-b_c?x=1&y=%20 [TBC: date] [@case-1] [#rec-2] [=law] *emph* "
    "(UPR) (ICCPR, art. 19) 19/2 %(languages)s %(count)d %% % 50% a/b \"q\" 'single' "
    "%-5s %*d %.*f %(a)*d %(x(y))s %(open %5.2lf "
    "— – - … ; : , . ! ? \\ \t x\ty 中文字 é ü ﬁ a\u00a0b x\u200by"
).split(" ")


def _text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.choice([0, 1, 3, 8, 15, 30, 60])):
        parts.append(rng.choice(WORDS))
        parts.append(rng.choice([" ", " ", " ", "  ", "\n", "", "-", " \n"]))
    return "".join(parts) + ("\n" if rng.random() < 0.2 else "")


def _comment(rng: random.Random) -> str:
    # GNU reads a comment line that ends with a backslash as continued on the
    # next line (a quirk of its reader), so none is generated.
    return " ".join(_text(rng).split()).replace("\\", "/")


def random_catalog(seed: int) -> Catalog:
    rng = random.Random(seed)
    catalog = Catalog(locale=rng.choice(["ru", "kk", "en"]), charset="utf-8")
    for number in range(150):
        flags = {"python-format"} if rng.random() < 0.3 else set()
        if rng.random() < 0.2:
            flags.add("fuzzy")
        plural = rng.random() < 0.1
        source = f"{_text(rng)} #{number}"
        message = Message(
            (source, _text(rng) + " many") if plural else source,
            [_text(rng) for _ in range(3)] if plural else _text(rng),
            context=rng.choice([None, f"cases/case-{number}/summary", _text(rng)[:30]]),
            flags=flags, locations=[(f"content/file{number % 3}.yaml", None)],
            auto_comments=[_comment(rng) for _ in range(rng.randint(0, 2))],
            user_comments=[_comment(rng) for _ in range(rng.randint(0, 1))])
        if "fuzzy" in flags and rng.random() < 0.5:
            message.previous_id = [_text(rng)]
        catalog[message.id] = message
    for number in range(30):
        message = Message(f"old {number} {_text(rng)}", _text(rng), context=f"old/{number}",
                          flags={"fuzzy"} if rng.random() < 0.3 else set())
        if message.fuzzy and rng.random() < 0.5:
            message.previous_id = [_text(rng)]
        catalog.obsolete[catalog._key_for(message.id, message.context)] = message
    return catalog


@needs_gettext
@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("width", [79, 50, 0], ids=["default", "width-50", "no-wrap"])
def test_random_catalogs_are_written_as_msgcat_writes_them(tmp_path, seed, width):
    catalog = random_catalog(seed)
    written = pofile.dump(catalog, page_width=width or 79, wrapped=bool(width))
    path = tmp_path / "random.po"
    path.write_text(written, encoding="utf-8")
    gnu = msgcat(path, f"--width={width}" if width else "--no-wrap")
    assert gnu == written


# --- what translators' tools do to the files, then i18n update ----------------------

def _project(tmp_path: Path) -> Path:
    """A copy of the sample, with its templates: update maintains both domains."""
    root = tmp_path / "project"
    root.mkdir()
    for part in ("content", "locales", "templates"):
        shutil.copytree(REPO / part, root / part)
    return root


@needs_gettext
@pytest.mark.parametrize("options", [["--width=60"], ["--no-wrap"], ["--sort-output"],
                                     []], ids=["width-60", "no-wrap", "sorted", "plain"])
def test_a_save_by_msgcat_then_update_leaves_the_catalogs_as_they_were(tmp_path, options,
                                                                       capsys):
    root = _project(tmp_path)
    catalogs = sorted((root / "locales").rglob("*.po"))
    before = {path: path.read_bytes() for path in catalogs}
    for path in catalogs:
        path.write_text(msgcat(path, *options), encoding="utf-8")
    if options:
        assert any(path.read_bytes() != before[path] for path in catalogs)
    assert main(["i18n", "update", "-p", str(root)]) == 0
    assert {path: path.read_bytes() for path in catalogs} == before
    capsys.readouterr()
    assert main(["i18n", "update", "--check", "-p", str(root)]) == 0


def test_translators_header_fields_survive_an_update(tmp_path, capsys):
    root = _project(tmp_path)
    po = root / "locales/ru/LC_MESSAGES/content.po"
    text = po.read_text(encoding="utf-8")
    header_end = text.index("\n\n")
    header = text[:header_end]
    header = header.replace('"Project-Id-Version: ', '"Project-Id-Version: kz-coalition 2026 / ')
    header = header.replace('"Report-Msgid-Bugs-To: ', '"Report-Msgid-Bugs-To: team@example.org')
    header += '\n"X-Generator: Poedit 3.4.2\\n"\n"X-Poedit-Bookmarks: 12,-1\\n"'
    header = "# Russian translation by the coalition's team.\n" + header
    po.write_text(header + text[header_end:], encoding="utf-8")
    edited = po.read_bytes()
    assert main(["i18n", "update", "-p", str(root)]) == 0
    assert po.read_bytes() == edited
    after = po.read_text(encoding="utf-8")
    for kept in ("# Russian translation by the coalition's team.",
                 "Project-Id-Version: kz-coalition 2026 /", "team@example.org",
                 '"X-Generator: Poedit 3.4.2\\n"', "X-Poedit-Bookmarks: 12,-1"):
        assert kept in after


def test_a_new_catalog_header_is_in_gnu_order_and_utf8(tmp_path, capsys):
    root = _project(tmp_path)
    assert main(["i18n", "init", "de", "-p", str(root)]) == 0
    text = (root / "locales/de/LC_MESSAGES/content.po").read_text(encoding="utf-8")
    header = text[:text.index("\n\n")]
    names = [line[1:line.index(":")] for line in header.splitlines()
             if line.startswith('"') and ":" in line]
    assert names == [name for name in pofile.HEADER_ORDER if name in names]
    assert "charset=UTF-8" in header and "Generated-By" not in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header


def test_an_obsolete_entry_with_a_previous_source_is_read(tmp_path):
    # msgmerge writes "#~|" for the previous source of an obsolete fuzzy entry;
    # Babel alone cannot read it.
    data = ('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            "#, fuzzy\n#~| msgid \"old text\"\n#~ msgctxt \"a/b\"\n#~ msgid \"new text\"\n"
            '#~ msgstr "перевод"\n')
    path = tmp_path / "obsolete.po"
    path.write_text(data, encoding="utf-8")
    from builder.catalogs import read_catalog

    loaded, problems = read_catalog(path, "obsolete.po", "ru")
    assert problems == []
    assert pofile.dump(loaded.catalog) == data
    assert read_po(data.encode(), "ru").obsolete


# --- the options translators know from msgmerge and pybabel ---------------------------

def test_layout_options_of_update(tmp_path, capsys):
    root = _project(tmp_path)
    ru = root / "locales/ru/LC_MESSAGES/content.po"
    kk = root / "locales/kk/LC_MESSAGES/content.po"
    kk_before = kk.read_bytes()

    assert main(["i18n", "update", "-p", str(root), "--no-wrap", "--lang", "ru"]) == 0
    assert kk.read_bytes() == kk_before  # --lang: only Russian
    lines = ru.read_text(encoding="utf-8").splitlines()
    # no-wrap: a continuation line only after a line break of the string
    for previous, line in zip(lines, lines[1:], strict=False):
        if line.startswith('"') and not previous.startswith(("msgid", "msgstr", "msgctxt")):
            assert previous.endswith('\\n"'), (previous, line)
    assert max(map(len, lines)) > 79
    assert main(["i18n", "update", "--check", "-p", str(root), "--no-wrap", "-l", "ru"]) == 0
    capsys.readouterr()
    assert main(["i18n", "update", "--check", "-p", str(root), "-l", "ru"]) == 1

    assert main(["i18n", "update", "-p", str(root), "--no-location", "--width", "60"]) == 0
    text = ru.read_text(encoding="utf-8")
    assert "\n#: " not in text
    # (comments are never wrapped, by GNU either)
    assert max(len(line) for line in text.splitlines() if not line.startswith(("#.", "# "))) \
        <= 60

    assert main(["i18n", "update", "-p", str(root), "--add-location", "full"]) == 0
    assert "#: content/sections.yaml:" in ru.read_text(encoding="utf-8")
    assert main(["i18n", "update", "-p", str(root)]) == 0  # the defaults again
    assert ru.read_bytes() == (REPO / "locales/ru/LC_MESSAGES/content.po").read_bytes()
    assert kk.read_bytes() == kk_before

    capsys.readouterr()
    assert main(["i18n", "update", "-p", str(root), "--lang", "fr"]) == 1
    assert "i18n init fr" in capsys.readouterr().err


def test_stats_by_file_counts_each_source_file(tmp_path, capsys):
    root = _project(tmp_path)
    po = root / "locales/kk/LC_MESSAGES/content.po"
    text = po.read_text(encoding="utf-8")
    # Empty the translation of one entry of sources.yaml.
    start = text.index('msgctxt "sources/')
    at = text.index("msgstr ", start)
    end = text.index("\n\n", at)
    po.write_text(text[:at] + 'msgstr ""' + text[end:], encoding="utf-8")
    assert main(["i18n", "stats", "--by-file", "-l", "kk", "-p", str(root)]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()
            if line.startswith("   ")}
    assert rows["content/sources.yaml"][1:3] == ["0", "1"]  # fuzzy 0, missing 1
    assert rows["content/cases.yaml"][2] == "0"
    assert "templates/base/layout.html" in rows
    total = [line for line in out.splitlines() if "kk/LC_MESSAGES/content.po" in line][0]
    assert total.split()[4] == "1"


# --- context for translators ------------------------------------------------------------

def test_every_template_string_says_where_it_appears():
    catalog = read_po((REPO / "locales/shadow-report.pot").read_bytes(), None)
    messages = [message for message in catalog if message.id]
    assert messages
    for message in messages:
        assert message.auto_comments, message.id
    by_id = {(message.context, message.id): message for message in messages}
    # Words whose translation agrees with "recommendation" carry a context and
    # a comment that says so.
    for context, word in (("response to a recommendation", "Supported"),
                          ("response to a recommendation", "Noted"),
                          ("assessment of a recommendation", "Partially implemented")):
        message = by_id[(context, word)]
        assert any("recommendation" in comment for comment in message.auto_comments)
    column = by_id[(None, "Recommending State(s)")]
    assert any("table column heading" in comment for comment in column.auto_comments)
    assert any("States that made" in comment for comment in column.auto_comments)


def test_a_projects_own_template_comment_reaches_its_translators(tmp_path, capsys):
    root = _project(tmp_path)
    page = root / "templates/upr/report.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace(
        '<th scope="col">{{ _("Our assessment") }}</th>',
        '{# Translators: the coalition\'s own assessment #}\n'
        '  <th scope="col">{{ _("Coalition assessment") }}</th>'), encoding="utf-8")
    assert main(["i18n", "update", "-p", str(root)]) == 0
    po = (root / "locales/ru/LC_MESSAGES/shadow-report.po").read_text(encoding="utf-8")
    entry = po[:po.index('msgid "Coalition assessment"')].rsplit("\n\n", 1)[1]
    assert "#. the coalition's own assessment" in entry
    assert "#. The UPR submission: a table column heading." in entry
