"""Localise a report for one edition language: template words and content.

An edition in the content's source language uses the content as written; its
template words come from the package's catalog unless the language is English
(the templates' own language). Any other edition looks every text up in the
catalogs. A text whose translation is missing, fuzzy or broken is shown in
the source language instead, and recorded as a :class:`Fallback`; the build
lists them per PDF, a draft build tints them in the PDF, and ``--strict``
refuses to build.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from gettext import c2py
from pathlib import Path

from builder import inline
from builder.catalogs import (
    CONTENT_DOMAIN,
    TEMPLATE_LANGUAGE,
    LoadedCatalog,
    content_entries,
    po_path,
    read_catalog,
    template_catalog_path,
)
from builder.content import ATTRIBUTES, Content
from builder.errors import Problem
from builder.i18n import Language
from builder.model import COLLECTIONS, ListPattern, Model, Text
from builder.project import Project


@dataclass(frozen=True)
class Fallback:
    """One text an edition shows in the source language, and why."""

    catalog: str  # the PO file, as shown to users
    entry: str  # the msgctxt or the msgid
    reason: str  # "missing", "fuzzy", "broken" or "not in the catalog"

    def __str__(self) -> str:
        return f"{self.catalog}: {self.entry} ({self.reason})"


class Fallbacks(list):
    """Fallbacks in the order first met, each once (an edition of a long report
    meets thousands: a set beside the list keeps "already there" fast)."""

    def __init__(self) -> None:
        super().__init__()
        self._seen: set[Fallback] = set()

    def add(self, fallback: Fallback) -> None:
        if fallback not in self._seen:
            self._seen.add(fallback)
            self.append(fallback)


class TranslatedTitle(Text):
    """A publication's title as published, with its translation (None: the
    translator kept the title as published)."""

    translation: Text | None = None


class DescribedTitle(Text):
    """The translation of a description standing in for a title not yet known
    ("[TBC: title] Blog post on ..."): not a title, so printed alone, with no
    original to quote."""


class FallbackText(Text):
    """Source-language text standing in for a missing translation.

    Carries ``language`` (the source language) and ``fallback`` (why), so that
    the renderer can mark it and list it for the PDF it appears in.
    """

    language: str = ""
    fallback: Fallback | None = None


@dataclass
class CatalogTranslations:
    """gettext for Jinja2 and our code, backed by a checked catalog, recording fallbacks."""

    loaded: LoadedCatalog | None
    shown: str
    fallbacks: Fallbacks = field(default_factory=Fallbacks)
    _plural: object = None

    def _find(self, msgid, context=None):
        if self.loaded is not None:
            message = self.loaded.lookup(msgid, context)
            if message is not None:
                return message
        self._record(msgid, context)
        return None

    def _record(self, msgid, context) -> None:
        key = msgid if isinstance(msgid, str) else msgid[0]
        reason = "not in the catalog: run 'shadow-report i18n update'"
        if self.loaded is None:
            reason = "no catalog for this language"
        else:
            message = self.loaded.catalog.get(msgid, context)
            if message is not None:
                reason = ("broken" if self.loaded.is_broken(msgid, context)
                          else "fuzzy" if message.fuzzy else "missing")
        self.fallbacks.add(Fallback(self.shown, context or key, reason))

    def gettext(self, message: str) -> str:
        found = self._find(message)
        return found.string if found is not None else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        found = self._find((singular, plural))
        if found is None:
            return singular if n == 1 else plural
        return found.string[self._plural_index(n)]

    def pgettext(self, context: str, message: str) -> str:
        found = self._find(message, context)
        return found.string if found is not None else message

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        found = self._find((singular, plural), context)
        if found is None:
            return singular if n == 1 else plural
        return found.string[self._plural_index(n)]

    def _plural_index(self, n: int) -> int:
        """Which plural form ``n`` takes, by the catalog's own Plural-Forms rule."""
        if self._plural is None:
            self._plural = c2py(self.loaded.catalog.plural_expr)
        return self._plural(n)


class SourceTranslations(CatalogTranslations):
    """The templates' own language: every string is its own translation."""

    def __init__(self) -> None:
        super().__init__(None, "")

    def _find(self, msgid, context=None):
        return None

    def _record(self, msgid, context) -> None:  # pragma: no cover - never called
        pass


def load_po(project: Project, root: Path, language: str, domain: str
            ) -> tuple[LoadedCatalog | None, list[Problem]]:
    path = po_path(root, language, domain)
    if not path.is_file():
        return None, []
    return read_catalog(path, project.relative(path), language)


