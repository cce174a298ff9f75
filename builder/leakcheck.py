"""Find confidential values in text however they are written: the leak check's matcher.

A drafter or translator who slips does not copy a value character for
character. They decline a name ("Мукашева", "Мұқашевтің"), write the given
name alone, type a Latin "i" for the Kazakh "і", break a name with a hyphen,
spaces or an invisible character, or write a date in their own format. This
module turns every confidential value into *needles* and finds them in any
text, reporting where (offsets into the original text), never what.

How text is compared
    Text is cut into tokens (runs of letters, runs of digits) after
    compatibility decomposition, with combining marks and invisible format
    characters (soft hyphens, zero-width spaces and joiners) removed. A token
    that mixes scripts is also read with its look-alike letters resolved to
    one script (Cyrillic "о" in a Latin word, Latin "i" in a Kazakh word:
    Unicode TR39 confusables between Latin, Cyrillic and Greek). Every token
    is then reduced to a *key*: Cyrillic (Russian and Kazakh letters) is
    transliterated, and the spelling variants of transliteration are merged
    (sch/sh, zh/j/dzh, kh/h, w/v, y/i, doubled letters), so that "Mukashev",
    "Mukaschew", "Мукашев" and "Мұқашев" share the key ``mukashev``.

How names are matched across inflection
    A name token matches a text token whose key is the name's key followed
    by an inflectional ending: the six Russian cases of nouns and surnames
    (-а, -у, -ом, -ым, -ой, -е, ...), Russian feminine and plural forms, and
    up to three Kazakh suffixes in a row (plural -лар/-лер/-дар/-тар...,
    possessive -ы/-і/-сы/-ым/-ың..., the seven cases -ның/-ға/-ны/-да/-дан/
    -мен... in all their harmony and assimilation variants), and the English
    possessive and plural. A name ending in a vowel is also matched by its
    stem (Бота: Боты, Боте, Ботой), a name ending in a fleeting vowel too
    (Павел: Павла). The endings are a closed list, not "any continuation",
    so "Bota" does not match "bottle" and "Noa" does not match "Noah's Ark".

What is searched
    A full name as a sequence of words, and each part of a name of three
    letters or more alone; a short value as its sequence of words (each
    word inflected); a long text by any run of seven consecutive words; a
    date in any order of day, month and year, numeric or with the month's
    name in English, Russian or Kazakh; a number in every grouping; the
    digits of a phone number; a web or e-mail address with its punctuation
    removed. Words broken by hyphens, by spaces (two or three parts) or
    spelt out letter by letter are joined again before comparison.

Limits (said in the README too): a paraphrase, a nickname or diminutive that
is not listed as an alias (Саша for Александр), a translation of a
confidential sentence into another language, and a transliteration scheme
far from the usual ones are not recognised.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

# --- normalisation -----------------------------------------------------------------

# Characters that need more than the fast path: everything outside ASCII and
# the basic Cyrillic block (which the transliteration table handles itself).
_SPECIAL = re.compile(r"[^\x00-\x7f\u0400-\u04ff]")
_DROPPED = {"Mn", "Me", "Cf"}  # combining marks; soft hyphen, zero-width characters


def normalise(text: str) -> tuple[str, list[int] | None]:
    """Text with compatibility forms decomposed and marks and invisible
    characters removed, and the offset in ``text`` of each character (None:
    the same offsets)."""
    if not _SPECIAL.search(text):
        return text, None
    out: list[str] = []
    origin: list[int] = []
    last = 0
    for match in _SPECIAL.finditer(text):  # one character each
        index = match.start()
        if index > last:  # the plain characters before it, as they are
            out.append(text[last:index])
            origin.extend(range(last, index))
        replaced = _normal_character(match.group())
        out.append(replaced)
        origin.extend([index] * len(replaced))
        last = index + 1
    out.append(text[last:])
    origin.extend(range(last, len(text)))
    return "".join(out), origin


@cache
def _normal_character(char: str) -> str:
    """One character outside ASCII and basic Cyrillic, decomposed, without
    marks or invisible characters (possibly nothing, or several letters)."""
    return "".join(part for part in unicodedata.normalize("NFKD",
                                                          _DIGRAPH_LETTERS.get(char, char))
                   if unicodedata.category(part) not in _DROPPED)


# Letters of the Kazakh and other Turkic Latin alphabets that stand for two
# Latin letters: replaced before their marks are removed (ş is sh, not s).
_DIGRAPH_LETTERS = {"ş": "sh", "Ş": "Sh", "ç": "ch", "Ç": "Ch"}


# Look-alike letters (Unicode TR39 confusables) between Latin, Cyrillic and
# Greek, resolved before case folding so that capitals count (Cyrillic "Н" is
# a Latin "H", its small "н" looks like no Latin letter).
_CYRILLIC_TO_LATIN = dict(zip(
    "АВЕКМНОРСТХУІЈЅҮҺаеорсухіјѕһԁԛԝӏүк",
    "ABEKMHOPCTXYIJSYHaeopcyxijshdqwlyk", strict=True))
_GREEK_TO_LATIN = dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαικνορτυχ", "ABEZHIKMNOPTYXaikvoptux",
                           strict=True))
_LATIN_TO_CYRILLIC = dict(zip(
    "ABEKMHOPCTXYIJSaeopcyxijshk",
    "АВЕКМНОРСТХУІЈЅаеорсухіјѕһк", strict=True))
TO_LATIN = str.maketrans(_CYRILLIC_TO_LATIN | _GREEK_TO_LATIN)
TO_CYRILLIC = str.maketrans(_LATIN_TO_CYRILLIC | {
    greek: _LATIN_TO_CYRILLIC.get(latin, latin) for greek, latin in _GREEK_TO_LATIN.items()})


def _script(char: str) -> str:
    code = ord(char)
    if 0x0400 <= code <= 0x052F:
        return "cyrillic"
    if 0x0370 <= code <= 0x03FF:
        return "greek"
    if char.isascii() or 0x00C0 <= code <= 0x024F:
        return "latin"
    return "other"


# Russian and Kazakh Cyrillic to Latin, as most transliterations write it.
_TRANSLITERATION = str.maketrans({
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e",
    "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "i", "і": "i", "ї": "i", "к": "k",
    "қ": "k", "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ў": "u", "ф": "f",
    "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "yu", "я": "ya", "є": "e", "ґ": "g", "ј": "j", "ѕ": "s",
    # Latin letters of Turkic and European alphabets that decomposition keeps
    "ş": "sh", "ç": "ch", "ı": "i", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ł": "l",
    "ŋ": "n", "ə": "a", "ð": "d", "þ": "th", "œ": "oe",
})


def latin(text: str) -> str:
    """``text`` in Latin letters without accents (Russian and Kazakh Cyrillic
    transliterated): for an id made from a title."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_TRANSLITERATION))
    return "".join(char for char in text if char.isascii())


