"""Cases from an Uwazi database, through a mapping of its fields to ours.

Uwazi (HURIDOCS' database for human rights documentation) exports a
collection's entities as CSV: a header row (the title column, "Date added",
"Template", one column per property, "Geolocation", "Documents",
"Attachments", "Published"), one entity a row. Several values in a cell are
separated by ``|`` (a multiselect, a relationship, an attachment list; a
geolocation is ``latitude|longitude``); a date is written in the
collection's date format (``2023-05-01`` by default) or, in files made for
import, as a timestamp; a date range as ``from~to`` (``from:to`` in Uwazi's
import files); a property translated into another language has its own
column, ``summary__ru`` (the property, two underscores, the language).

The mapping (a YAML file, see :class:`Mapping`) says which column fills which
field of a case, how the database's words for sources and rights become
``sources.yaml`` ids and our tags, and what to write where the export says
nothing. Translated columns go, as translations, into the content catalogs
of their languages, where ``i18n update`` and the build look for them.
Anything that cannot be mapped is reported with its row and column, and then
nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import Annotated, Literal

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from pydantic import Field

from builder import catalogs
from builder.confidential import describe, leak_matcher
from builder.content import Content, check_file
from builder.errors import Problem, ValidationFailed
from builder.importers.contentfile import Incoming
from builder.importers.tables import BadInput, Row, Table, normalise, split, text
from builder.inline import literal
from builder.leakcheck import latin
from builder.loader import load_yaml
from builder.model import Id, Model, PartialDate, Tagged
from builder.project import Project

STEM = "cases"

Target = Literal["id", "title", "date", "date_end", "place", "summary", "affected",
                 "responsible", "response", "sources", "upr", "cedaw", "iccpr", "tags"]
Defaulted = Literal["place", "summary", "affected", "responsible", "response", "sources",
                    "upr", "cedaw", "iccpr"]
# The fields of a case that are text, and so may come with translations.
TEXTS = ("title", "place", "summary", "affected", "responsible", "response")
# The fields an import fills and a later import with --update may refresh.
IMPORTED = ("title", "date", "date_end", "place", "summary", "affected", "responsible",
            "response", "sources", "upr", "cedaw", "iccpr")
# Uwazi's own columns in every export: never a case's words. (Geolocation:
# coordinates can lead to the people concerned; a case's place is a name.)
UWAZI_COLUMNS = ("Date added", "Template", "Geolocation", "Documents", "Attachments",
                 "Published")
SEPARATOR = "|"  # Uwazi's, between the values of a cell


class Mapping(Model):
    """How an Uwazi export becomes entries of cases.yaml."""

    columns: Annotated[dict[str, Target], Field(min_length=1)] = Field(
        description="Each column of the export (as its header writes it, or the property's "
                    "name) and the case field it fills; 'tags' looks its values up in tags.")
    ignore: list[str] = Field([], description="Columns left out on purpose.")
    sources: dict[str, Id] = Field(
        {}, description="The export's names of sources -> ids in sources.yaml.")
    tags: dict[str, Tagged] = Field(
        {}, description="The export's values (a right, a theme) -> our tags: "
                        "{upr: [...], cedaw: [...], iccpr: [...]}.")
    defaults: dict[Defaulted, str | list[str | int]] = Field(
        {}, description="What a case gets where the export says nothing.")
    date_format: Literal["DD/MM/YYYY", "MM/DD/YYYY"] | None = Field(
        None, description="Which comes first in a date such as 05/06/2023.")


@dataclass
class Translation:
    language: str
    field: str
    text: str
    source: str  # the text it translates, as written into cases.yaml
    row: Row
    column: str
    incoming: Incoming


@dataclass
class Columns:
    """The export's columns, sorted out by the mapping."""

    source: list[tuple[str, str]] = field(default_factory=list)  # (our field, column)
    translated: dict[tuple[str, str], str] = field(default_factory=dict)  # (field, lang) -> col
    left_out: list[str] = field(default_factory=list)

    def column(self, target: str) -> str | None:
        return next((column for name, column in self.source if name == target), None)


