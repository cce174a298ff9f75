"""Confidential data: what public and internal editions show, and the leak check.

A **public** edition (the default) leaves out every entry marked
``confidential: true``, prints a case's public fields and never its
``confidential:`` details, and names people by their pseudonym unless they
spoke publicly. The public view handed to the templates holds no
confidential value at all: real names, contacts and notes are stripped, so
that not even a template override can print them. An **internal** edition
(``build --internal``) prints the confidential details in place of the public
fields and real names, and every page says CONFIDENTIAL.

The leak check (:func:`leak_matcher`, matching in :mod:`builder.leakcheck`)
looks for every confidential value in every form a drafter or translator may
write it. It runs on the content (:func:`content_leaks`: every public text and
every id, each leak located in its YAML file), on the catalogs translators
receive (:func:`catalog_leaks`: every PO and POT file, history included, each
leak located at its line), on each public edition's HTML, and on every public
PDF read back. A message names the entry a value belongs to, never the value.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from builder import inline
from builder.content import Content, texts
from builder.errors import LeakError, Problem
from builder.leakcheck import (
    Hit,
    Matcher,
    Needle,
    compact,
    key,
    phrase,
    shingles,
    single,
    words_of,
)
from builder.loader import keypath_text
from builder.model import Case, CaseDetails, PartialDate, Person, Secret

CASE_DETAIL_FIELDS = ("place", "date", "date_end", "summary", "affected", "responsible",
                      "response")
# Fields that hold ids of other entries.
_REFERENCES = ("people", "sources", "source", "cases", "evidence", "sections", "follows_up")
COLLECTIONS = ("people", "sources", "cases", "statistics", "sections", "recommendations",
               "previous-recommendations")


# --- the views ---------------------------------------------------------------------


def public_view(content: Content) -> Content:
    """The content a public edition may show, and nothing confidential besides."""
    cases = [_public_case(case) for case in content.cases if not case.withheld]
    kept = {case.id for case in cases}
    return replace(
        content,
        people=[_public_person(person) for person in content.people],
        sources=[s for s in content.sources if not s.confidential],
        statistics=[s for s in content.statistics if not s.confidential],
        sections=[s.model_copy(update={"cases": [c for c in s.cases if c in kept]})
                  for s in content.sections if not s.confidential],
        recommendations=[r.model_copy(update={"cases": [c for c in r.cases if c in kept]})
                         for r in content.recommendations if not r.confidential],
        previous=[p.model_copy(update={"evidence": [c for c in p.evidence if c in kept]})
                  for p in content.previous],
        cases=cases,
        files={},  # the files as read hold every confidential value
    )


def _public_person(person: Person) -> Person:
    update = {"contact": None, "notes": None, "born": None, "aliases": [],
              "common_words": []}
    if not person.spoke_publicly:
        update |= {"name": Secret(person.pseudonym), "names": {}}
    return person.model_copy(update=update)


def _public_case(case: Case) -> Case:
    return case.model_copy(update={"confidential": False}) \
        if isinstance(case.confidential, CaseDetails) else case


def internal_view(content: Content) -> Content:
    """Everything, with each case's confidential details in place of its public fields."""
    return replace(content, cases=[_internal_case(case) for case in content.cases])


def _internal_case(case: Case) -> Case:
    if not isinstance(case.confidential, CaseDetails):
        return case
    details = case.confidential
    update = {name: getattr(details, name) for name in CASE_DETAIL_FIELDS
              if getattr(details, name) is not None}
    return case.model_copy(update=update)


# --- what is confidential ------------------------------------------------------------

