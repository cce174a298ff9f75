"""Terminology: the names of the UN mechanisms and of their documents, written
the same way through every translation of a report.

A glossary per language gives, for each English term and its variants ("State
party", "States parties"), the rendering a translation must use
("государство-участник") and the other forms it may use (an abbreviation such
as КЛДЖ). The package ships one for each of its languages
(``builder/glossary/<language>.yaml``); a project's
``locales/glossary/<language>.yaml`` adds entries and replaces those with the
same term. :func:`check_catalog` lists every translated entry of a catalog
whose source holds a term and whose translation holds none of its forms, with
the entry's line: ``i18n stats`` counts and lists them, every build warns of
them, and ``--strict`` refuses them.

Russian and Kazakh inflect, so a rendering is compared word by word by stems:
each word of the rendering loses its Russian case ending ("участник",
"группа" -> "групп"), or its Kazakh plural suffix and a final consonant that
voices before a suffix ("ескертулер" -> "ескерту", "халықаралық" ->
"халықаралы"), and a word of the translation matches when it begins with that
stem: "государству-участнику" and "қатысушы мемлекеттің" use
"государство-участник" and "қатысушы мемлекет". Words of one or two letters
(в, по, к) must match whole. An irregular form the stems miss goes into the
entry's ``allowed`` list. English is matched as written, word for word, each
variant listed (a term in capitals, an abbreviation, only in capitals).

When two terms overlap in a source ("CEDAW Committee" holds "CEDAW"), the
longer one counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from babel.messages.catalog import Message
from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from builder import inline
from builder.cache import CleanVerdicts, package_state
from builder.content import check_file
from builder.errors import Problem, quoted
from builder.loader import load_yaml
from builder.model import Model
from builder.project import PACKAGE_DIR, Project

SHIPPED = PACKAGE_DIR / "glossary"
SOURCE_TERMS = "en"  # the language of every glossary's terms


def project_glossary(project: Project, language: str) -> Path:
    """A project's own glossary of ``language``: ``locales/glossary/<language>.yaml``."""
    return project.locales / "glossary" / f"{language}.yaml"


# --- the glossary files ---------------------------------------------------------

Words = Annotated[str, Field(min_length=1, pattern=r"\w")]


class GlossaryEntry(Model):
    """One term: its English forms and what a translation must write for it."""

    term: Words = Field(description="The English term, as the content and templates write "
                                    "it; a project's entry with the same term replaces the "
                                    "shipped one.")
    variants: list[Words] = Field([], description="Other English forms (plural, abbreviation).")
    rendering: Words | None = Field(None, description="What a translation must write, in "
                                                      "its plain form.")
    allowed: list[Words] = Field([], description="Other forms a translation may write.")
    contexts: list[Words] = Field(
        [], description="Only in the entries with these contexts (msgctxt; * for any part).")
    source: str | None = Field(None, description="Where the rendering comes from.")
    ignore: bool = Field(False, description="true: the term is not checked.")

    @model_validator(mode="after")
    def _rendered(self) -> GlossaryEntry:
        if self.rendering is None and not self.ignore:
            raise PydanticCustomError("glossary", "an entry needs a 'rendering' (or "
                                      "'ignore: true' to switch the term off)")
        return self


class GlossaryFile(Model):
    """A glossary file: its terms."""

    terms: list[GlossaryEntry] = []


@dataclass(frozen=True)
class Term:
    """A glossary entry as read, with where it was read."""

    entry: GlossaryEntry
    where: str  # "builder/glossary/ru.yaml:40"
    key: str = field(init=False)  # the term as compared: what a project's entry replaces

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", _key(self.entry.term))

    def applies(self, context: str | None) -> bool:
        contexts = self.entry.contexts
        return not contexts or (context is not None and
                                any(fnmatchcase(context, pattern) for pattern in contexts))

    def forms_in(self, language: str) -> tuple[str, ...]:
        """How this term is written in ``language``: its English forms, or the
        rendering and the allowed forms of the glossary it comes from."""
        if language == SOURCE_TERMS:
            return (self.entry.term, *self.entry.variants)
        return (self.entry.rendering or "", *self.entry.allowed)

    def forms(self, language: str) -> _Forms:
        return _forms(self.forms_in(language), language)

    def expected(self) -> str:
        allowed = self.entry.allowed
        return repr(self.entry.rendering) + (
            f" (or {', '.join(repr(form) for form in allowed)})" if allowed else "")


