"""The leak check's matcher: names in every case and script, broken names,
dates, numbers and addresses in every notation, and no false alarm on
ordinary words that merely look like a name."""

from __future__ import annotations

import pytest

from builder.errors import LeakError
from builder.leakcheck import Matcher, Needle, compact, phrase, single, words_of


def name_matcher(*names: str, owner: str = "people/x") -> Matcher:
    """Needles for names the way the inventory makes them: the whole name and
    each part of three letters or more."""
    needles = []
    for name in names:
        words = words_of(name)
        if len(words) > 1:
            needles.append(phrase(name, owner, "name", min_inflected=3))
        needles += [single(word, owner, "name") for word in words if len(word) >= 3]
    return Matcher(needles)


def found(matcher: Matcher, text: str) -> list[str]:
    return [text[hit.start:hit.end] for hit in matcher.find(text)]


# Declension tables, written out by hand: every form must be found.
RUSSIAN = {
    # masculine surname in -ев, its feminine and plural forms
    "Мукашев": ["Мукашев", "Мукашева", "Мукашеву", "Мукашевым", "Мукашеве", "Мукашевой",
                "Мукашевы", "Мукашевых", "Мукашевыми"],
    # given name ending in a consonant
    "Бексат": ["Бексат", "Бексата", "Бексату", "Бексатом", "Бексате", "Бексаты"],
    # given name in -а
    "Гульзада": ["Гульзада", "Гульзады", "Гульзаде", "Гульзаду", "Гульзадой", "Гульзадою"],
    # given name in -й
    "Андрей": ["Андрей", "Андрея", "Андрею", "Андреем", "Андрее"],
    # given name in -ь
    "Айгуль": ["Айгуль", "Айгули", "Айгулью"],
    # feminine surname
    "Секербаева": ["Секербаева", "Секербаевой", "Секербаеву", "Секербаев"],
    # fleeting vowel
    "Павел": ["Павел", "Павла", "Павлу", "Павлом", "Павле"],
    # a name from another alphabet, declined in Russian text
    "Dilnoza Karimova": ["Дильнозы", "Дильнозе", "Дильнозу", "Дильнозой", "Каримовой",
                         "Каримову"],
    "Martin Weber": ["Мартина", "Мартину", "Мартином", "Вебера", "Веберу", "Вебером"],
}
KAZAKH = {
    "Мұқашев": ["Мұқашевтің", "Мұқашевке", "Мұқашевті", "Мұқашевте", "Мұқашевтен",
                "Мұқашевпен", "Мұқашевтер", "Мұқашевтердің", "Мұқашевтерге", "Мұқашеві",
                "Мұқашевтікі", "Мұқашевтей"],
    "Бексат": ["Бексаттың", "Бексатқа", "Бексатты", "Бексатта", "Бексаттан", "Бексатпен",
               "Бексаттар", "Бексатым", "Бексатыңыз"],
    "Гүлзада": ["Гүлзаданың", "Гүлзадаға", "Гүлзаданы", "Гүлзадада", "Гүлзададан",
                "Гүлзадамен", "Гүлзадалар", "Гүлзадасы", "Гүлзадасының"],
    "Айгүл": ["Айгүлдің", "Айгүлге", "Айгүлді", "Айгүлде", "Айгүлден", "Айгүлмен"],
    "Секербаева": ["Секербаеваның", "Секербаеваға", "Секербаеваны", "Секербаевада",
                   "Секербаевадан", "Секербаевамен"],
    "Dilnoza Karimova": ["Дилнозаның", "Дилнозаға", "Каримованың", "Каримовамен"],
    "Noa": ["Ноаның", "Ноаға", "Ноаны", "Ноамен"],
}


@pytest.mark.parametrize(("name", "form"), [(name, form) for table in (RUSSIAN, KAZAKH)
                                            for name, forms in table.items()
                                            for form in forms])
def test_every_grammatical_case_of_a_name_is_found(name, form):
    sentence = f"Свидетель видел, что {form} увезли."
    assert found(name_matcher(name), sentence) == [form]