# Spelling variants of transliteration, merged: longest first.
_VARIANTS = {"shch": "sh", "tsch": "ch", "sch": "sh", "dzh": "j", "dj": "j", "zh": "j",
             "kh": "h", "gh": "g", "ph": "f", "th": "t", "ck": "k", "q": "k", "w": "v", "x": "ks",
             "y": "i"}
_VARIANT = re.compile("|".join(sorted(_VARIANTS, key=len, reverse=True)) + "|c(?!h)")
_IE = re.compile(r"(?:^|(?<=[aeiou]))ie")  # Yerlan/Ерлан, Sergeyev/Сергеев
_DOUBLE = re.compile(r"(.)\1+")


@cache
def spelling(word: str) -> str:
    """A word transliterated, with the spelling variants merged (doubled
    letters kept: "bottom" is not "Botom")."""
    text = word.casefold().translate(_TRANSLITERATION)
    text = _VARIANT.sub(lambda m: _VARIANTS.get(m.group(), "k"), text)
    return _IE.sub("e", text)


@cache
def collapse(text: str) -> str:
    """Doubled letters written once: Khassanov, Хасанов."""
    return _DOUBLE.sub(r"\1", text)


@cache
def key(word: str) -> str:
    """A word reduced to the key that its spellings share."""
    return collapse(spelling(word))


@cache
def keys(word: str) -> frozenset[str]:
    """The spellings of a word as written, and with look-alike letters
    resolved when it mixes scripts (doubled letters kept: see Word.matches)."""
    found = {spelling(word)}
    scripts = {_script(char) for char in word} - {"other"}
    if len(scripts) > 1:
        found.add(spelling(word.translate(TO_LATIN)))
        found.add(spelling(word.translate(TO_CYRILLIC)))
    return frozenset(found)


# --- endings -------------------------------------------------------------------------