def template_catalog(project: Project, code: str) -> tuple[LoadedCatalog | None,
                                                            list[Problem]]:
    """The checked catalog of the template words in ``code`` (none for English)."""
    if code == TEMPLATE_LANGUAGE:
        return None, []
    path = template_catalog_path(project, code)
    if not path.is_file():
        return None, []
    return read_catalog(path, project.relative(path), code)


def edition_language(project: Project, code: str, loaded: LoadedCatalog | None,
                     lists: ListPattern | None = None) -> Language:
    """A fresh Language for one edition, so that its fallbacks are its own;
    ``lists``: the project's list patterns for the language (report.yaml)."""
    patterns = tuple((_CLDR_KEYS.get(name, name), pattern)
                     for name, pattern in (lists or ListPattern()).model_dump().items()
                     if pattern is not None)
    if code == TEMPLATE_LANGUAGE:
        return Language(code, SourceTranslations(), patterns)
    return Language(code, CatalogTranslations(
        loaded, project.relative(template_catalog_path(project, code))), patterns)


_CLDR_KEYS = {"two": "2"}  # report.yaml's names of the list patterns, as CLDR's


def content_catalog(project: Project, content: Content, code: str
                    ) -> tuple[LoadedCatalog | None, list[Problem]]:
    """The checked catalog of the content in ``code`` (none for the language
    the content is written in)."""
    if code == content.report.source_language:
        return None, []
    return load_po(project, project.locales, code, CONTENT_DOMAIN)


def translate_content(content: Content, project: Project, code: str,
                      loaded: LoadedCatalog | None) -> tuple[Content, list[Fallback]]:
    """The content in ``code`` from its catalog ``loaded`` (see
    :func:`content_catalog`); texts without a usable translation stay as written."""
    source = content.report.source_language
    sources = content.collection("sources")
    # A publication's own title in the edition's language is printed alone, in
    # place of the title as published and its translation.
    replacements: dict[str, list[tuple[int | None, tuple, Text]]] = {"sources": [
        ((number, "title"), entry.official_titles[code])
        for number, entry in enumerate(sources) if code in entry.official_titles]}
    if code == source:
        return (_apply(content, replacements) if replacements["sources"] else content), []
    shown = project.relative(po_path(project.locales, code, CONTENT_DOMAIN))
    lookup = CatalogTranslations(loaded, shown)
    for context, text, collection, keypath in content_entries(content):
        if collection == "sources" and keypath[-1] in ("title", "short_title") and (
                sources[keypath[0]].language == code
                or (keypath[-1] == "title" and code in sources[keypath[0]].official_titles)):
            # A publication in the edition's language: its title as published.
            # Its publisher, author and note, which the drafter wrote, are
            # translated as any source's.
            continue
        before = len(lookup.fallbacks)  # contexts are unique: a new one means no translation
        translated = lookup.pgettext(context, str(text))
        value: Text
        if len(lookup.fallbacks) > before:
            value = FallbackText(text)
            value.language = source
            value.fallback = lookup.fallbacks[-1]
        elif collection == "sources" and keypath[-1] == "title" and \
                inline.begins_with_placeholder(text):
            value = DescribedTitle(translated)
        elif collection == "sources" and keypath[-1] == "title":
            value = TranslatedTitle(text)  # as published, its translation in brackets
            value.translation = Text(translated) if translated != str(text) else None
        else:
            value = Text(translated)
        replacements.setdefault(collection, []).append((keypath, value))
    return _apply(content, replacements), lookup.fallbacks


def _apply(content: Content, replacements: dict) -> Content:
    """A copy of ``content`` with the texts at the given key paths replaced."""
    report = content.report
    collections = {name: list(content.collection(name)) for name in COLLECTIONS}
    for collection, items in replacements.items():
        for keypath, value in items:
            if collection == "report":
                report = _replace(report, keypath, value)
            else:
                number, *rest = keypath
                entries = collections[collection]
                entries[number] = _replace(entries[number], tuple(rest), value)
    return dataclasses.replace(content, report=report, **{
        ATTRIBUTES[name]: entries for name, entries in collections.items()})


def _replace(value, keypath: tuple, new):
    if not keypath:
        return new
    head, *rest = keypath
    if isinstance(value, Model):
        return value.model_copy(update={head: _replace(getattr(value, head), tuple(rest), new)})
    items = list(value)
    items[head] = _replace(items[head], tuple(rest), new)
    return items