# Words that say what kind of place or contact something is, not which one:
# the other words of a confidential place or contact are searched alone.
_GENERIC_WORDS = """
    the a an of in at on near by from to and or his her their its city town village
    settlement district region province oblast street st avenue ave road rd lane square
    house home flat apartment apt building block floor room hospital clinic school
    university court prison police station centre center park market north south east
    west northern southern eastern western central outskirts suburb area mail email
    gmail yandex com org net kz ru tel phone mobile telegram whatsapp signal contact only
    through via friend family mother father brother sister supreme ministry internal
    affairs interior justice committee national security prosecutor general office
    department service agency commission council parliament government akimat regional
    human rights commissioner ombudsman president presidential state public republic
    colonel major captain lieutenant sergeant officer judge deputy head chief mr mrs ms
    dr
    город г село деревня посёлок поселок район область улица ул дом кв квартира проспект
    пр микрорайон мкр возле около рядом близ под центр север юг восток запад окраина
    больница школа суд тюрьма отдел полиции через только друг семья мать отец
    қала қаласы ауыл ауылы аудан ауданы облыс облысы көше көшесі үй пәтер даңғыл
    шағын орталық маңы жанында аурухана мектеп сот түрме арқылы тек досы отбасы
"""
_GENERIC = {key(word) for word in _GENERIC_WORDS.split()}
_MARKER = re.compile(rf"{inline.REFERENCE.pattern}|\[TBC:[^\]]*\]")
LONG_TEXT = 8  # words: longer texts are searched by runs of seven words


@dataclass(frozen=True)
class _Inventory:
    """Collects the needles of a report."""

    content: Content

    def __iter__(self) -> Iterator[Needle]:
        content = self.content
        public = self._public_words()
        for person in content.people:
            yield from self._person(person, public)
        for case in content.cases:
            owner = f"cases/{case.id}"
            if case.withheld:
                yield from self._entry(case, owner, public)
                for when in (case.date, case.date_end):
                    yield from _date(when, owner, "date")
            elif isinstance(case.confidential, CaseDetails):
                yield from self._details(case, f"{owner}/confidential", public)
        for collection in ("sources", "statistics", "sections", "recommendations"):
            for entry in content.collection(collection):
                if getattr(entry, "confidential", False) is True:
                    yield from self._entry(entry, f"{collection}/{entry.id}", public)

    def _public_words(self) -> set[str]:
        """Words that are no secret: the State's name, the report's public
        words, the names of people who spoke publicly."""
        report = self.content.report
        spoke = [value for person in self.content.people if person.spoke_publicly
                 for value in (person.name, *person.names.values())]
        return {key(word) for value in (report.state, *report.public_words, *spoke)
                for word in words_of(value)}

    def _person(self, person: Person, public: set[str]) -> Iterator[Needle]:
        owner = f"people/{person.id}"
        if not person.spoke_publicly:
            common = {key(word) for value in person.common_words for word in words_of(value)}
            for value in (person.name, *person.names.values(), *person.aliases):
                words = words_of(_MARKER.sub(" ", value))
                if len(words) > 1:
                    yield phrase(" ".join(words), owner, "name", min_inflected=3)
                for word in words:
                    if len(key(word)) >= 3 and key(word) not in common | public:
                        yield single(word, owner, "name")
        if person.contact:
            yield from _text(person.contact, owner, "contact", public, parts="all")
        if person.notes:
            yield from _text(person.notes, owner, "notes", public)
        if person.born is not None:
            yield from _date(person.born, owner, "date of birth")

    def _details(self, case: Case, owner: str, public: set[str]) -> Iterator[Needle]:
        """A case's confidential details; what its public fields say is public."""
        shown = [str(text) for path, text in texts(case) if "confidential" not in path]
        known = public | {key(word) for text in shown for word in words_of(text)}
        details = case.confidential
        for name in ("place", "summary", "affected", "responsible", "response", "notes"):
            value = getattr(details, name)
            if value is None or any(_same(value, text) for text in shown):
                continue
            yield from _text(value, owner, name, known,
                             parts="capitalised" if name == "place" else "")
        for name in ("date", "date_end"):
            value = getattr(details, name)
            if value is not None and value != getattr(case, name):
                yield from _date(value, owner, name.replace("_", " "))

    def _entry(self, entry, owner: str, public: set[str]) -> Iterator[Needle]:
        """Every field of an entry marked confidential: true."""
        for path, text in texts(entry):
            name = str(path[-1] if not isinstance(path[-1], int) else path[-2])
            yield from _text(text, owner, name.replace("_", " "), public,
                             parts="capitalised" if name == "place" else "")
        url = getattr(entry, "url", None)
        if url:
            address = compact(re.sub(r"^[a-z]+://(www\.)?", "", url.casefold()))
            if len(address) >= 8:
                yield Needle(owner, "url", compact=address)
        value = getattr(entry, "value", None)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and \
                (abs(value) >= 100 or value != int(value)):
            yield Needle(owner, "value", number=float(value))