# Written in Cyrillic as grammars list them; compared as keys.
_RUSSIAN = ("а у ом ем ым им е и ы ой ей ою ею ов ев ам ям ами ями ах ях ых их ыми ими ую юю "
            "я ю ью ого его ому ему ая яя ые ие")
_KAZAKH = (
    # plural
    "лар лер дар дер тар тер "
    # possessive
    "ы і сы сі ым ім м ың ің ң ымыз іміз мыз міз ыңыз іңіз ңыз ңіз ларың "
    # genitive, dative, accusative, locative, ablative, instrumental
    "ның нің дың дің тың тің ға ге қа ке а е на не ны ні ды ді ты ті н "
    "да де та те нда нде дан ден тан тен нан нен мен бен пен менен бенен пенен "
    # similative, equative, 'the one of'
    "дай дей тай тей ша ше нікі дікі тікі кі")
_ENGLISH = "s es"


_VOWELS = "aeiou"


def _alternatives(words: str) -> str:
    forms = sorted({key(word) for word in words.split()} - {""}, key=len, reverse=True)
    return "|".join(map(re.escape, forms))


# A Russian ending, then up to three Kazakh suffixes (a Russian feminine
# surname takes Kazakh case endings too: Мукашеваның); or an English one.
_RUSSIAN_FORMS = tuple(sorted({key(word) for word in _RUSSIAN.split()}, key=len, reverse=True))
_KAZAKH_CHAIN = re.compile(f"(?:{_alternatives(_KAZAKH)}){{1,3}}")
_ENGLISH_FORMS = {key(word) for word in _ENGLISH.split()}
# The first consonant of a Kazakh suffix follows the sound before it: -тың, -қа,
# -та after a voiceless consonant (and after the -ов/-ев of a surname:
# Мұқашевтің), -дың, -ға, -да after a voiced one or a vowel, -ның, -ны, -на
# after a vowel or м, н, ң. "Сержанты" is not Сержан with an ending.
_VOICELESS_START, _VOICED_START, _NASAL_START = "tkp", "dgb", "n"
_VOICELESS_END, _NASAL_END = "kpstfhcv", "mn"


def _valid_ending(stem: str, rest: str, full: bool) -> bool:
    """Whether ``rest`` (keyed) is an inflectional ending after ``stem``."""
    if full and rest in _ENGLISH_FORMS:
        return True
    for russian in ("", *_RUSSIAN_FORMS):
        if not rest.startswith(russian) or (not full and not russian):
            continue
        kazakh = rest[len(russian):]
        if not kazakh:
            return bool(russian)
        if _KAZAKH_CHAIN.fullmatch(kazakh) and _fits(stem + russian, kazakh[0]):
            return True
    return False


def _fits(before: str, first: str) -> bool:
    last = before[-1:]
    if first in _VOICELESS_START:
        return last in _VOICELESS_END
    if first in _VOICED_START:
        return last not in _VOICELESS_END
    if first in _NASAL_START:
        return last in _VOWELS or last in _NASAL_END
    return True  # a vowel or another letter: possessives, plural -лар, -мен


MAX_ENDING = 10


@dataclass(frozen=True)
class Word:
    """One word of a needle: its key, and whether inflected forms match too."""

    key: str
    inflected: bool = True

    @property
    def stems(self) -> tuple[tuple[str, bool], ...]:
        """(stem, may the ending be empty) pairs of an inflected word."""
        return _stems(self.key)

    def matches(self, candidates: Iterable[str]) -> bool:
        """Whether one of the spellings ``candidates`` (see :func:`keys`) is
        this word or, for an inflected word, one of its forms."""
        return self.ending(candidates) is not None

    def ending(self, candidates: Iterable[str]) -> int | None:
        """The length of the ending after the stem (0: the word itself), or
        None if no spelling is a form of this word."""
        for candidate in candidates:
            merged = collapse(candidate)
            if merged == self.key:
                return 0
            if not self.inflected:
                continue
            for stem, bare in self.stems:
                full = bare  # a form of its own (not a stem that needs an ending)
                rest = _ending_after(candidate, stem, full)
                if rest is None:
                    continue
                if not rest:
                    if bare:
                        return 0
                    continue
                if len(rest) <= MAX_ENDING and _valid_ending(stem, collapse(rest), full):
                    return len(collapse(rest))
        return None