# Fields that several columns may fill together (their values are added up).
LISTS = ("sources", "tags", "upr", "cedaw", "iccpr")


def read_mapping(path: Path, shown: str) -> Mapping:
    if not path.is_file():
        raise BadInput(f"{shown}: no such mapping file")
    located, problems = load_yaml(path, shown)
    if located is not None:
        mapping, problems = check_file(located, Mapping)
        if mapping is not None:
            return mapping
    raise ValidationFailed(problems)


def header_test(mapping: Mapping):
    """Recognises the header row: the one that holds the column mapped to title."""
    titles = {normalise(column) for column, target in mapping.columns.items()
              if target == "title"}

    def is_header(names: list[str]) -> bool:
        return any(normalise(_base(name)[0]) in titles or normalise(name) in titles
                   for name in names)

    wanted = " or ".join(repr(column) for column, target in mapping.columns.items()
                         if target == "title") or "a column mapped to title"
    return is_header, f"the column {wanted}"


def sort_columns(table: Table, mapping: Mapping, source_language: str
                 ) -> tuple[Columns, list[Problem]]:
    """Which column gives which field, and in which language; a column the
    mapping does not mention is a problem, located in the header row."""
    mapped = {normalise(column): (column, target) for column, target in mapping.columns.items()}
    ignored = {normalise(column) for column in [*mapping.ignore, *UWAZI_COLUMNS]}
    result, problems, found = Columns(), [], set()
    for name in table.columns:
        base, language = _base(name)
        entry = mapped.get(normalise(name)) or mapped.get(normalise(base))
        if normalise(name) in ignored or normalise(base) in ignored:
            result.left_out.append(name)
            continue
        if entry is None:
            problems.append(table.problem(table.header_row, name, "not in the mapping: map it "
                                          "under columns: or list it under ignore:"))
            continue
        column, target = entry
        found.add(column)
        if language is None or language == source_language:
            first = result.column(target)
            if first is not None and target not in LISTS:
                problems.append(table.problem(table.header_row, name, f"a second column for "
                                              f"{target} (the first is {first!r})"))
                continue
            result.source.append((target, name))
        elif target in TEXTS:
            result.translated[(target, language)] = name
        else:
            problems.append(table.problem(table.header_row, name,
                                          f"a translation of {target}: only texts "
                                          f"({', '.join(TEXTS)}) are translated"))
    for column, target in mapping.columns.items():
        if column not in found and target != "title":
            problems.append(Problem(table.shown, 0, 0, f"no column {column!r}, which the "
                                    f"mapping names: {target} left out", severity="warning"))
    if result.column("title") is None:
        raise BadInput(f"{table.shown}: no title column in {source_language}, the content's "
                       "language")
    return result, problems


def _base(name: str) -> tuple[str, str | None]:
    """``summary__ru`` -> ``("summary", "ru")``; a column without a language -> None."""
    base, separator, language = name.rpartition("__")
    language = language.strip().casefold()
    if separator and re.fullmatch(r"[a-z]{2,3}", language):
        try:
            Locale.parse(language)
        except (ValueError, UnknownLocaleError):
            return name, None
        return base, language
    return name, None