@dataclass
class Glossary:
    """The terms of one language: the shipped glossary with the project's over it."""

    language: str
    terms: dict[str, Term] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def checked(self) -> list[Term]:
        return [term for term in self.terms.values() if not term.entry.ignore]


def _key(term: str) -> str:
    return " ".join(term.split()).casefold()


def load_glossary(project: Project, language: str) -> Glossary:
    """The glossary of ``language``: the package's, with the project's own
    entries added or put in place of those with the same term."""
    glossary = Glossary(language)
    for path, root in ((SHIPPED / f"{language}.yaml", None),
                       (project_glossary(project, language), project.root)):
        if not path.is_file():
            continue
        shown = project.relative(path)
        located, problems = load_yaml(path, shown, root)
        glossary.problems += problems
        if located is None:
            continue
        read, problems = check_file(located, GlossaryFile)
        glossary.problems += problems
        if read is None:
            continue
        seen: set[str] = set()
        for number, entry in enumerate(read.terms):
            line = located.where(("terms", number))[0]
            key = _key(entry.term)
            if key in seen:
                glossary.problems.append(Problem(shown, line, 0, f"the term {entry.term!r} "
                                                 "is listed twice in this file"))
            seen.add(key)
            glossary.terms[key] = Term(entry, f"{shown}:{line}")
    return glossary


# --- matching -------------------------------------------------------------------

# Markers of the inline syntax hold ids ([@a-hrc-28-10]), not words.
_MARKER = inline.REFERENCE
_WORD = re.compile(r"\w+")

# Russian case endings of nouns, adjectives and participles, longest first.
_RU_ENDINGS = (
    "ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими",
    "ых", "их", "ая", "яя", "ое", "ее", "ые", "ие", "ый", "ий", "ой", "ым", "им", "ом", "ем",
    "ую", "юю", "ам", "ям", "ах", "ях", "ов", "ев", "ей", "ию", "ия", "ии", "ью",
    "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й")
_KK_PLURAL = ("лар", "лер", "дар", "дер", "тар", "тер")


def _stem(word: str, language: str) -> str:
    """The part of a rendering's word that its inflected forms begin with."""
    if language == "ru":
        if word.endswith("ень") and len(word) > 5:  # перечень, перечня: a fleeting vowel
            return word[:-3]
        for ending in _RU_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                return word[:-len(ending)]
        return word
    if language == "kk":
        for suffix in _KK_PLURAL:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[:-len(suffix)]
                break
        if word[-1:] in ("к", "қ", "п") and len(word) > 3:  # топ, тобы: voiced before a vowel
            word = word[:-1]
        return word
    return word


def _normal(text: str) -> str:
    return _MARKER.sub(" ", text).casefold().replace("ё", "е")


class _Text:
    """A text prepared once for every term looked for in it: without the
    markers' ids, and as words (lower case, ё as е) with their offsets."""

    def __init__(self, text: str) -> None:
        self.plain = _MARKER.sub(lambda marker: " " * len(marker.group()), text)
        self.words = [(match.group(), match.start(), match.end())
                      for match in _WORD.finditer(self.plain.casefold().replace("ё", "е"))]


class _Forms:
    """The forms of a term in one language, found in a text."""

    def __init__(self, forms: Iterable[str], language: str) -> None:
        forms = [form for form in forms if form.strip()]
        self.english = language == SOURCE_TERMS
        if self.english:
            parts = []
            for form in forms:
                words = r"\s+".join(re.escape(word) for word in form.split())
                # An abbreviation (CEDAW) only in capitals; other words in any case.
                parts.append(words if form.isupper() else f"(?i:{words})")
            self.pattern = re.compile(r"(?<![\w/-])(?:" + "|".join(parts) + r")(?![\w/-])")
        else:
            self.phrases = [[(_stem(word, language), len(word) <= 2)
                             for word in _WORD.findall(_normal(form))] for form in forms]

    def spans(self, text: str | _Text) -> list[tuple[int, int]]:
        """Where the forms occur in ``text`` (character offsets)."""
        text = text if isinstance(text, _Text) else _Text(text)
        if self.english:
            return [match.span() for match in self.pattern.finditer(text.plain)]
        words = text.words
        found = []
        for phrase in self.phrases:
            if not phrase:
                continue
            for start in range(len(words) - len(phrase) + 1):
                if all(words[start + n][0] == stem if whole else
                       words[start + n][0].startswith(stem)
                       for n, (stem, whole) in enumerate(phrase)):
                    found.append((words[start][1], words[start + len(phrase) - 1][2]))
        return found


