"""The words of the translated editions as their readers check them: a case's
articles of a treaty, dates in the annex, and the titles of the sources."""

from __future__ import annotations

import re

import pytest
from conftest import run_tool

from builder.i18n import Language
from builder.mechanisms import CEDAW, ICCPR
from builder.render import Renderer
from builder.translate import edition_language, template_catalog

# A placeholder whose words are English in a Russian or Kazakh edition:
# "[уточнить: exact title]" (a document symbol inside one starts with a capital).
ENGLISH_PLACEHOLDER = re.compile(r"\[(?:уточнить|нақтылау): [a-z]")


def read(path) -> str:
    """A PDF's text as a reader reads it: a word hyphenated at a line's end
    whole, one space between words."""
    text = re.sub(r"(?<=\w)[‐-]\n(?=\w)", "", run_tool("pdftotext", str(path), "-"))
    return " ".join(text.split())


def language(sample, code: str) -> Language:
    catalog, problems = template_catalog(sample, code)
    assert problems == []
    return edition_language(sample, code, catalog)


class _Plan:  # the renderer needs a plan only for references, absent here
    content = type("C", (), {"index": staticmethod(lambda name: {})})()
    cases = []
    case_numbers = {}


# -- a treaty's articles ---------------------------------------------------------

@pytest.mark.parametrize(("name", "row"), [
    ("cedaw-en", r"CEDAW, arts\. \d+(, \d+)* and \d+"),
    ("cedaw-ru", r"ст\. \d+(, \d+)* и \d+ КЛДЖ"),
    ("cedaw-kk", r"Конвенцияның \d+(, \d+)* және \d+-баптары"),
    ("iccpr-en", r"ICCPR, arts\. \d+(, \d+)* and \d+"),
    ("iccpr-ru", r"ст\. \d+(, \d+)* и \d+ МПГПП"),
    ("iccpr-kk", r"Пактінің \d+(, \d+)* және \d+-баптары"),
])
def test_a_case_names_the_articles_it_concerns_as_the_language_does(sample_pdfs, name, row):
    """Kazakh: the treaty in the genitive, the articles with their possessive
    suffix ("Конвенцияның 5 және 7-баптары", not "Конвенция, 5 және
    7-баптар"); Russian: the articles, then the treaty ("ст. 5 и 7 КЛДЖ")."""
    text = read(sample_pdfs[name])
    assert re.search(row, text)
    assert not re.search(r"(Конвенция|АСҚХП|КЛДЖ|МПГПП), (ст\. )?\d", text)


@pytest.mark.parametrize(("code", "one", "two"), [
    ("en", ["CEDAW, art. 5", "ICCPR, art. 7"], ["CEDAW, arts. 5 and 7", "ICCPR, arts. 7 and 26"]),
    ("ru", ["ст. 5 КЛДЖ", "ст. 7 МПГПП"], ["ст. 5 и 7 КЛДЖ", "ст. 7 и 26 МПГПП"]),
    ("kk", ["Конвенцияның 5-бабы", "Пактінің 7-бабы"],
     ["Конвенцияның 5 және 7-баптары", "Пактінің 7 және 26-баптары"]),
])
def test_one_article_and_several_each_read_as_one_phrase(sample, code, one, two):
    edition = language(sample, code)
    renderer = Renderer(_Plan(), edition)
    assert [renderer.articles([5], CEDAW.treaty), renderer.articles([7], ICCPR.treaty)] == one
    assert [renderer.articles([5, 7], CEDAW.treaty),
            renderer.articles([7, 26], ICCPR.treaty)] == two
    assert edition.translations.fallbacks == []


# -- dates ------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "label", "month", "month_year"), [
    ("upr-en", "Date", "May", "October 2025"),
    ("upr-ru", "Дата", "май", "октябрь 2025 г."),
    ("upr-kk", "Күні", "мамыр", "2025 жылғы қазан"),
])
def test_the_annex_writes_dates_as_the_rest_of_its_cells(sample_pdfs, name, label, month,
                                                         month_year):
    """A case dated by its month alone reads "мамыр", in lowercase as every other
    date and "not stated" cell of the annex (CLDR's stand-alone Kazakh month is
    "Мамыр"); a Kazakh month and year read as the Kazakh text writes them."""
    layout = run_tool("pdftotext", "-layout", str(sample_pdfs[name]), "-").replace("\u202f", " ")
    cells = re.findall(rf"^{label} {{2,}}(\S.*?)\s*$", layout, re.M)
    assert month in cells and month_year in cells
    if not name.endswith("-en"):
        assert [cell for cell in cells if cell[0].isupper()] == []


# -- titles of sources ------------------------------------------------------------

@pytest.mark.parametrize("name", ["upr-ru", "cedaw-ru", "iccpr-ru"])
def test_a_russian_edition_cites_a_un_document_by_its_russian_title_alone(sample_pdfs, name):
    text = read(sample_pdfs[name])
    assert ("Доклад Рабочей группы по универсальному периодическому обзору: Казахстан "
            "(A/HRC/43/10), Организация Объединённых Наций") in text
    assert "Report of the Working Group" not in text
    if name == "cedaw-ru":
        assert ("Общая рекомендация № 35 о гендерном насилии в отношении женщин, "
                "предназначенная для обновления общей рекомендации № 19 (CEDAW/C/GC/35)") in text
        assert "General recommendation" not in text


def test_a_kazakh_edition_cites_a_title_as_published_with_its_translation(sample_pdfs):
    text = read(sample_pdfs["upr-kk"])
    assert "Report of the Working Group on the Universal Periodic Review: Kazakhstan " \
           "(A/HRC/43/10) [Әмбебап мерзімді шолу" in text
    assert "Gay Rights Violated in Kazakhstan [Қазақстанда" in text


@pytest.mark.parametrize("name", ["upr-ru", "upr-kk", "cedaw-ru", "cedaw-kk", "iccpr-ru",
                                  "iccpr-kk"])
def test_a_title_not_yet_known_reads_in_the_editions_language(sample_pdfs, name):
    """A description standing in for a title ("[TBC: exact title] CIVICUS
    interview with ...") is no title to quote: only its translation, with its
    placeholder in the edition's language; and a placeholder in a title is
    printed once, after the title and its translation, never in brackets within
    brackets."""
    text = read(sample_pdfs[name])
    assert "[[" not in text and "]]" not in text
    assert ENGLISH_PLACEHOLDER.findall(text) == []
    assert "CIVICUS interview" not in text and "Article on LGBTIQ people" not in text
    assert "Watchdog blog post" not in text