def cases(table: Table, columns: Columns, mapping: Mapping, known_sources: set[str]
          ) -> tuple[list[Incoming], list[Translation], list[Problem]]:
    """The export's rows as cases, their translations, and the problems of
    the rows that cannot be imported."""
    problems: list[Problem] = []
    incoming: list[Incoming] = []
    translations: list[Translation] = []
    first_row: dict[tuple, Row] = {}
    sources = {_label(name): ident for name, ident in mapping.sources.items()}
    tags = {_label(name): tagged for name, tagged in mapping.tags.items()}
    for row in table.rows:
        before = len(problems)
        data: dict = {}
        origin: dict[str, str] = {}  # field -> the column it came from

        def refuse(column: str, message: str, row: Row = row) -> None:
            problems.append(table.problem(row, column, message))

        for target, column in columns.source:
            value = row.cells.get(column)
            if not text(value):
                continue
            for name in (("upr", "cedaw", "iccpr") if target == "tags" else
                         ("date", "date_end") if target == "date" else (target,)):
                origin.setdefault(name, column)
            _fill(data, target, value, column, refuse, mapping, sources, tags, known_sources)
        for name, value in mapping.defaults.items():  # written in our syntax already
            data.setdefault(name, list(value) if isinstance(value, list) else value)
        title_column = columns.column("title")
        if not data.get("title"):
            refuse(title_column, "no title: every case needs one")
        if len(problems) > before:
            continue
        item = Incoming({name: data[name] for name in IMPORTED if name in data}, row,
                        key(data), origin, ident=data.get("id"))
        if item.key in first_row:
            refuse(title_column, f"a second case titled as the one in "
                                 f"{table.where(first_row[item.key])}: give it another title")
            continue
        first_row[item.key] = row
        incoming.append(item)
        for (name, language), column in columns.translated.items():
            words = " ".join(text(row.cells.get(column)).split())
            if not words:
                continue
            if not item.data.get(name):
                refuse(column, f"a translation of {name}, which this row does not give")
                continue
            translations.append(Translation(language, name, literal(words), item.data[name],
                                            row, column, item))
    return incoming, translations, problems


def _fill(data: dict, target: str, value, column: str, refuse, mapping: Mapping,
          sources: dict[str, str], tags: dict[str, Tagged], known_sources: set[str]) -> None:
    if target in TEXTS:
        words = " ".join(text(value).split())
        if target == "place" and _COORDINATES.fullmatch(words):
            refuse(column, "coordinates are not a place: map a column that names the city or "
                           "region (coordinates can lead to the people concerned)")
            return
        data[target] = literal(words)
    elif target == "id":
        data["id"] = _slug(text(value))
    elif target in ("date", "date_end"):
        try:
            start, end = _dates(text(value), mapping.date_format, ranges=target == "date")
        except ValueError as exc:
            refuse(column, str(exc))
            return
        data[target] = start
        if end:
            data["date_end"] = end
    elif target == "sources":
        for name in split(value, SEPARATOR):
            ident = sources.get(_label(name)) or (name if name in known_sources else None)
            if ident is None:
                refuse(column, f"{name!r} is not a source: give its sources.yaml id under "
                               "sources: in the mapping")
            else:
                _add(data, "sources", [ident])
    elif target == "tags":
        for name in split(value, SEPARATOR):
            tagged = tags.get(_label(name)) or tags.get(_label(name.split("::")[-1]))
            if tagged is None:
                refuse(column, f"{name!r} is not under tags: in the mapping")
                continue
            for mechanism in ("upr", "cedaw", "iccpr"):
                _add(data, mechanism, list(getattr(tagged, mechanism)))
    elif target == "upr":
        _add(data, "upr", split(value, SEPARATOR))
    else:  # cedaw, iccpr: article numbers
        for name in split(value, SEPARATOR):
            number = re.sub(r"(?i)^(art(icle)?\.?\s*)", "", name).strip()
            if number.isdigit():
                _add(data, target, [int(number)])
            else:
                refuse(column, f"{name!r} is not an article number of the "
                               f"{target.upper()}")


def _add(data: dict, name: str, values: list) -> None:
    listed = data.setdefault(name, [])
    listed.extend(value for value in values if value not in listed)


_COORDINATES = re.compile(r"-?\d{1,3}(?:\.\d+)?\s*[|,; ]\s*-?\d{1,3}(?:\.\d+)?")


