"""Typographic characters in each language, and lists sorted and merged
(builder/typography.py, builder/render.py)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from conftest import EDITIONS, edition_html

from builder.typography import WORD_JOINER, typeset


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "<p>The bill banning “LGBTQI+ <em>propaganda</em>” (“x”), Kazakhstan’s ‘law’.</p>"),
    # An English title cited in a Russian edition: ‘…’ opens with ‘, not ’.
    ("ru", "<p>The bill banning «LGBTQI+ <em>propaganda</em>» («x»), Kazakhstan’s ‘law’.</p>"),
])
def test_straight_quotes_become_the_languages_own(language, expected):
    html = ("<p>The bill banning &#34;LGBTQI+ <em>propaganda</em>&#34; (&#34;x&#34;), "
            "Kazakhstan&#39;s &#39;law&#39;.</p>")
    assert typeset(html, language) == expected


def test_quotes_inside_quotes_in_russian_and_kazakh():
    assert typeset('<p>«законопроект о запрете "пропаганды"» и "другой"</p>', "kk") == \
        "<p>«законопроект о запрете „пропаганды“» и «другой»</p>"


def test_a_quotation_inside_another_closes_with_it():
    """English nests ‘…’ inside “…” (the inner closing mark is the
    apostrophe, which an apostrophe does not close); in Russian, „…“ closes
    before » when both end together."""
    assert typeset('<p>The "so-called "propaganda" law" and Kazakhstan\'s "bill"</p>', "en") \
        == "<p>The “so-called ‘propaganda’ law” and Kazakhstan’s “bill”</p>"
    assert typeset('<p>о "законе о "пропаганде"" и "другом"</p>', "ru") == \
        "<p>о «законе о „пропаганде“» и «другом»</p>"


def test_a_un_document_symbol_breaks_only_before_a_slash():
    """Never after a slash ("CEDAW/C/KAZ/CO/" / "5"), nor inside its first
    two parts or its last two: "CEDAW/C" / "/KAZ" / "/CO/5"."""
    html = "<p>CEDAW/C/KAZ/CO/5, A/HRC/43/10 and 12/2024</p>"
    joined = typeset(html, "en")
    glued, before = f"/{WORD_JOINER}", f"\u200b/{WORD_JOINER}"
    assert joined == (f"<p>CEDAW{glued}C{before}KAZ{before}CO{glued}5, "
                      f"A{glued}HRC{before}43{glued}10 and 12/2024</p>")
    assert typeset(joined, "en") == joined


@pytest.mark.parametrize(("language", "expected"), [
    ("ru", "9,5\u00a0% и 48\u00a0% (100\u00a0%)"), ("kk", "9,5% и 48% (100%)"),
    ("en", "9,5% и 48% (100%)")])
def test_a_percent_sign_is_set_as_the_tool_sets_percentages(language, expected):
    """As Babel prints a statistic in each language: a translator's "9,5%"
    next to the tool's "48 %" on one page of a Russian edition read as two
    styles."""
    from builder.i18n import Language
    from builder.translate import SourceTranslations

    assert typeset("<p>9,5% и 48 % (100\u00a0%)</p>", language) == f"<p>{expected}</p>"
    printed = Language(language, SourceTranslations()).number(48, percent=True)
    assert typeset(f"<p>{printed}</p>", language) == f"<p>{printed}</p>"


def test_a_quote_is_paired_within_its_block():
    """An unclosed quote in one paragraph does not turn the next one's around."""
    assert typeset('<p>He said "no.</p><p>"Yes" and "no".</p>', "en") == \
        "<p>He said “no.</p><p>“Yes” and “no”.</p>"


def test_styles_addresses_and_attributes_are_left_as_they_are():
    html = ('<style>a > b { content: "x" }</style><p title="&#34;t&#34;">'
            '<a class="url" href="https://e.org/it&#39;s-2-a">https://e.org/it&#39;s-2-a</a>'
            ' "q"</p>')
    assert typeset(html, "en") == (
        '<style>a > b { content: "x" }</style><p title="&#34;t&#34;">'
        '<a class="url" href="https://e.org/it&#39;s-2-a">https://e.org/it&#39;s-2-a</a>'
        " “q”</p>")


def test_a_numeral_keeps_its_suffix():
    html = '<p>(<a href="#c">8</a>-жағдай), 5-бап, 2025 жылғы, COVID-19, ill-treated</p>'
    assert typeset(html, "kk") == (
        f'<p>(<a href="#c">8</a>-{WORD_JOINER}жағдай), 5-{WORD_JOINER}бап, '
        "2025 жылғы, COVID-19, ill-treated</p>")


def test_typesetting_twice_changes_nothing():
    html = '<p>"a" it\'s 12-жағдай 2025 жылғы «б „в“»</p>'
    once = typeset(html, "kk")
    assert typeset(once, "kk") == once


def _text(html: str) -> str:
    """The text a reader sees: no styles, tags, attributes or addresses."""
    html = re.sub(r"(?s)<style.*?</style>|<a class=\"url\".*?</a>", "", html)
    return unescape(re.sub(r"<[^>]*>", "", html))


@pytest.mark.parametrize("name", EDITIONS)
def test_the_samples_text_has_no_straight_quote_and_no_double_stop(sample, name):
    text = _text(edition_html(sample, name))
    assert re.findall(r".{0,20}[\"'].{0,20}", text) == []
    assert re.findall(r".{0,30}[гж]\.\.", text) == []  # "2 января 2026 г.."
    if name.endswith("-en"):
        assert "“" in text and "’" in text
    else:
        assert "«" in text


@pytest.mark.parametrize("name", EDITIONS)
def test_lists_of_cases_and_articles_are_sorted_and_merged(sample, name):
    """"Cases 4, 11 and 12." (never "case 11, case 12, case 4"), "arts. 2, 5
    and 13", «Случаи 10 и 11», "10 және 11-жағдайлар": every list of numbers
    that the tool writes is in increasing order."""
    html = edition_html(sample, name)
    text = _text(html).replace(WORD_JOINER, "")
    lists = re.findall(r"(?:[Cc]ases?|arts?\.|[Сс]луча[йи]|ст\.) (\d+(?:(?:, | and | и )\d+)*)",
                       text)
    lists += re.findall(r"(\d+(?:(?:, | және )\d+)*)-(?:жағдай|бап)", text)
    assert len(lists) > 10
    assert len([found for found in lists if not found.isdigit()]) >= 5  # of several numbers
    unsorted = [found for found in lists
                if [int(n) for n in re.findall(r"\d+", found)] !=
                sorted({int(n) for n in re.findall(r"\d+", found)})]
    assert unsorted == []
    assert not re.search(r"case \d+, case \d+|случай \d+, случай \d+", text)
