"""Kazakh hyphenation: the shipped dictionary's break points, and the PDFs using it."""

from __future__ import annotations

import re

import pyphen
import pytest

from builder import hyphenation
from builder.pdf import page_texts

# Each word with the breaks the dictionary must allow, and only those: syllable
# breaks of Kazakh (a syllable starts with at most one consonant; "у" after a
# consonant is a vowel), at least two letters on each side. Every letter of
# Kazakh's own (ә ғ қ ң ө ұ ү һ і) is in one of them.
KAZAKH_WORDS = [
    "құ-қық-та-ры", "мем-ле-кет", "әйел-дер", "өш-пен-ді-лік", "тең-дік", "бос-тан-ды-ғы",
    "кем-сі-ту-ші-лік", "жә-бір-ле-ну-ші-лер", "оқу-шы-лар", "ұйым-дас-ты-ру-шы-лар",
    "ұлт-тық", "айт-ты", "зерт-теу", "транс-ген-дер", "қыз-мет-кер-ле-рі", "ден-сау-лық",
    "кә-ме-лет-ке", "от-ба-сын-да-ғы", "үкі-мет-тің", "өңір-лер-де-гі", "әді-лет-ті-лік",
    "бағ-дар-ла-ма-сы", "жа-уап-кер-ші-лік", "са-уал-на-ма", "сөй-леу", "ұсы-ным-дар-дың",
    "қа-һар-ман", "мәш-һүр", "жи-һаз", "по-ли-ция", "ми-нистр-лі-гі", "ғы-лы-ми", "тың-дау",
    "шы-ғар-ма-шы-лық", "ақ-па-рат", "ЛГБТКИ",
]


@pytest.fixture(scope="module")
def kazakh() -> pyphen.Pyphen:
    """The dictionary as WeasyPrint finds it for lang="kk", with its default
    hyphenate-limit-chars (2 letters at least on each side)."""
    hyphenation.install()
    return pyphen.Pyphen(lang=pyphen.language_fallback("kk"), left=2, right=2)


def test_kk_and_kk_kz_find_the_shipped_dictionary():
    hyphenation.install()
    shipped = hyphenation.FOLDER / "hyph_kk_KZ.dic"
    for lang in ("kk", "kk-KZ", "KK_kz"):
        assert pyphen.LANGUAGES[pyphen.language_fallback(lang)] == shipped


@pytest.mark.parametrize("expected", KAZAKH_WORDS)
def test_kazakh_words_break_between_syllables(kazakh, expected):
    assert kazakh.inserted(expected.replace("-", "")) == expected


def test_the_dictionary_never_leaves_a_part_without_a_vowel_on_the_samples_words(kazakh, sample):
    """Over every Kazakh word of the sample's catalogs: no break between a
    consonant and "у", before two consonants, or with no vowel on one side
    (what the corrections of scripts/convert-hyphenation-patterns remove)."""
    text = "".join(path.read_text(encoding="utf-8")
                   for path in sorted((sample.root / "locales" / "kk").rglob("*.po")))
    words = {word.lower() for word in re.findall(r"[^\W\d_]{5,}", text)
             if re.search("[әғқңөұүһі]", word.lower())}
    assert len(words) > 1000
    vowels, consonants = set("аоұыуюяеәіүөёиэ"), set("бвгғджзһкқпстфхцчшщйлмнңр")
    wrong = []
    for word in sorted(words):
        for point in kazakh.positions(word):
            before, after = word[:point], word[point:]
            if ((before[-1] in consonants and after[0] == "у")
                    or (after[0] in consonants and after[1] in consonants)
                    or not vowels & set(before) or not vowels & set(after)):
                wrong.append(kazakh.inserted(word))
    assert wrong == []


@pytest.mark.parametrize("name", ["upr-kk", "cedaw-kk", "iccpr-kk"])
def test_kazakh_pdfs_hyphenate_at_the_dictionarys_points(sample_pdfs, kazakh, name):
    """Lines of the Kazakh PDFs end inside a word with WeasyPrint's hyphen
    (U+2010, which the content never writes), and only where the dictionary allows."""
    text = "\n".join(page_texts(sample_pdfs[name]))
    breaks = re.findall(r"([^\W\d_]+)\u2010\n([^\W\d_]+)", text)
    assert len(breaks) >= 50, breaks
    kazakh_breaks = [(a, b) for a, b in breaks if re.search("[әғқңөұүһі]", (a + b).lower())]
    assert len(kazakh_breaks) >= 20
    assert [f"{a}-{b}" for a, b in breaks if len(a) not in kazakh.positions(a + b)] == []