@pytest.mark.parametrize(("name", "written"), [
    ("Beksat Mukashev", "Mukashev"),                  # the surname alone
    ("Beksat Mukashev", "Beksat"),                    # the given name alone
    ("Beksat Mukashev", "Mukaschew"),                 # German transliteration
    ("Бексат Мұқашев", "Mukashev"),                   # Latin for Cyrillic
    ("Beksat Mukashev", "Мукашев"),                   # Cyrillic for Latin
    ("Arman Khassanov", "Хасанов"),                   # doubled letter and kh
    ("Temirlan Baimash", "Temirlan"),
    ("Ерлан Жакупов", "Yerlan Zhakupov"),             # ye and zh
    ("Ерлан Жакупов", "Jakupov"),
    ("Beksat Mukashev", "Muk\u0430shev"),             # a Cyrillic "а" inside
    ("Beksat Mukashev", "M\u0443kashev"),             # a Cyrillic "у" (looks like y)
    ("Pavel Orlov", "\u0420avel"),                    # a Cyrillic "Р" for P
    ("Темірлан", "Темiрлан"),                         # a Latin "i" for Kazakh "і"
    ("Темірлан", "Темирлан"),                         # Russian "и" for "і"
    ("Beksat Mukashev", "Muka-shev"),                 # a hyphen inside
    ("Beksat Mukashev", "Mu-\nkashev"),               # hyphenated at a line end
    ("Beksat Mukashev", "Muka shev"),                 # a space inside
    ("Beksat Mukashev", "M u k a s h e v"),           # letter-spaced
    ("Beksat Mukashev", "M.u.k.a.s.h.e.v"),
    ("Beksat Mukashev", "Muka\u00adshev"),            # soft hyphen
    ("Beksat Mukashev", "Muka\u200bshev"),            # zero-width space
    ("Beksat Mukashev", "Muka\u200dshev"),            # zero-width joiner
    ("Beksat Mukashev", "Mukashe\u0301v"),            # a combining accent
    ("Beksat Mukashev", "\uff2d\uff55\uff4b\uff41\uff53\uff48\uff45\uff56"),  # fullwidth
    ("Beksat Mukashev", "MUKASHEV"),
    ("Бексат Мұқашев", "Мұқа-шевтің"),
    ("Бексат Мұқашев", "Mukashev's"),
    ("علي حسن", "علي"),                               # a name in Arabic script
])
def test_names_are_found_in_any_spelling_script_or_trick(name, written):
    sentence = f"The report says that {written} was taken away."
    hits = found(name_matcher(name), sentence)
    assert hits and all(hit in sentence for hit in hits)


@pytest.mark.parametrize(("name", "text"), [
    ("Bota", "the bottom of the list; robots; bottles; a boat"),
    ("Noa", "there is no anti-discrimination law; Noah's Ark; nobody; a note"),
    ("Inna", "и на улице; он и на работе"),
    ("Andrei", "Andreevsky Street; and re-read"),
    ("Aiman Umarova", "a human right; the Umar Mosque"),
    ("Beksat Mukashev", "Mukhtar; the mukam; a Kazakh musician"),
    ("Mukashev", "muka shev"[:4] + " and shev"),      # parts too far apart
])
def test_ordinary_words_are_not_mistaken_for_names(name, text):
    assert found(name_matcher(name), text) == []


def test_the_second_part_of_a_hyphenated_word_starts_no_name_broken_by_a_space():
    """A Kazakh line that starts with the end of a hyphenated word and a space,
    "дың арасына", is not the name Динара broken by a space ("Динарасына");
    a name broken at a line end, and a name broken by a space after such a
    part, are still found."""
    matcher = name_matcher("Динара Жұмабекова")
    text = "Ерекшелеу жұлдызшалар\u2010\nдың арасына жазылады."
    assert found(matcher, text) == []
    # ... also across a page, with the page's running header and footer between
    assert found(matcher, "жұлдызшалар\u2010\nI. Түйіндеме\nБет 3 / 6\nдың арасына") == []
    assert "Ди\u2010\nнара Жұмабекова" in found(matcher, "Бұл — Ди\u2010\nнара Жұмабекова.")
    assert found(matcher, "жұлдызшалар\u2010\nдың Дина ра") == ["Дина ра"]