def _label(name: str) -> str:
    return " ".join(name.casefold().split())


def key(entry: dict) -> tuple | None:
    """A case is known by its title."""
    title = " ".join(str(entry.get("title") or "").casefold().split())
    return (title,) if title else None


def new_id(item: Incoming, taken: set[str]) -> str:
    """The id the export gives (a column mapped to id), else one made from the
    title; ``-2``, ``-3`` ... should it be taken."""
    base = item.ident or _slug(str(item.data.get("title") or "")) or "case"
    candidates = (base if n == 1 else f"{base[:60]}-{n}" for n in count(1))
    return next(candidate for candidate in candidates if candidate not in taken)


def _slug(words: str, limit: int = 48) -> str:
    """``Four gay men beaten outside a club`` -> ``four-gay-men-beaten-outside-a-club``,
    cut at a word within ``limit`` characters."""
    slug = re.sub(r"[^a-z0-9]+", "-", latin(words)).strip("-")
    if len(slug) > limit:
        slug = slug[:limit + 1].rsplit("-", 1)[0] if "-" in slug[:limit + 1] else slug[:limit]
    return slug.strip("-")


# --- dates ---------------------------------------------------------------------------

_MONTHS = {name: number for number, names in enumerate(
    ["january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
     "august aug", "september sep sept", "october oct", "november nov", "december dec"],
    start=1) for name in names.split()}
_ISO = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ]\d{1,2}:\d{2}.*)?")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?: \d{1,2}:\d{2}.*)?")
_TIMESTAMP = re.compile(r"-?\d{9,13}(?:\.\d+)?")
_WORDS = re.compile(r"(?:(\d{1,2})\s+([a-z]+)\.?|([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?)"
                    r"\s+(\d{4})")


def _dates(value: str, order: str | None, *, ranges: bool) -> tuple[str, str | None]:
    """A date cell as (date, end date or None), in our form (2023-05-01).

    Raises ValueError with the message for the drafter."""
    value = value.strip()
    if SEPARATOR in value:
        raise ValueError(f"several dates ({value!r}): a case has one date, or a range "
                         "(from~to)")
    parts = None
    if "~" in value:
        parts = value.split("~", 1)
    elif ranges and ":" in value and not re.search(r"[ T]\d{1,2}:\d\d", value):
        parts = value.split(":", 1)  # Uwazi's import form of a range: from:to, :to, from:
    if parts is not None:
        if not ranges:
            raise ValueError(f"a range of dates ({value!r}): map the column to date")
        start, end = (part.strip() for part in parts)
        if not start:
            raise ValueError(f"a range without its first date ({value!r})")
        return _date(start, order), (_date(end, order) if end else None)
    return _date(value, order), None


def _date(value: str, order: str | None) -> str:
    words = value.casefold()
    if _TIMESTAMP.fullmatch(words):
        seconds = float(words) / (1000 if len(words.lstrip("-").split(".")[0]) > 11 else 1)
        return datetime.fromtimestamp(seconds, UTC).date().isoformat()
    found = _ISO.fullmatch(words)
    if found:
        year, month, day = found.groups()
        parts = [year] + [f"{int(part):02d}" for part in (month, day) if part]
    elif found := _DMY.fullmatch(words):
        first, second, year = (int(part) for part in found.groups())
        if order is None and first <= 12 and second <= 12 and first != second:
            raise ValueError(f"{value!r} may be day/month or month/day: say date_format: "
                             "DD/MM/YYYY or MM/DD/YYYY in the mapping")
        day_first = order == "DD/MM/YYYY" or (order is None and (first > 12 or first == second))
        day, month = (first, second) if day_first else (second, first)
        parts = [str(year), f"{month:02d}", f"{day:02d}"]
    elif found := _WORDS.fullmatch(words):
        day, name, name2, day2, year = found.groups()
        month = _MONTHS.get(name or name2)
        if month is None:
            raise ValueError(f"{value!r} is not a date")
        parts = [year, f"{month:02d}", f"{int(day or day2):02d}"]
    else:
        raise ValueError(f"{value!r} is not a date (write 2023-05-01, 2023/05/01, "
                         "1 May 2023 or a timestamp)")
    result = "-".join(parts)
    try:
        PartialDate.parse(result)
    except Exception as exc:  # noqa: BLE001 - pydantic's error, with its message
        raise ValueError(f"{value!r}: {exc}") from None
    return result


