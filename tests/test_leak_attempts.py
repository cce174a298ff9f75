"""Attacks on the leak check, written the way a careless drafter or a hurried
translator slips: each attempt plants one confidential value into a fresh copy
of the sample project and runs the real ``shadow-report validate``.

An attempt is caught when validate exits 1, prints a located line
(``content/<file>.yaml:LINE:COL: ...`` or ``locales/<lang>/LC_MESSAGES/<x>.po:LINE: ...``,
at the line where the value was planted) naming the entry the value belongs
to, and does not print the value itself. Attempts that are not caught are
marked ``xfail(strict=True)`` with what happens instead: they are findings,
not expectations.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import REPO

from builder.cli import main

SECTIONS = "content/sections.yaml"
REPORT = "content/report.yaml"
CASES = "content/cases.yaml"
PEOPLE = "content/people.yaml"
SOURCES = "content/sources.yaml"
STATISTICS = "content/statistics.yaml"
RECOMMENDATIONS = "content/recommendations.yaml"
RU = "locales/ru/LC_MESSAGES/content.po"
KK = "locales/kk/LC_MESSAGES/content.po"
KK_TEMPLATES = "locales/kk/LC_MESSAGES/shadow-report.po"

SOFT_HYPHEN = "\u00ad"
ZERO_WIDTH_SPACE = "\u200b"


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for part in ("content", "locales"):
        shutil.copytree(REPO / part, target / part)
    return target


# --- planting ----------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """Replace ``old`` (which must occur exactly once) by ``new`` in ``path``;
    with ``old=None``, append ``new`` to the file."""

    path: str
    old: str | None
    new: str


def after(path: str, anchor: str, text: str) -> Edit:
    """Write ``text`` right after ``anchor`` (on the anchor's line)."""
    return Edit(path, anchor, anchor + text)


def apply(root: Path, edits: tuple[Edit, ...]) -> None:
    for edit in edits:
        path = root / edit.path
        text = path.read_text(encoding="utf-8")
        if edit.old is None:
            text = text.rstrip("\n") + "\n" + edit.new
        else:
            assert text.count(edit.old) == 1, (edit.path, edit.old)
            text = text.replace(edit.old, edit.new)
        path.write_text(text, encoding="utf-8")


# Anchors: the start of a public paragraph (one line of the file) in English,
# and the first line of its translation in each catalog.
EN_FAMILY = "Families are a source of serious violence."
EN_LAWYER = "A lawyer who took up the case said the police would have acted long ago"
EN_POLICE = "Activists opposing the bill report ill-treatment by state agents."
EN_ATTACKS = "Attacks are rarely investigated."
EN_DEFENDERS = "Organising openly carries serious risks."
EN_DOCUMENTS = "People who cannot or do not wish to meet these conditions keep documents"
EN_EMIGRATE = "Many LGBT people emigrate to live openly and safely"
EN_SUMMARY = "The bill adds to long-standing gaps."
RU_FAMILY = '"Семьи становятся источником серьёзного насилия.'
RU_LAWYER = '"Адвокат-правозащитница, взявшаяся за это дело, заявила, что полиция давно бы '
RU_SUMMARY = '"Законопроект усугубляет давно существующие пробелы.'
RU_ATTACKS = '"Нападения редко расследуются.'
RU_POLICE = '"Активисты, выступающие против законопроекта, сообщают о жестоком обращении '
RU_DEFENDERS = '"Открытая организационная деятельность сопряжена с серьёзными рисками.'
RU_DOCUMENTS = '"Люди, которые не могут или не хотят выполнять эти условия, сохраняют '
KK_FAMILY = '"Отбасы ауыр зорлық-зомбылықтың көзі болып отыр.'
KK_LAWYER = '"Іспен айналысқан адвокат, егер жігіт гей болмағанда, полиция әлдеқашан '
KK_SUMMARY = '"Бұл заң жобасы бұрыннан бар олқылықтарды одан әрі ушықтырады.'
KK_ATTACKS = '"Шабуылдар сирек тергеледі.'
KK_POLICE = '"Заң жобасына қарсы шыққан белсенділер мемлекеттік органдар қызметкерлерінің '
KK_DEFENDERS = '"Ашық түрде ұйымдасу елеулі қатерге толы.'
KK_DOCUMENTS = '"Бұл шарттарды орындай алмайтын немесе орындағысы келмейтін адамдардың '

# Confidential data added to the sample by some attempts.
EXACT_DATE = Edit(CASES, "- id: bisexual-man-no-redress\n",
                  "- id: bisexual-man-no-redress\n  confidential:\n    date: 2025-03-14\n")
EXACT_DAY_OF_A_MONTH = Edit(CASES, "  date: 2025-10\n",
                            "  date: 2025-10\n  confidential:\n    date: 2025-10-14\n")
BORN = after(PEOPLE, "  name: Beksat Mukashev\n", "  born: 1987-11-23\n")
CONTACT = after(PEOPLE, "  name: Beksat Mukashev\n",
                '  contact: "+7 701 555 12 34, Abay street 12"\n')
VILLAGE = after(CASES, "    responsible: His uncle and his aunt.\n",
                "    place: Kyzylzhar village\n")
AFFECTED_NAMED = after(CASES, "  affected: Two women.\n",
                       "  confidential:\n    affected: Aigerim Nurlanova and Dana Sultanova, "
                       "students in Almaty.\n")
SECRET_SECTION = Edit(SECTIONS, None, """
- id: operation-raduga
  confidential: true
  title: Operation Raduga
  paragraphs:
    - >
      Internal notes on the police raids, for the partner organisations only.
""")
SECRET_SOURCE = Edit(SOURCES, None, """
- id: safehouse-diary
  confidential: true
  title: Diary of the safehouse coordinator
  author: Saltanat Ospanova
  url: https://t.me/kyzylzhar_safehouse
  language: ru
""")
SECRET_RECOMMENDATION = Edit(RECOMMENDATIONS, None, """
- id: rec-uralsk-police-chief
  confidential: true
  addressee: Colonel Yerlan Dzhaksybekov
  text: >
    Open a disciplinary inquiry into the officers who ignored the friend's report.
  sections: [family-violence]
""")
SECRET_STATISTIC = Edit(STATISTICS, None, """
- id: safehouse-residents
  confidential: true
  label: Safehouse residents
  value: 4127
  source: rferl-watchdog
""")


def new_person(person_id: str, pseudonym: str, description: str) -> Edit:
    return Edit(PEOPLE, None, f"""
- id: {person_id}
  pseudonym: {pseudonym}
  description: {description}
  role: victim
  name: Dilnoza Karimova
  names: {{ru: Дилноза Каримова, kk: Дилноза Каримова}}
""")


# --- the attempts ------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    id: str
    edits: tuple[Edit, ...]
    where: str  # the file the value is planted in, as validate names it
    leak: str  # the planted text, on one line of ``where`` and only there
    owner: str  # the entry the value belongs to, which the message must name
    secrets: tuple[str, ...] = ()  # other forms of the value stderr must not show


def attempt(id_, where, anchor, text, leak, owner, *, setup=(), secrets=(), marks=()):
    """Plant ``text`` right after ``anchor`` in ``where``; ``leak`` is the
    part of ``text`` that gives the value away."""
    assert leak in text
    case = Attempt(id_, (*setup, after(where, anchor, text)), where, leak, owner,
                   tuple(secrets))
    return pytest.param(case, id=id_, marks=marks)


def missed(reason: str):
    return pytest.mark.xfail(strict=True, reason=reason)


BEKSAT = "people/young-man-uralsk"
ARMAN = "people/friend-uralsk"
ZHANAR = "people/activist-shymkent-1"
GULZADA = "people/activist-shymkent-2"
AZIYAT = "people/activist-forum"
ARDZH = "people/activist-presentation"
TEMIRLAN = "people/activist-cafe"
DOCTOR = "people/doctor"
NO_REDRESS = "cases/bisexual-man-no-redress/confidential"
FORUM = "cases/forum-speaker-abduction/confidential"
TRANS_MAN = "cases/trans-man-threats/confidential"
URALSK = "cases/uralsk-family-confinement/confidential"
MUKASHEV = ("Mukashev", "Мукашев", "Мұқашев", "Beksat", "Бексат")

ATTEMPTS = [
    # --- a drafter writes an inflected surname into English public text ---------------
    attempt("en-summary-ru-genitive-full-name", REPORT, EN_SUMMARY,
            ' Russian-language posts speak of "дело Бексата Мукашева".',
            "Бексата Мукашева", BEKSAT, secrets=MUKASHEV),
    attempt("en-sections-ru-genitive", SECTIONS, EN_FAMILY,
            " The father of Мукашева is described as locally influential.",
            "Мукашева", BEKSAT, secrets=MUKASHEV),
    attempt("en-sections-ru-instrumental", SECTIONS, EN_LAWYER,
            ' (headline: "Что случилось с Мукашевым"),', "Мукашевым", BEKSAT,
            secrets=MUKASHEV),
    attempt("en-sections-kk-genitive", SECTIONS, EN_FAMILY,
            ' A Kazakh post ("Мұқашевтің әкесі ықпалды адам") says so too.',
            "Мұқашевтің", BEKSAT, secrets=MUKASHEV),
    attempt("en-summary-kk-dative", REPORT, EN_SUMMARY,
            ' Campaigners wrote "Мұқашевке бостандық" on social media.', "Мұқашевке",
            BEKSAT, secrets=MUKASHEV),
    attempt("en-sections-english-possessive", SECTIONS, EN_FAMILY,
            " Mukashev's father is described as locally influential.", "Mukashev's",
            BEKSAT, secrets=MUKASHEV),
    attempt("en-sections-ru-feminine-instrumental", SECTIONS, EN_DEFENDERS,
            ' A local headline read "Что стало с Секербаевой".', "Секербаевой", ZHANAR,
            secrets=("Sekerbaev", "Секербаев")),
    attempt("en-sections-kazakh-latin-script", SECTIONS, EN_FAMILY,
            ' A post in the Latin Kazakh alphabet ("Muqaşevtiñ äkesi") says so too.',
            "Muqaşevtiñ", BEKSAT, secrets=MUKASHEV + ("Muqaşev",)),
    # --- look-alike letters and broken words ------------------------------------------
    attempt("en-cyrillic-e-in-latin-surname", SECTIONS, EN_FAMILY,
            " Mukash\u0435v's father is described as locally influential.",
            "Mukash\u0435v's", BEKSAT, secrets=MUKASHEV),
    attempt("en-cyrillic-a-in-latin-surname", SECTIONS, EN_DEFENDERS,
            " One of them, Zh. Sekerb\u0430eva, was pushed into the car.",
            "Sekerb\u0430eva", ZHANAR, secrets=("Sekerbaeva",)),
    attempt("en-cyrillic-o-in-latin-surname", SECTIONS, EN_LAWYER,
            " after the friend, Khassan\u043ev, raised the alarm,", "Khassan\u043ev", ARMAN,
            secrets=("Khassanov",)),
    attempt("en-letter-spaced-surname", SECTIONS, EN_POLICE,
            " One of them, T u r y n k h a n, has a disability.", "T u r y n k h a n", ARDZH,
            secrets=("Turynkhan",)),
    attempt("en-hyphen-inside-surname", SECTIONS, EN_POLICE,
            " The café detainee, Bai-mash, was held for three hours.", "Bai-mash", TEMIRLAN,
            secrets=("Baimash",)),
    attempt("en-soft-hyphen-inside-surname", SECTIONS, EN_DEFENDERS,
            f" One of them, Sekerbae{SOFT_HYPHEN}va, was pushed into the car.",
            f"Sekerbae{SOFT_HYPHEN}va", ZHANAR, secrets=("Sekerbaeva",)),
    attempt("en-zero-width-space-inside-surname", SECTIONS, EN_DEFENDERS,
            f" The other, Ser{ZERO_WIDTH_SPACE}zhan, filmed the crowd.",
            f"Ser{ZERO_WIDTH_SPACE}zhan", GULZADA, secrets=("Serzhan",)),
    # --- a given name alone -------------------------------------------------------------
    attempt("en-given-name-beksat", SECTIONS, EN_FAMILY,
            " Beksat tried several times to flee.", "Beksat", BEKSAT, secrets=MUKASHEV),
    attempt("en-given-name-zhanar", SECTIONS, EN_DEFENDERS,
            " Zhanar and her colleague had come from Almaty.", "Zhanar", ZHANAR),
    attempt("en-given-name-gulzada", REPORT, EN_SUMMARY,
            " Gulzada, one of the activists, was pushed into a police car.", "Gulzada",
            GULZADA),
    attempt("en-given-name-usual-english-spelling", SECTIONS, EN_EMIGRATE,
            " (Alexander, the doctor, considered leaving).", "Alexander", DOCTOR,
            secrets=("Aleksandr",)),
    attempt("en-given-name-in-campaign-hashtag", SECTIONS, EN_FAMILY,
            " His friend started the hashtag #FreeBeksat.", "#FreeBeksat", BEKSAT,
            secrets=MUKASHEV),
    # --- the drafter names the person in other public fields ----------------------------
    attempt("en-case-title", CASES,
            "title: Young gay man beaten and held by force by his family in Uralsk",
            " (Mukashev family)", "(Mukashev family)", BEKSAT, secrets=MUKASHEV),
    attempt("en-organisation-contact-name", REPORT,
            "      name: Submission coordinator (illustrative)", " A. Khassanov",
            "Khassanov", ARMAN),
    attempt("en-public-source-note", SOURCES,
            "Used in an English translation from the German original.",
            " It names the friend, Chassanow.", "Chassanow", ARMAN,
            secrets=("Khassanov",)),
    attempt("en-person-reference-by-name", SECTIONS, EN_FAMILY,
            " [%beksat-mukashev] tried several times to flee.", "[%beksat-mukashev]",
            BEKSAT, secrets=MUKASHEV),
    attempt("en-name-in-placeholder", SECTIONS, EN_FAMILY,
            " [TBC: ask Arman Khassanov whether the family moved]", "Arman Khassanov",
            ARMAN, secrets=("Khassanov",)),
    # --- new people ---------------------------------------------------------------------
    pytest.param(Attempt("en-new-person-pseudonym-is-first-name",
                         (new_person("woman-karaganda", "Dilnoza",
                                     "young woman threatened by her brothers"),),
                         PEOPLE, "pseudonym: Dilnoza", "people/woman-karaganda",
                         ("Karimova",)), id="en-new-person-pseudonym-is-first-name"),
    pytest.param(Attempt("en-new-person-description-has-surname",
                         (new_person("woman-karaganda", "D.",
                                     "youngest daughter of the Karimov family"),),
                         PEOPLE, "Karimov family", "people/woman-karaganda",
                         ("Karimova", "Dilnoza")),
                 id="en-new-person-description-has-surname"),
    pytest.param(Attempt("en-new-person-id-from-name",
                         (new_person("dilnoza-karimova", "D.",
                                     "young woman threatened by her brothers"),
                          Edit(CASES, "  people: [bisexual-woman]\n",
                               "  people: [bisexual-woman, dilnoza-karimova]\n")),
                         PEOPLE, "- id: dilnoza-karimova", "people[12]",
                         ("Karimova", "Dilnoza")),
                 id="en-new-person-id-from-name"),
    # the drafter renames the id but forgets the case that refers to it
    pytest.param(Attempt("en-renamed-person-id-still-referenced",
                         (new_person("woman-karaganda", "D.",
                                     "young woman threatened by her brothers"),
                          Edit(CASES, "  people: [bisexual-woman]\n",
                               "  people: [bisexual-woman, dilnoza-karimova]\n")),
                         CASES, "dilnoza-karimova", "people/woman-karaganda",
                         ("Karimova", "Dilnoza")),
                 id="en-renamed-person-id-still-referenced"),
    # --- exact dates --------------------------------------------------------------------
    attempt("en-exact-date-dotted", SECTIONS, EN_ATTACKS,
            " The bisexual man was beaten on 14.03.2025.", "14.03.2025", NO_REDRESS,
            setup=(EXACT_DATE,)),
    attempt("en-exact-date-us-style", REPORT, EN_SUMMARY,
            " A bisexual man was beaten on March 14, 2025.", "March 14, 2025", NO_REDRESS,
            setup=(EXACT_DATE,)),
    attempt("en-exact-date-iso-in-case-response", CASES,
            "    No complaint could be pursued;", " the beating of 2025-03-14 was",
            "beating of 2025-03-14", NO_REDRESS, setup=(EXACT_DATE,),
            secrets=("2025-03-14",)),
    attempt("en-exact-day-without-year", SECTIONS, EN_POLICE,
            " The forum speaker was abducted on 14 October.", "14 October", FORUM,
            setup=(EXACT_DAY_OF_A_MONTH,)),
    attempt("en-date-of-birth", SECTIONS, EN_FAMILY,
            " The young man (born 23.11.1987) was held by force.", "23.11.1987", BEKSAT,
            setup=(BORN,)),
    # --- short or partial confidential values -------------------------------------------
    attempt("en-confidential-place-partial", SECTIONS, EN_DOCUMENTS,
            " The young transgender man lives near Kyzylzhar.", "near Kyzylzhar", TRANS_MAN,
            setup=(VILLAGE,), secrets=("Kyzylzhar",)),
    attempt("en-confidential-affected-name-partial", SECTIONS,
            "Visibility can provoke violence.", " The two women, one of them Dana Sultanova,",
            "Dana Sultanova", "cases/women-filmed-kissing/confidential",
            setup=(AFFECTED_NAMED,), secrets=("Sultanova",)),
    attempt("en-confidential-section-title", SECTIONS, EN_POLICE,
            " The raids of Operation Raduga continued.", "raids of Operation Raduga",
            "sections[13]", setup=(SECRET_SECTION,), secrets=("Raduga",)),
    attempt("en-confidential-source-author-surname", SECTIONS, EN_DEFENDERS,
            " As the safehouse coordinator Ospanova noted, risks grew.", "Ospanova",
            "sources/safehouse-diary", setup=(SECRET_SOURCE,)),
    attempt("en-confidential-source-url", SECTIONS, EN_DEFENDERS,
            " (see t.me/kyzylzhar_safehouse)", "t.me/kyzylzhar_safehouse",
            "sources/safehouse-diary", setup=(SECRET_SOURCE,),
            secrets=("kyzylzhar_safehouse",)),
    attempt("en-confidential-recommendation-addressee", SECTIONS, EN_LAWYER,
            " (Colonel Yerlan Dzhaksybekov ignored the report)", "Colonel Yerlan Dzhaksybekov",
            "recommendations/rec-uralsk-police-chief", setup=(SECRET_RECOMMENDATION,),
            secrets=("Dzhaksybekov",)),
    attempt("en-confidential-recommendation-addressee-surname", SECTIONS, EN_LAWYER,
            " (Colonel Dzhaksybekov ignored the report)", "Colonel Dzhaksybekov",
            "recommendations/rec-uralsk-police-chief", setup=(SECRET_RECOMMENDATION,),
            secrets=("Dzhaksybekov",)),
    attempt("en-confidential-statistic-value", SECTIONS, EN_EMIGRATE,
            " (4,127 people have passed through safehouses)", "4,127",
            "statistics[8]", setup=(SECRET_STATISTIC,), secrets=("4127",)),
    attempt("en-confidential-statistic-label", SECTIONS, EN_EMIGRATE,
            " (safehouse residents among them)", "safehouse residents",
            "statistics[8]", setup=(SECRET_STATISTIC,)),
    attempt("en-contact-phone-digits", SECTIONS, EN_FAMILY,
            " His friend can be reached on 555-12-34.", "555-12-34", BEKSAT,
            setup=(CONTACT,), secrets=("5551234",)),
    attempt("en-contact-street", SECTIONS, EN_FAMILY,
            " The family lives on Abay street.", "Abay street", BEKSAT, setup=(CONTACT,),
            secrets=("Abay",)),
    attempt("en-person-notes-copied", SECTIONS, EN_EMIGRATE,
            " A doctor asked the source not to disclose his full name or where he lives.",
            "asked the source not to disclose his full name or where he lives", DOCTOR),
    attempt("en-case-notes-partial", SECTIONS, EN_LAWYER,
            " (contact only through the friend, never the family)",
            "contact only through the friend, never the family", URALSK),
    # --- a translator writes a name into a Russian msgstr -------------------------------
    attempt("ru-msgstr-genitive-full-name", RU, RU_FAMILY,
            " Такова история Бексата Мукашева.", "Бексата Мукашева", BEKSAT,
            secrets=MUKASHEV),
    attempt("ru-msgstr-instrumental", RU, RU_LAWYER,
            "встретившись с Мукашевым, ", "Мукашевым", BEKSAT, secrets=MUKASHEV),
    attempt("ru-msgstr-friend-dative", RU, RU_SUMMARY,
            " Другу, Хасанову, угрожали.", "Хасанову", ARMAN, secrets=("Хасанов",)),
    attempt("ru-msgstr-latin-o-in-cyrillic-surname", RU, RU_LAWYER,
            "по словам Хасан\u006fва, ", "Хасан\u006fва", ARMAN, secrets=("Хасанов",)),
    attempt("ru-msgstr-zero-width-space", RU, RU_POLICE,
            f"(в том числе Агиш{ZERO_WIDTH_SPACE}ева) ", f"Агиш{ZERO_WIDTH_SPACE}ева",
            AZIYAT, secrets=("Агишев",)),
    attempt("ru-msgstr-letter-spaced-inflected", RU, RU_POLICE,
            "(в том числе Б а й м а ш а) ", "Б а й м а ш а", TEMIRLAN, secrets=("Баймаш",)),
    attempt("ru-msgstr-given-name", RU, RU_DEFENDERS,
            " Гульзаду втолкнули в машину.", "Гульзаду", GULZADA, secrets=("Гульзада",)),
    attempt("ru-msgstr-exact-date", RU, RU_ATTACKS,
            " Бисексуального мужчину избили 14 марта 2025 года.", "14 марта 2025 года",
            NO_REDRESS, setup=(EXACT_DATE,)),
    attempt("ru-msgstr-exact-date-ordinal", RU, RU_ATTACKS,
            " Бисексуального мужчину избили 14-го марта 2025 года.", "14-го марта 2025 года",
            NO_REDRESS, setup=(EXACT_DATE,)),
    attempt("ru-msgstr-date-of-birth", RU, RU_FAMILY,
            " Он родился 23 ноября 1987 г.", "23 ноября 1987", BEKSAT, setup=(BORN,)),
    attempt("ru-msgstr-confidential-place", RU, RU_DOCUMENTS,
            "(он живёт в Кызылжаре) ", "в Кызылжаре", TRANS_MAN, setup=(VILLAGE,),
            secrets=("Кызылжар", "Kyzylzhar")),
    attempt("ru-msgstr-confidential-statistic", RU, RU_DOCUMENTS,
            "(через убежища прошли 4 127 человек) ", "4 127",
            "statistics[8]", setup=(SECRET_STATISTIC,), secrets=("4127",)),
    attempt("ru-msgstr-plural-family-name", RU, RU_SUMMARY,
            " Так было в семье Мукашевых.", "Мукашевых", BEKSAT, secrets=MUKASHEV),
    attempt("ru-msgstr-hyphen-inside-inflected-surname", RU, RU_POLICE,
            "(в том числе Турын-хана) ", "Турын-хана", ARDZH, secrets=("Турынхан",)),
    # --- a translator writes a name into a Kazakh msgstr --------------------------------
    attempt("kk-msgstr-given-name-genitive", KK, KK_FAMILY,
            " Бұл — Бексаттың оқиғасы.", "Бексаттың", BEKSAT, secrets=MUKASHEV),
    attempt("kk-msgstr-accusative-baimash", KK, KK_POLICE,
            "(полиция Баймашты ұстады) ", "Баймашты", TEMIRLAN, secrets=("Баймаш",)),
    attempt("kk-msgstr-date-of-birth", KK, KK_FAMILY,
            " Ол 1987 жылғы 23 қарашада туған.", "1987 жылғы 23 қарашада", BEKSAT,
            setup=(BORN,)),
    attempt("kk-msgstr-genitive", KK, KK_FAMILY,
            " Бұл — Мұқашевтің оқиғасы.", "Мұқашевтің", BEKSAT, secrets=MUKASHEV),
    attempt("kk-msgstr-dative", KK, KK_LAWYER,
            "Мұқашевке көмектесіп, ", "Мұқашевке", BEKSAT, secrets=MUKASHEV),
    attempt("kk-msgstr-latin-i-in-temirlan", KK, KK_POLICE,
            "(Темiрланның айтуынша) ", "Темiрланның", TEMIRLAN,
            secrets=("Темірлан", "Temirlan")),
    attempt("kk-msgstr-dative-serzhan", KK, KK_DEFENDERS,
            " Сержанға полиция қол көтерді.", "Сержанға", GULZADA, secrets=("Сержан",)),
    attempt("kk-msgstr-given-name-instrumental", KK, KK_DEFENDERS,
            " Жанармен бірге келген.", "Жанармен", ZHANAR, secrets=("Жанар",)),
    attempt("kk-msgstr-soft-hyphen", KK, KK_FAMILY,
            f" Бұл — Мұқа{SOFT_HYPHEN}шевтің оқиғасы.", f"Мұқа{SOFT_HYPHEN}шевтің", BEKSAT,
            secrets=MUKASHEV),
    attempt("kk-msgstr-exact-date", KK, KK_ATTACKS,
            " Бисексуал ер адамды 2025 жылғы 14 наурызда ұрып-соққан.",
            "2025 жылғы 14 наурызда", NO_REDRESS, setup=(EXACT_DATE,)),
    attempt("kk-msgstr-exact-date-genitive-year", KK, KK_ATTACKS,
            " Бисексуал ер адамды 2025 жылдың 14 наурызында ұрып-соққан.",
            "2025 жылдың 14 наурызында", NO_REDRESS, setup=(EXACT_DATE,)),
    attempt("kk-msgstr-confidential-place", KK, KK_DOCUMENTS,
            "(ол Қызылжарда тұрады) ", "Қызылжарда", TRANS_MAN, setup=(VILLAGE,),
            secrets=("Қызылжар", "Kyzylzhar")),
    attempt("kk-template-catalog-msgstr", KK_TEMPLATES, 'msgstr "Мазмұны',
            ' (Мұқашевке)', "Мұқашевке", BEKSAT, secrets=MUKASHEV),
]


def located(err: str, where: str, text: str, leak: str, owner: str) -> bool:
    """Whether ``err`` has a line for ``where`` at the line (and, in YAML,
    the column span) where ``leak`` was planted, naming ``owner``."""
    lines = text.splitlines()
    spots = [(number, line.index(leak)) for number, line in enumerate(lines, 1)
             if leak in line]
    assert len(spots) == 1, f"the planted text must be on one line only: {spots}"
    line, start = spots[0]
    owner_pattern = re.escape(owner) + r"(?![\w/-])"
    if where.endswith(".yaml"):
        pattern = rf"^{re.escape(where)}:{line}:(\d+): [^\n]*{owner_pattern}"
        return any(start < int(m.group(1)) <= start + len(leak)
                   for m in re.finditer(pattern, err, re.M))
    return re.search(rf"^{re.escape(where)}:{line}: [^\n]*{owner_pattern}", err, re.M) \
        is not None


def validate(root: Path, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["validate", "-p", str(root)])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("case", ATTEMPTS)
def test_a_planted_leak_is_caught_and_located_without_repeating_it(case: Attempt, tmp_path,
                                                                   capsys):
    root = copy_project(tmp_path / "project")
    apply(root, case.edits)
    code, err = validate(root, capsys)
    assert code == 1, err[-2000:]
    text = (root / case.where).read_text(encoding="utf-8")
    assert located(err, case.where, text, case.leak, case.owner), err[-3000:]
    for value in (case.leak, *case.secrets):
        assert value.casefold() not in err.casefold(), f"stderr shows {value!r}"


# --- must not fire -----------------------------------------------------------------


HARMLESS = [
    pytest.param((after(SECTIONS, EN_EMIGRATE, " Some hit rock bottom before leaving."),),
                 id="en-bottom-is-not-bota"),
    pytest.param((after(REPORT, EN_SUMMARY, " There is still no anti-discrimination law."),),
                 id="en-no-anti-is-not-noa"),
    pytest.param((after(SECTIONS, EN_EMIGRATE, " A shelter called Noah's Ark helps some."),),
                 id="en-noah-is-not-noa"),
    pytest.param((after(SECTIONS, EN_DEFENDERS, " Activists in Almaty and Shymkent agree."),),
                 id="en-public-city-almaty"),
    pytest.param((after(SECTIONS, EN_LAWYER, " (the lawyer, Aiman Umarova, spoke publicly)"),),
                 id="en-public-lawyer-aiman-umarova"),
    pytest.param((Edit(SECTIONS, "A lawyer who took up the case said",
                       "The lawyer Aiman Umarova took up the case and said"),),
                 id="en-public-lawyer-took-up-the-case"),
    pytest.param((after(RU, RU_LAWYER, "(адвокат Айман Умарова) "),),
                 id="ru-public-lawyer-aiman-umarova"),
    pytest.param((after(RU, RU_POLICE, "(сержант полиции отказался представиться) "),),
                 id="ru-sergeant-is-not-serzhan"),
    pytest.param((after(KK, KK_POLICE, "(полиция сержанты аты-жөнін айтпады) "),),
                 id="kk-sergeant-is-not-serzhan"),
    # A name that is also an ordinary word is refused by default (README, "False
    # alarms"); marked as one of the person's common_words, it is searched only
    # beside another part of the name.
    pytest.param((Edit(PEOPLE, "  name: Bota\n", "  name: Bota\n  common_words: [Bota, Бота]\n"),
                  after(RU, RU_ATTACKS, " Угрозы писали тролли и боты.")),
                 id="ru-bots-are-not-bota-once-marked-common"),
    pytest.param((Edit(PEOPLE, "  name: Arman Khassanov\n",
                       "  name: Arman Khassanov\n  common_words: [Arman, Арман]\n"),
                  after(KK, KK_DEFENDERS, " Олардың арманы — қауіпсіз өмір.")),
                 id="kk-dream-is-not-arman-once-marked-common"),
    pytest.param((EXACT_DATE, after(SECTIONS, EN_ATTACKS,
                                    " Another attack was reported on 14 March 2024.")),
                 id="en-same-day-other-year"),
    pytest.param((BORN, after(SECTIONS, EN_FAMILY, " He was born in November 1987.")),
                 id="en-month-and-year-of-birth-only"),
    pytest.param((VILLAGE, after(SECTIONS, EN_DOCUMENTS, " He grew up in a village.")),
                 id="en-generic-word-of-a-confidential-place"),
    pytest.param((SECRET_STATISTIC, after(SECTIONS, EN_EMIGRATE,
                                          " (4,128 people answered the survey)")),
                 id="en-neighbouring-number"),
]


@pytest.mark.parametrize("edits", HARMLESS)
def test_ordinary_text_is_not_a_leak(edits, tmp_path, capsys):
    root = copy_project(tmp_path / "project")
    apply(root, edits)
    code, err = validate(root, capsys)
    assert code == 0, "\n".join(line for line in err.splitlines() if "warning:" not in line)
    assert "confidential" not in err


# --- catalogs: comments and history ------------------------------------------------


def translations(path: Path) -> dict:
    """Every translated, non-fuzzy entry of a PO file: (context, id) -> string."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {(message.context, message.id if isinstance(message.id, str) else
             tuple(message.id)): message.string
            for message in catalog if message.id and not message.fuzzy and
            all(message.string if isinstance(message.string, tuple) else [message.string])}


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes()
            for path in sorted((root / "locales").rglob("*")) if path.is_file()}


OBSOLETE = Edit(KK, None, """
#~ msgctxt "cases/uralsk-family-confinement/affected"
#~ msgid "A young gay man, Beksat Mukashev."
#~ msgstr "Жас гей жігіт, Бексат Мұқашев."
""")
PREVIOUS = Edit(RU, 'msgctxt "sections/family-violence/paragraphs/0"\n',
                '#, fuzzy\n'
                '#| msgid "Families are a source of serious violence: Mukashev arranged it."\n'
                'msgctxt "sections/family-violence/paragraphs/0"\n')
# A long previous source, wrapped the way msgmerge and write_catalog write it.
PREVIOUS_WRAPPED = Edit(RU, 'msgctxt "sections/family-violence/paragraphs/0"\n',
                        '#, fuzzy\n'
                        '#| msgid ""\n'
                        '#| "Families are a source of serious violence. The parents of Beksat "\n'
                        '#| "Mukashev arranged a marriage for him."\n'
                        'msgctxt "sections/family-violence/paragraphs/0"\n')
AUTO_COMMENT = Edit(KK, "#. sections.yaml, entry 'family-violence': paragraphs 1.\n",
                    "#. sections.yaml, entry 'family-violence': paragraphs 1 (Mukashev).\n")


@pytest.mark.parametrize("edit, leak", [
    pytest.param(OBSOLETE, "Beksat Mukashev", id="kk-obsolete-entry"),
    pytest.param(PREVIOUS, "Mukashev arranged", id="ru-previous-source"),
    pytest.param(PREVIOUS_WRAPPED, "parents of Beksat", id="ru-previous-source-wrapped"),
    pytest.param(AUTO_COMMENT, "Mukashev", id="kk-extracted-comment"),
])
def test_history_in_a_catalog_is_reported_then_removed_by_update(edit, leak, tmp_path,
                                                                  capsys):
    root = copy_project(tmp_path / "project")
    apply(root, (edit,))
    path = root / edit.path
    code, err = validate(root, capsys)
    assert code == 1, err[-2000:]
    assert located(err, edit.path, path.read_text(encoding="utf-8"), leak, BEKSAT), \
        err[-3000:]
    for value in MUKASHEV:
        assert value.casefold() not in err.casefold()
    before = translations(path)
    assert main(["i18n", "update", "-p", str(root)]) == 0, capsys.readouterr().err[-2000:]
    text = path.read_text(encoding="utf-8").casefold()
    for value in MUKASHEV:
        assert value.casefold() not in text, f"{value} is still in {edit.path}"
    after_update = translations(path)
    assert len(after_update) == len(before)
    assert after_update == before
    checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    code, err = validate(root, capsys)
    assert code == 0, err[-2000:]


TRANSLATOR_COMMENT = Edit(RU, "#. sections.yaml, entry 'family-violence': paragraphs 2.\n",
                          "# Уточнить у Армана Хасанова, так ли это.\n"
                          "#. sections.yaml, entry 'family-violence': paragraphs 2.\n")


def test_a_translators_comment_is_reported_and_update_refuses_it(tmp_path, capsys):
    root = copy_project(tmp_path / "project")
    apply(root, (TRANSLATOR_COMMENT,))
    text = (root / RU).read_text(encoding="utf-8")
    code, err = validate(root, capsys)
    assert code == 1
    assert located(err, RU, text, "Армана Хасанова", ARMAN), err[-3000:]
    assert "хасанов" not in err.casefold() and "khassanov" not in err.casefold()
    files = snapshot(root)
    assert main(["i18n", "update", "-p", str(root)]) == 1
    err = capsys.readouterr().err
    assert located(err, RU, text, "Армана Хасанова", ARMAN), err[-3000:]
    assert "хасанов" not in err.casefold()
    assert snapshot(root) == files


@pytest.mark.parametrize("action", ["update", "extract"])
def test_i18n_refuses_a_name_in_public_text_and_changes_no_catalog(action, tmp_path, capsys):
    root = copy_project(tmp_path / "project")
    apply(root, (after(SECTIONS, EN_FAMILY, " Mukashev's parents arranged a marriage."),))
    files = snapshot(root)
    capsys.readouterr()
    assert main(["i18n", action, "-p", str(root)]) == 1
    err = capsys.readouterr().err
    text = (root / SECTIONS).read_text(encoding="utf-8")
    assert located(err, SECTIONS, text, "Mukashev's", BEKSAT), err[-3000:]
    assert "mukashev" not in err.casefold()
    assert snapshot(root) == files


def test_a_leak_in_a_translation_names_its_catalog_entry(tmp_path, capsys):
    root = copy_project(tmp_path / "project")
    apply(root, (after(RU, RU_FAMILY, " Такова история Бексата Мукашева."),))
    code, err = validate(root, capsys)
    assert code == 1
    assert re.search(rf"^{re.escape(RU)}:\d+: sections/family-violence/paragraphs/0: ",
                     err, re.M), err[-2000:]


@pytest.mark.parametrize("edit, value", [
    pytest.param(after(PEOPLE, "  name: Beksat Mukashev\n", "  born: 23.11.1987\n"),
                 "23.11.1987", id="date-of-birth-in-the-wrong-format"),
    pytest.param(Edit(CASES, "- id: bisexual-man-no-redress\n",
                      "- id: bisexual-man-no-redress\n  confidential:\n"
                      "    date: 14.03.2025\n"),
                 "14.03.2025", id="confidential-case-date-in-the-wrong-format"),
    pytest.param(Edit(PEOPLE, "  names: {ru: Бексат Мукашев, kk: Бексат Мұқашев}\n",
                      "  names: {ru: Бексат Мукашев, kz: Бексат Мұқашев}\n"),
                 "Мұқашев", id="name-under-a-wrong-language-code"),
])
def test_an_invalid_confidential_value_is_reported_without_repeating_it(edit, value,
                                                                         tmp_path, capsys):
    """A hurried drafter's typo in a confidential field: the error must not
    print the value it is about."""
    root = copy_project(tmp_path / "project")
    apply(root, (edit,))
    code, err = validate(root, capsys)
    assert code == 1
    assert re.search(rf"^{re.escape(edit.path)}:\d+:\d+: ", err, re.M), err[-2000:]
    assert value.casefold() not in err.casefold(), err[-2000:]


@pytest.mark.parametrize(("where", "anchor", "text"), [
    (RU, RU_ATTACKS, " Угрозы писали тролли и боты."),
    (KK, KK_DEFENDERS, " Олардың арманы — қауіпсіз өмір."),
])
def test_a_name_that_is_an_ordinary_word_is_refused_until_marked(tmp_path, capsys, where,
                                                                  anchor, text):
    root = copy_project(tmp_path / "project")
    apply(root, (after(where, anchor, text),))
    assert main(["validate", "-p", str(root)]) == 1
    assert "the translation contains the name of people/" in capsys.readouterr().err