def test_a_full_name_inflected_in_a_sentence_is_found_as_one_hit_per_form():
    matcher = name_matcher("Beksat Mukashev", "Бексат Мукашев")
    text = "Родители Бексата Мукашева удерживают его; Мукашевым занялся адвокат."
    assert "Бексата Мукашева" in found(matcher, text)
    assert "Мукашевым" in found(matcher, text)


DATE = Needle("cases/x/confidential", "date", date=(2025, 3, 14))
BIRTH = Needle("people/x", "date of birth", date=(1987, 11, 23))
NO_YEAR = Needle("cases/y/confidential", "date", date=(None, 5, 29))


@pytest.mark.parametrize("written", [
    "2025-03-14", "14.03.2025", "14.3.2025", "14/03/2025", "03/14/2025", "14-03-2025",
    "2025.03.14", "14.03.25", "14 March 2025", "March 14, 2025", "March 14th, 2025",
    "14th of March 2025", "14 Mar 2025", "14 марта 2025", "14 марта 2025 года",
    "14.03.2025 г.", "2025 жылғы 14 наурыз", "2025 жылғы 14 наурызда", "2025 ж. 14 наурыз",
    "14 наурыз 2025",
])
def test_a_confidential_date_is_found_in_any_notation(written):
    assert found(Matcher([DATE]), f"It happened on {written}, at night.")


@pytest.mark.parametrize("written", ["23.11.1987", "23 November 1987", "November 23, 1987",
                                     "23 ноября 1987 г.", "1987 жылғы 23 қараша"])
def test_a_date_of_birth_is_found_in_any_notation(written):
    assert found(Matcher([BIRTH]), f"born {written}")


@pytest.mark.parametrize("written", ["29 May", "May 29", "29 мая", "29 мамыр", "29.05",
                                     "29 мам.", "05/29", "29/5", "29/05"])
def test_a_date_without_year_is_found(written):
    assert found(Matcher([NO_YEAR]), f"on {written} they came")


@pytest.mark.parametrize("text", [
    "Бет 3 / 8", "Бет 5 / 29", "Page 3 / 8", "pp. 3–8", "paras. 8-3", "3.8 %", "8.3 million",
    "section 3.8", "(3, 8)",
])
def test_page_numbers_ranges_and_decimals_are_not_a_date_without_year(text):
    """The 8th of March and the 3rd of August (a confidential date of 2024):
    a Kazakh PDF of 8 pages was refused, its footer "Бет 3 / 8" read as one."""
    march, august = (Needle("cases/q/confidential", "date", date=(None, 3, 8)),
                     Needle("cases/q/confidential", "date", date=(None, 8, 3)))
    may = Needle("cases/q/confidential", "date", date=(None, 5, 29))
    assert found(Matcher([march, august, may]), f"{text} were counted") == []
    assert found(Matcher([march]), "on 08.03 and on 8/3") == ["08.03", "8/3"]


def test_an_abbreviated_month_that_is_also_a_word_needs_its_full_stop_or_a_year():
    """Notes 18 and 19 that read "Там же" ("ibid.") are not the 19th of
    August (Kazakh "там." for тамыз): the abbreviation counts with its full
    stop, or next to a year."""
    august = Matcher([Needle("cases/z", "date", date=(None, 8, 19)),
                      Needle("cases/z", "date", date=(2025, 8, 19))])
    assert found(august, "17. Доклад.\n18. Там же.\n19. Там же, с. 12.") == []
    for written in ("19 там.", "19 там 2025", "2025 ж. 19 там.", "19 авг.", "19 тамызда"):
        assert found(august, f"оқиға {written} болды"), written