@cache
def _ending_after(spelt: str, stem: str, full: bool) -> str | None:
    """What follows ``stem`` in a spelling whose doubled letters may be
    written twice (Khassanova after hasanov); None if it does not begin with
    the stem. After a shortened stem, an ending may not begin with the
    stem's last letter ("bottom" is not bot|tom), after a whole name it may
    (Бексат|тың)."""
    if not spelt.startswith(stem[:1]):
        return None
    for end in range(len(stem), len(spelt) + 1):
        head = collapse(spelt[:end])
        if head == stem:
            rest = spelt[end:]
            return None if not full and rest[:1] == stem[-1:] else rest
        if len(head) > len(stem):
            return None
    return None


@cache
def _stems(word_key: str) -> tuple[tuple[str, bool], ...]:
    stems = [(word_key, True)]
    stripped = word_key.rstrip(_VOWELS)
    if len(word_key) - len(stripped) <= 2 and len(stripped) >= 3 and stripped != word_key:
        # Бота: Боты, Боте; a long stem alone is the masculine of a feminine
        # surname (Секербаева: Секербаев), a short one is too often a word.
        stems.append((stripped, len(stripped) >= 5))
    fleeting = re.fullmatch(r"(.*[^aeiou])[eo]([lkncr])", word_key)
    if fleeting and len(fleeting.group(1)) >= 3:  # Павел: Павла; Alexander: Александр
        shortened = fleeting.group(1) + fleeting.group(2)
        stems.append((shortened, fleeting.group(2) == "r" and len(shortened) >= 6))
    inserted = re.fullmatch(r"(.*[^aeiou])r", word_key)
    if inserted and len(inserted.group(1)) >= 3:  # Aleksandr: Alexander; Петр: Peter
        stems.append((inserted.group(1) + "er", True))
    return tuple(stems)


# --- tokens and the ways a word can be broken -----------------------------------------

_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_CAMEL = re.compile(r"[^\W\d_][^\W\d_A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]+")  # a capital and small letters
_HYPHENS = re.compile(r"\s*[-\u2010-\u2015\u2212/·.]\s*")
_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f]{1,3}")
_LETTER_GAP = re.compile(r"[\s.·*_\-]{1,3}")
# A word hyphenated at a line end, as a PDF is read back: WeasyPrint's hyphen
# (U+2010, which builder/hyphenation's patterns and Pyphen's place) and the line end.
LINE_END_HYPHEN = "\u2010\n"


class Token:
    """A run of letters or of digits. A plain class, not a dataclass: a text
    has tens of thousands of them, and a frozen dataclass is slow to make."""

    __slots__ = ("start", "end", "text", "digits")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start  # offsets in the normalised text
        self.end = end
        self.text = text
        self.digits = text.isdigit()

    @property
    def keys(self) -> frozenset[str]:
        return keys(self.text)


@dataclass(frozen=True)
class Reading:
    """One way to read the text at a position: a word, and where the next begins."""

    keys: frozenset[str]
    next: int  # index of the next token
    start: int
    end: int
    # Parts joined again: "space" or "hyphen", and the length of the last part.
    joined: str = ""
    tail: int = 0