def _same(value: str, text: str) -> bool:
    return [key(w) for w in words_of(value)] == [key(w) for w in words_of(text)]


def _text(value: str, owner: str, what: str, public: set[str], *, parts: str = ""
          ) -> Iterator[Needle]:
    """A confidential text: the whole of it, or runs of seven words of a long
    one; the names in it (capitalised words in a row: "Dana Sultanova",
    "Colonel Yerlan Dzhaksybekov"); with ``parts``, also each word that says
    which place (``capitalised``) or whom (``all``: a contact)."""
    plain = _MARKER.sub(" ", str(value))
    words = words_of(plain)
    if not words:
        return
    if len(words) > LONG_TEXT:
        yield from shingles(plain, owner, what, public=public)
    elif not all(key(word) in public for word in words):
        needle = phrase(plain, owner, what)
        if needle is not None:
            yield needle
    yield from _names_in(plain, owner, what, public)
    if parts:
        capitalised = parts == "capitalised"
        # An e-mail address's domain may be an organisation's: not searched alone.
        for word in words_of(re.sub(r"@[\w.-]+", " ", plain)):
            if len(key(word)) < 3 or key(word) in public | _GENERIC or word.isdigit():
                continue
            if capitalised and not word[:1].isupper():
                continue
            yield single(word, owner, what)
    if parts == "all":
        for number in _PHONE.findall(plain):  # the subscriber's number: its last 7 digits
            digits = re.sub(r"\D", "", number)
            if len(digits) >= 7:
                yield Needle(owner, what, compact=digits[-7:])
    for address in re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", plain):
        yield Needle(owner, what, compact=compact(address))


_PHONE = re.compile(r"\+?\d[\d \t\-().]{5,}\d")
_CAPITALISED = re.compile(r"[^\W\d_][\w'’-]*")


def _names_in(text: str, owner: str, what: str, public: set[str]) -> Iterator[Needle]:
    """Names in a confidential text: two or more capitalised words in a row
    that are not all public, as a name (each word inflected), and their last
    word, a surname, alone."""
    runs: list[list[str]] = []
    end = -1
    for match in _CAPITALISED.finditer(text):
        word = match.group()
        if not word[:1].isupper() or all(key(part) in _GENERIC for part in words_of(word)):
            end = -1
            continue
        if end >= 0 and not text[end:match.start()].strip():
            runs[-1].append(word)
        else:
            runs.append([word])
        end = match.end()
    def known(word: str) -> bool:  # "Ala-Too": public if each part is
        return all(key(part) in public for part in words_of(word))

    for run in runs:
        if len(run) < 2 or all(known(word) for word in run):
            continue
        yield phrase(" ".join(run), owner, what, min_inflected=3)
        surname = words_of(run[-1])[-1]
        if len(key(surname)) >= 5 and key(surname) not in public:
            yield single(surname, owner, what)


def _date(value: PartialDate | None, owner: str, what: str) -> Iterator[Needle]:
    """An exact date (a day), in any notation, with its year and without (the
    day is what the public version leaves out); a year or a month is no secret."""
    if value is None or value.day is None:
        return
    yield Needle(owner, what, date=(value.year, value.month, value.day))
    if value.year is not None:
        yield Needle(owner, what, date=(None, value.month, value.day))