# --- translations ----------------------------------------------------------------------


def check_translations(translations: list[Translation], content: Content, table: Table
                       ) -> list[Problem]:
    """What the build would refuse in the translations: a changed or dropped
    marker, a confidential value (located in the export, never repeated)."""
    matcher = leak_matcher(content)
    problems = []
    for item in translations:
        message = Message(item.source, item.text, context=item.field)
        for problem in catalogs.check_entry(message, Catalog()):
            problems.append(table.problem(item.row, item.column, problem))
        for hit in matcher.find(item.text)[:1]:
            problems.append(table.problem(item.row, item.column,
                                          f"the translation contains {describe(hit)}"))
    return problems


def _with_catalogs(project: Project, translations: list[Translation]) -> list[str]:
    """The languages of ``translations`` that have a content catalog."""
    return [language for language in sorted({item.language for item in translations})
            if catalogs.po_path(project.locales, language, catalogs.CONTENT_DOMAIN).is_file()]


def refuse_leaky_catalogs(project: Project, content: Content,
                          translations: list[Translation]) -> None:
    """Before anything is written: the catalogs the translations go into must
    be ones ``i18n update`` accepts (none holds a confidential value)."""
    present = _with_catalogs(project, translations)
    if present:
        catalogs.update_project(project, content, check=True, languages=present)


@dataclass
class Written:
    """What became of the translations of one language."""

    language: str
    shown: str
    added: int = 0
    unchanged: int = 0
    would_change: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # each with the reason
    no_catalog: int = 0  # translations left out: the language has no catalog


def write_translations(project: Project, content: Content, translations: list[Translation],
                       ids: dict[int, str], update: bool) -> list[Written]:
    """Write the translations into the content catalogs, brought up to date
    first as ``i18n update`` does; a language without catalogs is left out."""
    languages = sorted({item.language for item in translations})
    present = _with_catalogs(project, translations)
    results = {language: Written(language, project.relative(catalogs.po_path(
        project.locales, language, catalogs.CONTENT_DOMAIN))) for language in languages}
    if present:
        catalogs.update_project(project, content, languages=present)
    index = content.index(STEM)
    for language in languages:
        written = results[language]
        mine = [item for item in translations if item.language == language]
        if language not in present:
            written.no_catalog = len(mine)
            continue
        path = catalogs.po_path(project.locales, language, catalogs.CONTENT_DOMAIN)
        loaded, problems = catalogs.read_catalog(path, written.shown, language)
        if loaded is None:
            raise ValidationFailed(problems)
        for item in mine:
            ident = ids[id(item.incoming)]
            context = catalogs.content_context(STEM, ident, (item.field,))
            source = getattr(index[ident], item.field, None)
            message = loaded.catalog.get(source, context) if source else None
            if message is None or " ".join(str(source).split()) != item.source:
                written.left_out.append(f"{context} (its text in cases.yaml is not the "
                                        "export's: import with --update)")
                continue
            if message.string == item.text and not message.fuzzy:
                written.unchanged += 1
                continue
            if message.string and not message.fuzzy and not update:
                written.would_change.append(context)
                continue
            if message.string:
                written.changed.append(context)
            else:
                written.added += 1
            message.string = item.text
            message.flags.discard("fuzzy")
            message.previous_id = []
        catalogs.write_catalog(loaded.catalog, path)
    return list(results.values())