@lru_cache(maxsize=1024)
def _forms(forms: tuple[str, ...], language: str) -> _Forms:
    return _Forms(forms, language)


def terms_in(text: str, terms: list[Term], language: str) -> list[Term]:
    """The terms ``text`` (in ``language``) holds, each once; where two
    overlap, only the longer ("CEDAW Committee", not "CEDAW")."""
    prepared = _Text(text)
    found = [(span, term) for term in terms for span in term.forms(language).spans(prepared)]
    found.sort(key=lambda item: item[0][0] - item[0][1])  # longest first
    taken: list[tuple[int, int]] = []
    kept: dict[str, Term] = {}
    for (start, end), term in found:
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            continue
        taken.append((start, end))
        kept.setdefault(term.key, term)
    return list(kept.values())


def uses(text: str, term: Term, language: str) -> bool:
    """Whether ``text`` writes ``term`` in one of its forms."""
    return bool(term.forms(language).spans(text))


# --- checking a catalog -----------------------------------------------------------


def check_catalog(loaded, target: Glossary, source: Glossary | None,
                  source_language: str) -> list[Problem]:
    """A warning for each translated entry of ``loaded`` (a
    :class:`~builder.catalogs.LoadedCatalog`) whose source holds a term of the
    glossary and whose translation uses none of its forms.

    The terms are found in the source by their English forms, or, for content
    written in another language, by that language's glossary (``source``).
    """
    if source_language == target.language:
        return []
    checked = [term for term in target.checked
               if source_language == SOURCE_TERMS or (source is not None and
                                                      term.key in source.terms)]
    if not checked:
        return []
    finder = {term.key: source.terms[term.key] for term in checked} \
        if source_language != SOURCE_TERMS else {term.key: term for term in checked}
    # Any term at all, looked for first: most entries hold none.
    anywhere = _forms(tuple(form for term in finder.values()
                            for form in term.forms_in(source_language)), source_language)
    problems = []
    for message in loaded.catalog:
        if not message.id or message.fuzzy or loaded.is_broken(message.id, message.context):
            continue
        strings = _strings(message.string)
        source_text = "\n".join(_strings(message.id))
        if not strings or not all(strings) or not anywhere.spans(source_text):
            continue
        applying = [finder[term.key] for term in checked if term.applies(message.context)]
        for found in terms_in(source_text, applying, source_language):
            term = target.terms[found.key]
            for string in strings:
                if not uses(string, term, target.language):
                    problems.append(_problem(loaded.shown, message, term, string))
                    break
    return problems


def edition_terms(project: Project, language: str, source_language: str, templates,
                  content) -> list[Problem]:
    """What the editions in ``language`` print against the glossary: the
    warnings of its templates catalog and its content catalog (each a loaded
    catalog or None), and the problems of its glossary files."""
    if language == SOURCE_TERMS:
        return []
    glossary = load_glossary(project, language)
    source = load_glossary(project, source_language)
    problems = list(glossary.problems)
    if templates is not None:
        problems += _checked(templates, glossary, None, SOURCE_TERMS)
    if content is not None:
        problems += _checked(content, glossary, source, source_language)
    return problems


def _checked(loaded, target: Glossary, source: Glossary | None, source_language: str
             ) -> list[Problem]:
    """:func:`check_catalog`, not run again for a catalog found clean before
    with the same bytes, glossaries and package (a signed verdict in the cache
    folder, :class:`~builder.cache.CleanVerdicts`)."""
    verdicts = CleanVerdicts()
    token = None if not loaded.data else verdicts.token(
        "glossary", loaded.data, repr(target), repr(source), source_language, package_state())
    if verdicts.clean(token):
        return []
    problems = check_catalog(loaded, target, source, source_language)
    if not problems:
        verdicts.record(token)
    return problems


def _strings(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value or ())


def _problem(shown: str, message: Message, term: Term, string: str) -> Problem:
    what = message.context or quoted(_strings(message.id)[0])
    said = " ".join(string.split())
    said = said if len(said) <= 90 else said[:89] + "…"
    return Problem(shown, message.lineno or 0, 0,
                   f"translation of {what} does not use the glossary's term for "
                   f"{term.entry.term!r}: {term.expected()} ({term.where}); it reads "
                   f"{said!r}", severity="warning")