def needles(content: Content) -> list[Needle]:
    """Every way a confidential value of ``content`` may appear in public.

    A needle's owner is ``collection/id``, or ``collection[n]`` (its place in
    the file) when the id itself holds a confidential value: a message about
    a leak must not repeat it.
    """
    found = [needle for needle in _Inventory(content) if needle is not None]
    matcher = Matcher(found)
    renamed = {f"{collection}/{entry.id}": f"{collection}[{number}]"
               for collection in COLLECTIONS
               for number, entry in enumerate(content.collection(collection))
               if matcher.find(entry.id)}
    if not renamed:
        return found
    return [replace(needle, owner=_renamed(needle.owner, renamed)) for needle in found]


def _renamed(owner: str, renamed: dict[str, str]) -> str:
    entry, _, rest = owner.partition("/")
    entry = f"{entry}/{rest.partition('/')[0]}"
    return renamed[entry] + owner[len(entry):] if entry in renamed else owner


def leak_matcher(content: Content) -> Matcher:
    return Matcher(needles(content))


@functools.lru_cache(maxsize=2)
def secrets_matcher(secrets: tuple) -> Matcher:
    """The matcher of a build's confidential values, made once in each worker
    (it learns the words of the texts it reads, which the editions share)."""
    return Matcher(list(secrets))


def refuse_leaks(text: str, secrets: tuple, name: str, target: Path, where: str,
                 page_ends: list[int] | tuple = ()) -> None:
    """An output read back (``text``) must hold none of ``secrets``: else it is
    removed and :class:`LeakError` names the entries the values belong to, the
    kind of each value and where it was read: the page (``page_ends``: where
    each page's text ends in ``text``), or the file's other text (metadata,
    bookmarks, links). Never the value itself."""
    if not secrets:
        return
    hits = secrets_matcher(secrets).find(text)
    if not hits:
        return
    target.unlink(missing_ok=True)
    found: dict[str, dict[str, set[int]]] = {}  # owner -> kind -> pages (0: elsewhere)
    for hit in hits:
        page = bisect.bisect_right(page_ends, hit.start) + 1
        found.setdefault(hit.needle.owner, {}).setdefault(hit.needle.what, set()).add(
            page if page <= len(page_ends) else 0)
    details = []
    for kinds in found.values():
        said = []
        for what, pages in kinds.items():
            numbers = sorted(page for page in pages if page)
            places = ([("page " if len(numbers) == 1 else "pages ")
                       + ", ".join(map(str, numbers))] if numbers else []) + \
                (["its metadata, bookmarks or links"] if 0 in pages else [])
            said.append(f"its {what}" + (f", {' and '.join(places)}" if page_ends else ""))
        details.append("; ".join(said))
    raise LeakError(name or target.name, list(found), where, details)


# --- where leaks are -------------------------------------------------------------------


def redact(problems: list[Problem], matcher: Matcher) -> list[Problem]:
    """The problems, with any message that would repeat a confidential value
    (a placeholder's words, for instance) cut to its location and kind."""
    cut = []
    for problem in problems:
        if matcher.find(problem.message):
            kind = problem.message.split(":", 1)[0] if ":" in problem.message else "a problem"
            problem = replace(problem, message=f"{kind} (the words are not shown: they hold "
                                               "a confidential value)")
        cut.append(problem)
    return cut


def describe(hit: Hit) -> str:
    """What leaked, in words that never include the value."""
    needle = hit.needle
    if needle.what == "name":
        pseudonym = (f"write [%{needle.owner.split('/', 1)[1]}] for the pseudonym, or "
                     if needle.owner.startswith("people/") else "")
        return (f"the name of {needle.owner} (confidential; {pseudonym}mark the word as one "
                "of the person's common_words if it is an ordinary word here)")
    what = _WHAT.get(needle.what, needle.what)
    return (f"the confidential {what} of {needle.owner} (if these words are public knowledge "
            "here, list them in report.yaml's public_words)")


# Field names as a message says them.
_WHAT = {"affected": "affected person", "responsible": "perpetrator",
         "response": "authorities' response", "date end": "end date", "label": "label",
         "text": "text", "summary": "summary"}


