"""Templates are ready for translation: no word a reader sees is written outside gettext."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def visible_literal_text(source: str) -> str:
    """What of a template would reach the page without going through gettext."""
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    source = re.sub(r"\{%-?\s*(trans|pluralize)\b.*?\{%-?\s*endtrans\s*-?%\}", "", source,
                    flags=re.S)
    source = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", "", source, flags=re.S)
    source = re.sub(r"<style>.*?</style>", "", source, flags=re.S)
    source = re.sub(r"<!--.*?-->|<[^>]+>|&[a-z]+;", "", source, flags=re.S)
    source = re.sub(r"@font-face \{[^}]*\}", "", source)
    return re.sub(r"counter\((page|pages)\)", "", source)  # CSS for the page footer


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")),
                         ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_no_untranslatable_text_in_templates(template):
    leftover = visible_literal_text(template.read_text(encoding="utf-8"))
    words = re.findall(r"[^\W\d_]{2,}", leftover)
    assert words == [], f"literal text outside gettext in {template.name}: {words}"


def test_the_stylesheet_prints_no_words():
    css = (TEMPLATES / "base" / "print.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for value in re.findall(r"content:\s*([^;]+);", css):
        value = re.sub(r"\\[0-9a-fA-F]{1,6} ?", "", value)  # "\202F": a character, not a word
        assert not re.search(r'"[^"]*[^\W\d_][^"]*"', value), value


def test_template_strings_are_extractable():
    """Babel's Jinja2 extractor, with the runtime's options, finds the template strings."""
    messages = set()
    for template in TEMPLATES.rglob("*.html"):
        with template.open("rb") as handle:
            for _, message, _, _ in extract(
                    "jinja2", handle, options={"extensions": "jinja2.ext.i18n",
                                               "trimmed": "true", "newstyle_gettext": "true",
                                               "silent": "false"}):
                messages.update([message] if isinstance(message, str) else message)
    for expected in ("Executive summary", "Contents", "Page %(page)s of %(pages)s",
                     "Recommending State(s)", "Annex I. Documented cases"):
        assert expected in messages, expected