@pytest.mark.parametrize("text", [
    "In March 2025, 14 people were detained.", "Articles 14, 3 and 2025.",
    "14 cases in 2025; March", "On 15 March 2025.", "On 14 March 2024.", "29 people in May",
    "March 2025, 14", "29 of 5 cases",
])
def test_other_dates_and_numbers_are_not_a_date(text):
    assert found(Matcher([DATE, NO_YEAR]), text) == []


@pytest.mark.parametrize("written", ["62000", "62,000", "62 000", "62\u00a0000", "62\u202f000",
                                     "62.000"])
def test_a_confidential_figure_is_found_however_it_is_grouped(written):
    needle = Needle("statistics/x", "value", number=62000.0)
    assert found(Matcher([needle]), f"about {written} people")
    assert found(Matcher([needle]), "about 62 people and 1,000 more") == []


def test_a_phone_number_and_addresses_are_found_without_their_punctuation():
    phone = Needle("people/x", "contact", compact="5551234")
    url = Needle("sources/x", "url", compact=compact("example.org/secret-report"))
    mail = Needle("people/x", "contact", compact=compact("aigul.k@mail.kz"))
    matcher = Matcher([phone, url, mail])
    assert found(matcher, "call 8 (701) 555-12-34") == ["555-12-34"]
    assert found(matcher, "see https://www.example.org/secret-report/") == [
        "example.org/secret-report"]
    assert found(matcher, "write to aigul.k@mail.kz") == ["aigul.k@mail.kz"]
    assert found(matcher, "in 2019, 555 people; 12 34") == []


def test_a_short_value_is_found_as_a_phrase_with_its_inflected_words():
    needle = phrase("Kyzylzhar village", "cases/x/confidential", "place")
    assert found(Matcher([needle]), "in Kyzylzhar village") == ["Kyzylzhar village"]
    assert found(Matcher([needle]), "в Кызылжар village") == ["Кызылжар village"]


# --- the read-back of a written PDF -------------------------------------------------

def _make(tmp_path, body: str, secrets: tuple, title: str = "Report"):
    from builder.jobs import PdfJob
    from builder.pdf import make_pdf

    html = ('<html lang="kk"><head><meta charset="utf-8"><title>' + title + '</title><style>'
            '@font-face { font-family: "Report Serif"; '
            'src: url("asset:fonts/NotoSerif-Regular.ttf"); } html { font-family: '
            '"Report Serif" } @page { size: A6; @bottom-center { content: "Бет " '
            'counter(page) " / " counter(pages) } }</style></head><body>'
            f"{body}</body></html>")
    return make_pdf(PdfJob(html, None, tmp_path / "out.pdf", "pdf/ua-1", secrets, "upr-kk"))


def test_a_page_footer_is_not_a_confidential_date(tmp_path):
    """A Kazakh PDF of 8 pages ("Бет 3 / 8") with a case's confidential date of
    8 March 2024 was refused as holding it; a drafter cannot remove a page number."""
    secrets = (Needle("cases/x/confidential", "date", date=(2024, 3, 8)),
               Needle("cases/x/confidential", "date", date=(None, 3, 8)))
    pages = "".join(f'<p style="break-after: page">Бөлім {n}.</p>' for n in range(8))
    done = _make(tmp_path, pages, secrets)
    assert done.pages == 8 and (tmp_path / "out.pdf").exists()


def test_a_leak_read_back_is_located_without_its_value(tmp_path):
    secrets = (Needle("cases/x/confidential", "date", date=(2024, 3, 8)),
               Needle("cases/x/confidential", "date", date=(None, 3, 8)))
    body = '<p style="break-after: page">Кіріспе.</p><p>Оқиға 08.03.2024 болды.</p>'
    with pytest.raises(LeakError) as refused:
        _make(tmp_path, body, secrets, title="Report of 8 March 2024")
    message = str(refused.value)
    assert message == ("upr-kk: confidential data of cases/x/confidential (its date, page 2 "
                       "and its metadata, bookmarks or links) found in the PDF as read back; "
                       "nothing was written")
    assert "08.03" not in message and not (tmp_path / "out.pdf").exists()