@dataclass(frozen=True)
class Leak:
    """A confidential value found in a file: where, whose, and in which part."""

    problem: Problem
    owner: str
    # In a catalog: "translation", "source", "context", "comment", "previous
    # source" or "obsolete entry"; "text" or "id" in the content.
    part: str = "text"

    @property
    def history(self) -> bool:
        """Kept or made by the tools, not written by a translator: what
        ``i18n update`` replaces or removes."""
        return self.part not in ("translation", "translator's comment", "text", "id")

    def in_editions(self, editions: list[str]) -> Problem:
        """The problem, naming the editions that would print the value."""
        where = (f"in {', '.join(editions)}: " if editions else
                 "in no edition being built, but in a file that is shared: ")
        problem = self.problem
        return replace(problem, message=where + problem.message)


def content_leaks(content: Content, matcher: Matcher) -> list[Leak]:
    """Confidential values in the public text and the ids of the content, located."""
    problems: list[Leak] = []
    report = content.files.get("report")
    for path, text in texts(content.report):
        problems += _located(report, "", path, text, matcher)
    for collection in COLLECTIONS:
        located = content.files.get(collection)
        for number, entry in enumerate(content.collection(collection)):
            if getattr(entry, "confidential", False) is True:
                continue
            for path, text in texts(entry, (number,)):
                if isinstance(text, Secret) or "confidential" in path:
                    continue
                problems += _located(located, collection, path, text, matcher)
            for name in _REFERENCES:
                refs = getattr(entry, name, None) or []
                for position, ref in enumerate(refs if isinstance(refs, list) else [refs]):
                    for hit in matcher.find(ref)[:1]:
                        path = (number, name, position) if isinstance(refs, list) else \
                            (number, name)
                        problems.append(Leak(_problem(
                            located, collection, path, f"the reference contains "
                            f"{describe(hit)}; give that entry an id that identifies "
                            "nobody", ""), hit.needle.owner, "id"))
            for hit in matcher.find(entry.id):
                problems.append(Leak(_problem(
                    located, collection, (number, "id"),
                    f"the id contains {describe(hit)}; ids are printed in the catalogs' "
                    "contexts and the PDFs' link targets: choose one that identifies "
                    "nobody", ""), hit.needle.owner, "id"))
    return sorted(set(problems), key=lambda leak: leak.problem)


def _located(located, collection: str, path: tuple, text: str, matcher: Matcher
             ) -> list[Leak]:
    found = []
    first = {hit.needle.owner: hit for hit in reversed(matcher.find(text))}  # one per owner
    for hit in sorted(first.values(), key=lambda hit: hit.start):
        words = text[hit.start:hit.end].split()
        found.append(Leak(_problem(located, collection, path,
                                   f"public text contains {describe(hit)}",
                                   words[0] if words else ""), hit.needle.owner))
    return found


def _problem(located, collection: str, path: tuple, message: str, needle: str) -> Problem:
    key_path = keypath_text(((collection,) if collection else ()) + tuple(path))
    if located is None:
        return Problem(f"content/{collection or 'report'}.yaml", 0, 0, message, key_path)
    line, column = located.locate_text(path, needle) if needle else located.where(path)
    return Problem(located.path, line, column, message, key_path)


_PO_ESCAPES = re.compile(r'\\[nt"\\]')
_FIELD = re.compile(r'^(#~ ?|#\| ?)?(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\b|^#([.:,]?)')


def withheld_contexts(content: Content) -> dict[str, str]:
    """The catalog context prefix of every entry marked confidential: true,
    and its owner: entries of an older version of the catalogs, from before
    the entry was marked, hold its text and its translation."""
    return {f"{collection}/{entry.id}/": f"{collection}/{entry.id}"
            for collection in COLLECTIONS for entry in content.collection(collection)
            if getattr(entry, "confidential", False) is True}