class Prepared:
    """A text prepared for searching: tokens, and every way to read each position."""

    def __init__(self, text: str):
        self.original = text
        self.normal, self._origin = normalise(text)
        self.tokens = [Token(*m.span(), m.group()) for m in _TOKEN.finditer(self.normal)]
        self._readings: dict[int, list[Reading]] = {}

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the original text of a span of the normalised text."""
        if self._origin is None:
            return start, end
        return self._origin[start], self._origin[end - 1] + 1

    def gap(self, index: int) -> str:
        """The characters between token ``index`` and the next."""
        return self.normal[self.tokens[index].end:self.tokens[index + 1].start]

    def own_reading(self, index: int) -> Reading:
        """The word at ``index`` as written, joined with nothing."""
        token = self.tokens[index]
        return Reading(token.keys, index + 1, token.start, token.end)

    def readings(self, index: int) -> list[Reading]:
        cached = self._readings.get(index)
        if cached is not None:
            return cached
        tokens = self.tokens
        token = tokens[index]
        found = [Reading(token.keys, index + 1, token.start, token.end)]
        if not token.digits:
            found += self._joined(index)
            # Words run together in a hashtag or a handle: #FreeBeksat, BeksatM.
            found += [Reading(keys(part.group()), index + 1, token.start + part.start(),
                              token.start + part.end())
                      for part in _CAMEL.finditer(token.text)
                      if part.end() - part.start() < len(token.text)]
        self._readings[index] = found
        return found

    def _joined(self, index: int) -> Iterator[Reading]:
        """A word broken by hyphens or spaces, or spelt out letter by letter."""
        tokens = self.tokens
        first = tokens[index]
        text = first.text
        # The second part of a word hyphenated at a line end ("жұлдызшалар‐" /
        # "дың") ends the word before it, read with it; it starts no word broken
        # by a space ("дың арасына" would read as the name "Динарасына"). Across
        # a page, the running header and footer come between the two parts: a
        # line that starts with a small letter is taken for such a second part.
        before = self.gap(index - 1) if index else ""
        tail = before == LINE_END_HYPHEN or ("\n" in before and first.text[0].islower())
        for last in range(index + 1, min(index + 3, len(tokens))):
            token = tokens[last]
            gap = self.gap(last - 1)
            if token.digits:
                break
            hyphen = bool(_HYPHENS.fullmatch(gap))
            if not hyphen and (tail or not (_SPACE.fullmatch(gap) and len(token.text) >= 2
                                            and len(tokens[last - 1].text) >= 2)):
                break
            text += token.text
            if hyphen or len(key(text)) >= 5:
                yield Reading(keys(text), last + 1, first.start, token.end,
                              "hyphen" if hyphen else "space", len(key(token.text)))
        if len(first.text) == 1:
            last = index
            while last + 1 < len(tokens) and len(tokens[last + 1].text) == 1 and \
                    not tokens[last + 1].digits and _LETTER_GAP.fullmatch(self.gap(last)):
                last += 1
            if last - index >= 2:
                letters = "".join(t.text for t in tokens[index:last + 1])
                yield Reading(keys(letters), last + 1, first.start, tokens[last].end)


# --- needles -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Needle:
    """One way a confidential value may appear, and whose value it is.

    ``owner`` names the entry (``people/x``, ``cases/y/confidential``) and
    ``what`` the kind of value (``name``, ``place``, ``date of birth``):
    together they are all a message may say about a leak.
    """

    owner: str
    what: str
    words: tuple[Word, ...] = ()
    date: tuple[int | None, int, int] | None = None  # (year, month, day)
    number: float | None = None
    compact: str = ""  # letters and digits of an address, or the digits of a phone

    def __post_init__(self) -> None:
        assert self.words or self.date or self.number is not None or self.compact


@dataclass(frozen=True)
class Hit:
    needle: Needle
    start: int  # offsets in the original text
    end: int


def words_of(value: str) -> list[str]:
    normal, _ = normalise(value)
    return [m.group() for m in _TOKEN.finditer(normal)]


def phrase(value: str, owner: str, what: str, *, inflected: bool = True,
           min_inflected: int = 4) -> Needle | None:
    """The words of ``value`` in order; words of ``min_inflected`` letters or
    more (keys) match their inflected forms too."""
    words = tuple(Word(key(word), inflected and not word.isdigit()
                       and len(key(word)) >= min_inflected)
                  for word in words_of(value))
    words = tuple(word for word in words if word.key)
    return Needle(owner, what, words) if words else None


def single(word: str, owner: str, what: str) -> Needle:
    return Needle(owner, what, (Word(key(word)),))


def shingles(value: str, owner: str, what: str, size: int = 7,
             public: frozenset[str] | set[str] = frozenset()) -> list[Needle]:
    """Every run of ``size`` consecutive words of a long text that holds at
    least three words of five letters or more that are not ``public`` keys
    (so not "and he said that he", nor a public person's name with "took up
    the case")."""
    written = words_of(value)
    found = []
    for start in range(0, max(len(written) - size, 0) + 1):
        window = written[start:start + size]
        if sum(len(word) >= 5 and key(word) not in public for word in window) >= 3:
            found.append(Needle(owner, what, tuple(Word(key(w), False) for w in window)))
    return found


def compact(value: str) -> str:
    """Letters and digits only, keyed: an address with its punctuation removed."""
    normal, _ = normalise(value.casefold())
    return "".join(key(token) for token in _TOKEN.findall(normal))


# --- the matcher -----------------------------------------------------------------------


# Words that may stand between the parts of a date: 14th of March, 2024 жылғы 17.
_FILLER_WORDS = ("of the th st nd rd on года год г го е ое й жылғы жылы жыл жылдың жылында ж "
                 "ші шы інші ыншы")
_FILLERS = {key(word) for word in _FILLER_WORDS.split()}


@dataclass
class Matcher:
    """Every needle of a report, indexed for fast search in many texts."""

    needles: list[Needle]
    _by_prefix: dict[str, list[Needle]] = field(default_factory=dict, repr=False)
    _dates: list[Needle] = field(default_factory=list, repr=False)
    _numbers: list[Needle] = field(default_factory=list, repr=False)
    _compact: list[Needle] = field(default_factory=list, repr=False)
    # The first two letters (or the one) a word can start with to begin a needle
    # of inflected words; needles whose first word is exact, by that word.
    _openings: set[str] = field(default_factory=set, repr=False)
    _exact: dict[str, list[Needle]] = field(default_factory=dict, repr=False)
    # For each word seen: the needles it begins exactly, and whether a needle
    # of inflected words may begin there (words repeat: each is worked out once).
    _seen: dict[str, tuple[tuple[Needle, ...], bool]] = field(default_factory=dict,
                                                              repr=False)

    def __post_init__(self) -> None:
        for needle in dict.fromkeys(self.needles):
            if needle.words and not needle.words[0].inflected:
                self._exact.setdefault(needle.words[0].key, []).append(needle)
            elif needle.words:
                first = needle.words[0]
                self._by_prefix.setdefault(_prefix(first), []).append(needle)
                self._openings.add(_prefix(first)[:2])
            elif needle.date is not None:
                self._dates.append(needle)
            elif needle.number is not None:
                self._numbers.append(needle)
            else:
                self._compact.append(needle)

    def find(self, text: str) -> list[Hit]:
        """Every needle found in ``text``, with its offsets in ``text``."""
        prepared = Prepared(text)
        hits: list[Hit] = []
        seen = self._seen
        for index, token in enumerate(prepared.tokens):
            known = seen.get(token.text)
            if known is None:
                known = seen[token.text] = (
                    tuple(needle for candidate in {collapse(spelt) for spelt in token.keys}
                          for needle in self._exact.get(candidate, ())),
                    self._may_open(token))
            exact, may_open = known
            for needle in exact:
                end = _match_words(prepared, needle.words, index,
                                   prepared.own_reading(index))
                if end is not None:
                    hits.append(Hit(needle, *prepared.span(token.start, end)))
            if not may_open:
                continue
            for reading in prepared.readings(index):
                for candidate in {collapse(spelt) for spelt in reading.keys}:
                    for size in range(1, min(3, len(candidate)) + 1):
                        for needle in self._by_prefix.get(candidate[:size], ()):
                            end = _match_words(prepared, needle.words, index, reading)
                            if end is not None:
                                hits.append(Hit(needle, *prepared.span(reading.start, end)))
        if self._dates:
            hits += _find_dates(prepared, self._dates)
        if self._numbers:
            hits += _find_numbers(prepared, self._numbers)
        if self._compact:
            hits += _find_compact(prepared, self._compact)
        unique: dict[tuple, Hit] = {}
        for hit in hits:
            unique.setdefault((hit.needle.owner, hit.needle.what, hit.start), hit)
        return sorted(unique.values(), key=lambda hit: (hit.start, hit.needle.owner))


    def _may_open(self, token: Token) -> bool:
        """Whether a needle may begin at ``token`` (alone, joined with the next
        words, or in one of its capitalised parts): a quick test that spares
        most words the work of reading them every way."""
        if token.text[1:] != token.text[1:].lower():  # #FreeBeksat: parts of its own
            return True
        openings = self._openings
        for spelt in token.keys:
            start = collapse(spelt)[:2]
            if start in openings or start[:1] in openings or \
                    (len(start) < 2 and any(opening[:1] == start for opening in openings)):
                return True
        return False


def _prefix(word: Word) -> str:
    return word.key[:3] if not word.inflected else min(
        (stem[:3] for stem, _ in word.stems), key=len)


def _match_words(text: Prepared, words: tuple[Word, ...], index: int,
                 reading: Reading) -> int | None:
    """The end offset if ``words`` match from ``reading`` on, else None."""
    ending = words[0].ending(reading.keys)
    if ending is None or not _split_inside(words[0], reading, ending):
        return None
    if len(words) == 1:
        return reading.end
    if reading.next >= len(text.tokens):
        return None
    following_readings = text.readings(reading.next) if words[1].inflected else \
        [text.own_reading(reading.next)]
    for following in following_readings:
        end = _match_words(text, words[1:], reading.next, following)
        if end is not None:
            return end
    return None


def _split_inside(word: Word, reading: Reading, ending: int) -> bool:
    """A word joined from parts is the needle's only if the break falls inside
    it ("Muka shev", "Мұқа-шевтің"): the last part holds two letters of the
    name besides the ending ("no anti..." is not "Noa" with an ending, "and
    re" not "Andre"); spaces break only long words."""
    if not reading.joined:
        return True
    if reading.joined == "space" and len(word.key) < 5:
        return False
    return reading.tail - ending >= 2


# --- dates, numbers, addresses --------------------------------------------------------


@cache
def _babel_months() -> tuple[tuple[str, int, bool], ...]:
    """Every month name and abbreviation in English, Russian and Kazakh, as
    written by CLDR: (name, month, whether it is an abbreviation with a full stop)."""
    from babel import Locale

    found = []
    for code in ("en", "ru", "kk"):
        months = Locale.parse(code).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in months[context][width].items():
                    found.append((name, number, width == "abbreviated" and name.endswith(".")))
    return tuple(found)


@cache
def _month_words() -> dict[str, int]:
    """Month names and abbreviations in English, Russian and Kazakh, as keys."""
    words = {key(name.strip(".")): number for name, number, _ in _babel_months()}
    return {word: number for word, number in words.items() if len(word) >= 3}


@cache
def _dotted_abbreviations() -> frozenset[str]:
    """Russian and Kazakh month abbreviations written with a full stop ("там.",
    "авг."), as keys: without it several are ordinary words ("Там же", Russian
    for "ibid."; Kazakh "қар", snow). English ones ("Aug") take no stop."""
    dotted = {key(name.strip(".")) for name, _, stop in _babel_months() if stop}
    plain = {key(name.strip(".")) for name, _, stop in _babel_months() if not stop}
    return frozenset(dotted - plain)


def _month_of(token: Token) -> int | None:
    return _month_of_word(token.text)


@cache
def _month_of_word(word: str) -> int | None:
    months = _month_words()
    for candidate in map(collapse, keys(word)):
        if candidate in months:
            return months[candidate]
        for name, number in months.items():
            if len(name) >= 4 and Word(name).matches((candidate,)):
                return number
    return None


def _find_dates(text: Prepared, needles: list[Needle]) -> list[Hit]:
    """Day, month and year next to each other, in any order and notation:
    14.03.2025, 2025-03-14, 03/14/2025, 14 March 2025, March 14th, 2025,
    17 марта 2024 года, 2024 жылғы 17 наурызда."""
    atoms: list[tuple[str, int, Token]] = []  # ("n", value) numbers, ("m", month) names
    for token in text.tokens:
        if token.digits:
            atoms.append(("n", int(token.text), token))
            continue
        if key(token.text) in _FILLERS:
            continue
        month = _month_of(token)
        if month and collapse(key(token.text)) in _dotted_abbreviations() and \
                text.normal[token.end:token.end + 1] != ".":
            atoms.append(("a", month, token))  # "19. Там же": a month only beside a year
        else:
            atoms.append(("m", month, token) if month else ("w", 0, token))
    hits = []
    for needle in needles:
        year, month, day = needle.date
        for index in range(len(atoms)):
            for size in (3, 2):
                window = atoms[index:index + size]
                if len(window) < size or (size == 3) != (year is not None):
                    continue
                if _is_date(window, year, month, day, text) and \
                        (year is not None or not _next_to_year(atoms, index, size)):
                    start, end = window[0][2].start, window[-1][2].end
                    hits.append(Hit(needle, *text.span(start, end)))
    return hits


def _next_to_year(atoms: list, index: int, size: int) -> bool:
    """A day and month that belong to a date with a year (14 October 2024):
    not the same date as a day and month whose year is known or not given."""
    around = atoms[max(index - 1, 0):index] + atoms[index + size:index + size + 1]
    return any(kind == "n" and len(token.text) == 4 for kind, _, token in around)


def _is_date(window: list, year: int | None, month: int, day: int, text: Prepared) -> bool:
    """Whether a window of 2 (no year) or 3 atoms writes the date."""
    kinds = [kind for kind, _, _ in window]
    if "a" in kinds:  # an abbreviation without its full stop: a month next to a year
        if year is None:
            return False
        kinds = ["m" if kind == "a" else kind for kind in kinds]
        window = [("m", value, token) if kind == "a" else (kind, value, token)
                  for kind, value, token in window]
    values = [value for _, value, _ in window]
    if "w" in kinds:
        return False
    if all(kind == "n" for kind in kinds):
        if year is None:
            return _short_date(window, month, day, text)
        digits = [token.text for _, _, token in window]
        for order in ((day, month, None), (month, day, None), (None, month, day),
                      (None, day, month)):
            at = order.index(None)
            rest = [value for value in order if value is not None]
            if len(digits[at]) in (2, 4) and values[at] in (year, year % 100) and \
                    [value for i, value in enumerate(values) if i != at] == rest:
                return True
        return False
    if kinds.count("m") != 1:
        return False
    wanted = {"m": month, "d": day, "y": year}
    # 14 March 2025, March 14, 2025, 2025 жылғы 14 наурыз, 2025 March 14; 29 May, May 29
    orders = ("dmy", "mdy", "ydm", "ymd") if year is not None else ("dm", "md")
    for order in orders:
        if all((kind == "m") == (part == "m") and value == wanted[part]
               for part, (kind, value, _) in zip(order, window, strict=True)):
            return True
    return False


def _short_date(window: list, month: int, day: int, text: Prepared) -> bool:
    """Whether two numbers write a day and month without a year as dates are
    written: "29.05" or "08.03" (the month in two digits, which a decimal such
    as "3.8" does not have) or "05/29", "29/5", with nothing around the stop or
    slash. Not "3 / 8" (a page footer, "Бет 3 / 8": the 3rd of August for the
    leak check of a Kazakh PDF of 8 pages once), "3–8" (a range of pages), or
    two numbers apart in a sentence."""
    (_, first, token), (_, second, after) = window
    gap = text.gap(text.tokens.index(token))
    if gap == ".":
        return [first, second] == [day, month] and len(after.text) == 2
    return gap == "/" and [first, second] in ([day, month], [month, day])


_GROUPED = re.compile(r"\d{1,3}(?:[ ,.'\u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?")


def _find_numbers(text: Prepared, needles: list[Needle]) -> list[Hit]:
    """A number however it is grouped: 62000, 62,000, 62 000, 62.000, 1,5."""
    hits = []
    for match in _GROUPED.finditer(text.normal):
        written = match.group()
        readings = set()
        digits = re.sub(r"[ ,.'\u00a0\u202f]", "", written)
        readings.add(float(digits))
        decimal = re.fullmatch(r"(.*\d)[.,](\d+)", written)
        if decimal:
            readings.add(float(re.sub(r"\D", "", decimal.group(1)) + "." + decimal.group(2)))
        for needle in needles:
            if any(abs(reading - needle.number) < 1e-9 for reading in readings):
                hits.append(Hit(needle, *text.span(match.start(), match.end())))
    return hits


def _find_compact(text: Prepared, needles: list[Needle]) -> list[Hit]:
    """Addresses and phone numbers with their punctuation and spacing removed.

    Letters and digits are joined through the whole text; digits only through
    a run of numbers with short separators between them (+7 (701) 555-12-34).
    """
    letters: list[str] = []
    letter_spans: list[tuple[int, int]] = []
    runs: list[tuple[str, list[tuple[int, int]]]] = []
    previous: Token | None = None
    for token in text.tokens:
        part = key(token.text)
        letters.append(part)
        letter_spans += [(token.start, token.end)] * len(part)
        if token.digits:
            gap = text.normal[previous.end:token.start] if previous else ""
            if previous is None or not previous.digits or not _DIGIT_GAP.fullmatch(gap):
                runs.append(("", []))
            digits, spans = runs[-1]
            runs[-1] = (digits + token.text, spans + [(token.start, token.end)] * len(token.text))
        previous = token
    haystacks = [("".join(letters), letter_spans)]
    hits = []
    for needle in needles:
        for haystack, spans in (runs if needle.compact.isdigit() else haystacks):
            start = haystack.find(needle.compact)
            while start >= 0:
                end = start + len(needle.compact) - 1
                hits.append(Hit(needle, *text.span(spans[start][0], spans[end][1])))
                start = haystack.find(needle.compact, start + 1)
    return hits


_DIGIT_GAP = re.compile(r"[\s\-.()+/]{0,3}")
