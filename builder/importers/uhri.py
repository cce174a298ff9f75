"""Previous UPR recommendations from an export of the Universal Human Rights Index.

OHCHR's Universal Human Rights Index (uhri.ohchr.org) exports a search as an
Excel workbook (or JSON), one recommendation a row, with the columns Text,
UPR Session, Countries Concerned, Recommending Body, UPR Recommending States,
Document Symbol, UPR Position, Themes, Affected Persons, Sdgs, Document
Publication Date and OHCHR Annotation Id (two of them spelt "Reccomending").
A title may stand above the header; a cell may hold several values, one a
line (often as "- Canada"), or separated by semicolons or commas.

Each recommendation to the State becomes an entry of
``previous-recommendations.yaml``: its number (paragraph and item, "124.6",
taken from the start of the text), the document's symbol, the cycle (from the
session, see :data:`CYCLES`), the session, the recommending States, the text,
the response and the themes. Its assessment is the drafters' to make: it is
left out, with a ``[TBC: ...]`` in ``assessment_text``, so that validate lists
it and a release build refuses until it is written.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain, count

from builder.errors import Problem
from builder.importers.contentfile import Incoming
from builder.importers.tables import Row, Table, normalise, split, text
from builder.inline import literal

STEM = "previous-recommendations"

# The sessions of the UPR Working Group in each cycle. OHCHR ("Cycles of the
# Universal Periodic Review"): the first cycle (2008-2011) held 12 sessions of
# 16 reviews; each later cycle 14 sessions of 14 reviews, the fourth opening
# with the 41st session in November 2022 (Kazakhstan: 7th, 20th, 34th and 48th
# sessions). The fifth cycle's sessions are not known here.
CYCLES = {1: range(1, 13), 2: range(13, 27), 3: range(27, 41), 4: range(41, 55)}

# Our name of each column -> the names it goes by (as normalise() leaves them):
# the export's, the JSON API's ("UprRecommendingStates") and plain variants.
COLUMNS = {
    "text": ("text", "recommendation", "recommendationtext"),
    "session": ("uprsession", "session"),
    "countries": ("countriesconcerned", "countries", "country", "stateunderreview"),
    "body": ("recommendingbody", "body", "mechanism"),
    "states": ("uprrecommendingstates", "recommendingstates", "recommendingstate",
               "uprrecommendingstate"),
    "symbol": ("documentsymbol", "symbol"),
    "position": ("uprposition", "position", "uprresponse", "response"),
    "themes": ("themes", "theme"),
    "annotation": ("ohchrannotationid", "annotationid"),
}
# Columns of the export that hold nothing an entry keeps.
KNOWN = ("affectedpersons", "sdgs", "documentpublicationdate", "publicationdate",
         "regionsconcerned", "regions", "type", "annotationtype", "textplaincleaned",
         "sectionheadings")
REQUIRED = ("text", "symbol")
# The fields an import fills and a later import with --update may refresh; the
# others (the assessment, the evidence, a response note) are the drafters'.
IMPORTED = ("cycle", "session", "states", "text", "themes", "response")

ASSESS = ("[TBC: assess how far this recommendation has been implemented, with the "
          "evidence and its sources]")
NO_NUMBER = "[TBC: paragraph.item]"
NO_STATE = "[TBC: recommending State]"
NO_SYMBOL = "[TBC: symbol of the Working Group's report]"

# The paragraph and item before a recommendation's words ("124.6 Adopt ...",
# "124.6. Adopt", "Para. 124.6 Adopt"; not "1.5 million people ..."), or after
# a document's symbol ("A/HRC/28/10, para. 124.6").
_NUMBER = re.compile(r"^\s*(?:[Pp]ara(?:graph)?\.?\s*)?(\d{1,3}\.\d{1,3})(?:\.(?!\d))?"
                     r"\s+(?=[^\sa-z])")
_SYMBOL_NUMBER = re.compile(r"^(\S+?)[,;]?\s+para(?:graph)?\.?\s*(\d{1,3}\.\d{1,3})\.?$",
                            re.IGNORECASE)
# A group in brackets at the end of a text, one level of brackets inside it
# ("(Iran (Islamic Republic of));").
_LAST_GROUP = re.compile(r"\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*[;.]?\s*$")


@dataclass
class Report:
    """What was found in the export, for the summary line."""

    rows: int = 0
    matched: int = 0
    other_states: int = 0
    no_state: int = 0
    not_upr: int = 0
    other_cycles: int = 0
    repeated: int = 0
    unused: list[str] = field(default_factory=list)  # columns not imported
    concerned: Counter = field(default_factory=Counter)  # the States the rows concern
    notes: list[Problem] = field(default_factory=list)


def columns_of(names: list[str]) -> dict[str, str]:
    """Our name -> the column as the export writes it, for the columns it has."""
    found = {}
    for name in names:
        ours = next((key for key, aliases in COLUMNS.items() if normalise(name) in aliases),
                    None)
        if ours and ours not in found:
            found[ours] = name
    return found


def is_header(names: list[str]) -> bool:
    return all(key in columns_of(names) for key in REQUIRED)


WANTED = "the UHRI columns Text and Document Symbol"


def recommendations(table: Table, state: str, cycle: int | None
                    ) -> tuple[list[Incoming], list[Problem], Report]:
    """The recommendations of ``table`` to ``state`` (of ``cycle`` alone, if
    given), the problems of the rows that cannot be imported, and a report."""
    columns = columns_of(table.columns)
    report = Report(rows=len(table.rows))
    report.unused = [name for name in table.columns if name not in columns.values()
                     and normalise(name) not in KNOWN]
    problems: list[Problem] = []
    incoming: list[Incoming] = []
    first_row: dict[tuple, Row] = {}
    wanted = _name(state)
    if "countries" not in columns:
        report.notes.append(Problem(table.shown, 0, 0, f"no 'Countries Concerned' column: "
                                    f"every row is taken to concern {state}",
                                    severity="warning"))
    for row in table.rows:
        cell = {ours: row.cells.get(column) for ours, column in columns.items()}
        if "countries" in columns:
            named = split(cell["countries"])
            report.concerned.update(named)
            concerned = [_name(name) for name in named]
            if not concerned:
                report.no_state += 1
                continue
            if wanted not in concerned:
                report.other_states += 1
                continue
        if not _from_upr(cell):
            report.not_upr += 1
            continue
        item = _recommendation(table, row, columns, cell, problems, report, cycle)
        if item is None:
            continue
        if item.key is not None and item.key in first_row:
            report.repeated += 1
            earlier = first_row[item.key]
            problems.append(table.problem(row, None, f"the same recommendation as "
                                          f"{table.where(earlier)}; left out",
                                          severity="warning"))
            continue
        first_row[item.key] = row
        report.matched += 1
        incoming.append(item)
    return incoming, problems, report


def _recommendation(table: Table, row: Row, columns: dict[str, str], cell: dict,
                    problems: list[Problem], report: Report, only_cycle: int | None
                    ) -> Incoming | None:
    errors = len(problems)

    def refuse(ours: str, message: str) -> None:
        problems.append(table.problem(row, columns.get(ours), message))

    words = " ".join(_without_markup(text(cell.get("text"))).split())
    symbol = " ".join(text(cell.get("symbol")).split())
    if not words:
        report.notes.append(table.problem(row, columns["text"], "no text: left out",
                                          severity="warning"))
        return None
    if not symbol:
        report.notes.append(table.problem(row, columns["symbol"], f"no document symbol: "
                                          f"written as {NO_SYMBOL}", severity="warning"))
        symbol = NO_SYMBOL
    session = None
    if text(cell.get("session")):
        found = re.search(r"\d+", text(cell.get("session")))
        if found is None or not 0 < int(found.group()) < 1000:
            refuse("session", f"{text(cell.get('session'))!r} is not a session number "
                              "(19, Session 19 or UPR 19)")
        else:
            session = int(found.group())
    response, note = _response(text(cell.get("position")))
    if response == "?":
        refuse("position", f"{text(cell.get('position'))!r} is not supported or noted")
    if len(problems) > errors:
        return None
    cycle = next((number for number, sessions in CYCLES.items() if session in sessions), None)
    if session is not None and cycle is None:
        report.notes.append(table.problem(
            row, columns.get("session"), f"session {session} is in no cycle known here "
            f"(sessions {CYCLES[1][0]} to {CYCLES[max(CYCLES)][-1]}): cycle left out",
            severity="warning"))
    if only_cycle is not None:
        if cycle is not None and cycle != only_cycle:
            report.other_cycles += 1
            return None
        cycle = only_cycle
    number_match = _NUMBER.match(words)
    number = number_match.group(1) if number_match else None
    if number_match:
        words = words[number_match.end():]
    in_symbol = _SYMBOL_NUMBER.match(symbol)
    if in_symbol:
        symbol, number = in_symbol.group(1), number or in_symbol.group(2)
    states = split(cell.get("states"))
    words, named = _without_trailing_states(words, states)
    states = states or named
    data = {
        "number": number or NO_NUMBER,
        "document": symbol,
        "cycle": cycle,
        "session": session,
        "states": [literal(name) for name in states] or [NO_STATE],
        "text": literal(words),
        "themes": split(cell.get("themes"), "\n;|"),
        "response": response,
        "response_note": note,
        "assessment_text": ASSESS,
    }
    return Incoming(data, row, key(data),
                    {"number": columns["text"], "text": columns["text"],
                     "document": columns["symbol"], "cycle": columns.get("session"),
                     "session": columns.get("session"), "states": columns.get("states"),
                     "themes": columns.get("themes"), "response": columns.get("position"),
                     "response_note": columns.get("position")})


def key(entry: dict) -> tuple | None:
    """What identifies a previous recommendation: its document's symbol and
    number, or, without a number, its symbol and words."""
    document = " ".join(str(entry.get("document") or "").split()).upper()
    number = str(entry.get("number") or "").strip()
    if not document or document.startswith("[TBC"):
        return None
    if re.fullmatch(r"\d+\.\d+", number):
        return (document, number)
    words = " ".join(str(entry.get("text") or "").split())
    return (document, words) if words else None


def new_id(item: Incoming, taken: set[str]) -> str:
    """``upr2-124-6``: the cycle and the number (``upr2-unnumbered-1`` without
    one), with ``-2``, ``-3`` ... should it be taken."""
    entry = item.data
    prefix = f"upr{entry['cycle']}" if entry.get("cycle") else "upr"
    number = str(entry.get("number") or "")
    if re.fullmatch(r"\d+\.\d+", number):
        base = f"{prefix}-{number.replace('.', '-')}"
        candidates = chain([base], (f"{base}-{n}" for n in count(2)))
    else:
        candidates = (f"{prefix}-unnumbered-{n}" for n in count(1))
    return next(candidate for candidate in candidates if candidate not in taken)


def _without_markup(words: str) -> str:
    """A text without the HTML tags and entities some exports keep in it."""
    if re.search(r"</?[a-zA-Z][^<>]*>|&[a-z]+;|&#\d+;", words):
        words = html.unescape(re.sub(r"<[^<>]+>", " ", words))
    return words


def _name(state: str) -> str:
    return " ".join(state.casefold().split())


def _from_upr(cell: dict) -> bool:
    """A UPR recommendation, not a treaty body's or special procedure's: its
    body says so, or it has what only UPR recommendations have (a session,
    recommending States, a position)."""
    body = text(cell.get("body")).casefold()
    return not body or "upr" in body or "universal periodic" in body or \
        any(text(cell.get(name)) for name in ("session", "states", "position"))


_SUPPORTED = re.compile(r"\b(?<!not )(?:support|accept)", re.IGNORECASE)
_NOTED = re.compile(r"\bnot (?:support|accept)|\bnoted?\b|\breject", re.IGNORECASE)
_OLD_TERMS = {  # the first cycle's responses (OHCHR's guidance since: supported or noted)
    "already implemented": "Considered already implemented.",
    "in the process of implementation": "Considered in the process of implementation.",
    "in the process of being implemented": "Considered in the process of implementation.",
}
_UNKNOWN = {"", "-", "n/a", "none", "pending", "no response", "not available"}


def _response(position: str) -> tuple[str | None, str | None]:
    """("supported" or "noted" or None, a response note): "?" when the value
    is none of them. "Supported/Noted" (supported in part) is noted, with a
    note and a placeholder for the part the State supported."""
    value = " ".join(position.split()).strip(" -").casefold()
    if value in _UNKNOWN:
        return None, None
    for words, note in _OLD_TERMS.items():
        if words in value:
            return "supported", note
    supported, noted = bool(_SUPPORTED.search(value)), bool(_NOTED.search(value))
    if supported and noted or re.search(r"partial(ly)? support|support(ed)? in part", value):
        return "noted", ("Supported in part (\"Supported/Noted\" in the Universal Human "
                         "Rights Index) [TBC: which part the State supported, from the "
                         "addendum]")
    if supported:
        return "supported", None
    if noted:
        return "noted", None
    return "?", None


def _without_trailing_states(words: str, states: list[str]) -> tuple[str, list[str]]:
    """The text without the recommending States the Working Group's report
    writes after it, "(Maldives) (Portugal);": the groups at its end that are
    States given (any name without digits, when none are given); and the
    States so named. A final ";" becomes "."."""
    given = {_name(state) for state in states}
    named: list[str] = []
    ended = words.rstrip()[-1:] in (";", ".")
    while True:
        match = _LAST_GROUP.search(words)
        name = " ".join(match.group(1).split()) if match else ""
        if not name or (_name(name) not in given if states else
                        not re.fullmatch(r"[^\d;:]+", name)):
            break
        named.insert(0, name)
        words = words[:match.start()].rstrip()
    words = re.sub(r"\s*;\s*$", "", words)
    if ended and words[-1:] not in (".", "!", "?"):
        words += "."
    return words, named