def catalog_leaks(path: Path, shown: str, matcher: Matcher,
                  withheld: dict[str, str] | None = None, raw: str | None = None,
                  *, ours: bool = True) -> list[Leak]:
    """Confidential values anywhere in a PO or POT file, with their lines.

    The file is read as text, so that nothing escapes the search: entries,
    their contexts and comments, previous sources (``#|``) and obsolete
    entries (``#~``). With ``withheld`` (:func:`withheld_contexts`), entries
    of confidential entries are found by their context too, in any language.
    ``raw``: the file's text, when the caller read it already. ``ours``:
    whether the project owns the file; the package's own catalog holds no
    one's name, so a value found there is a word that the value shares with
    the tool's text, which ``public_words`` frees.
    """
    if raw is None:
        try:
            raw = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []  # reading problems are reported by the catalog checks
    text = _PO_ESCAPES.sub(lambda m: "  " if m.group() in ("\\n", "\\t") else " " + m.group()[1],
                           raw)
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    found: dict[tuple[int, str], Leak] = {}
    for hit in matcher.find(text):
        number = _line_of(starts, hit.start)
        part, entry = _entry_at(lines, number)
        if entry.startswith(tuple(withheld or ())):
            part = "confidential entry"  # removed whole by i18n update
        if not ours:
            advice = ": this is the tool's own text, not yours: nothing to remove there"
        elif part in ("translation", "translator's comment"):
            advice = ": remove it"
        else:
            advice = ": 'shadow-report i18n update' removes it once the content is clean"
        problem = Problem(shown, number + 1, 0,
                          f"{entry + ': ' if entry else ''}the {part} contains "
                          f"{describe(hit)}{advice}")
        # one message per entry and owner, at the first line where it leaks
        found.setdefault((entry or number, hit.needle.owner, part),
                         Leak(problem, hit.needle.owner, part))
    for number, line in enumerate(lines):
        context = re.match(r'(?:#~ )?msgctxt "([^"]*)"', line)
        owner = next((owner for prefix, owner in (withheld or {}).items()
                      if context and context.group(1).startswith(prefix)), None)
        if owner is not None:
            problem = Problem(shown, number + 1, 0,
                              f"the entry holds the text of {owner}, which is confidential: "
                              "'shadow-report i18n update' removes it")
            found.setdefault((number, owner, "context"),
                             Leak(problem, owner, "confidential entry"))
    return list(found.values())


def _line_of(starts: list[int], offset: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low


_PARTS = {"msgctxt": "context", "msgid": "source", "msgid_plural": "source"}


def _entry_at(lines: list[str], number: int) -> tuple[str, str]:
    """The part of the catalog entry at line ``number`` and the entry's context."""
    part = "comment"
    for index in range(number, -1, -1):
        line = lines[index]
        if line.startswith(('"', '#| "', '#~ "', '#~| "')):  # a continued string
            continue
        match = _FIELD.match(line)
        if match is None:
            break
        prefix, field_name, comment = match.groups()
        if prefix and prefix.startswith("#~"):
            part = "obsolete entry"
        elif prefix and prefix.startswith("#|"):
            part = "previous source"
        elif field_name:
            part = _PARTS.get(field_name, "translation")
        else:
            part = "translator's comment" if comment == "" else "comment"
        break
    context = ""
    start = number
    while start > 0 and lines[start - 1].strip():
        start -= 1
    end = start
    while end < len(lines) and lines[end].strip():
        if lines[end].startswith(("msgctxt", "#~ msgctxt")):
            context = lines[end].split('"', 1)[-1].rstrip('"')
        end += 1
    if part != "obsolete entry" and any(line.startswith("#~") for line in lines[start:end]):
        part = "obsolete entry"
    return part, context


def edition_leaks(html: str, matcher: Matcher) -> list[str]:
    """The owners of confidential values found in an edition's HTML: its text,
    and the values of its attributes (a template can put text anywhere)."""
    from html import unescape

    attributes = "\n".join(dict.fromkeys(re.findall(r'="([^"]*)"', html)))
    text = unescape(re.sub(r"<[^>]+>", " ", html)) + "\n" + unescape(attributes)
    return sorted({hit.needle.owner for hit in matcher.find(text)})
