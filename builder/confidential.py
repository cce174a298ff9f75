"""Confidential data: what public and internal editions show, and the leak check.

A **public** edition (the default) leaves out every entry marked
``confidential: true``, prints a case's public fields and never its
``confidential:`` details, and names people by their pseudonym unless they
spoke publicly. An **internal** edition (``build --internal``) prints the
confidential details in place of the public fields and real names, and every
page says CONFIDENTIAL.

Before a public PDF is kept, :func:`find_leaks` searches its text, metadata,
bookmarks and annotations for every confidential value, after normalising case,
white space and hyphenation: a name split across two lines and hyphenated is
still found. A leak fails the build and the PDF is not written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from builder.content import Content, texts
from builder.model import Case, CaseDetails, PartialDate, Secret

CASE_DETAIL_FIELDS = ("place", "date", "date_end", "summary", "affected", "responsible",
                      "response")


def public_view(content: Content) -> Content:
    """The content a public edition may show."""
    cases = [case for case in content.cases if not case.withheld]
    kept = {case.id for case in cases}
    return _with(
        content,
        sources=[s for s in content.sources if not s.confidential],
        statistics=[s for s in content.statistics if not s.confidential],
        sections=[s.model_copy(update={"cases": [c for c in s.cases if c in kept]})
                  for s in content.sections if not s.confidential],
        recommendations=[r.model_copy(update={"cases": [c for c in r.cases if c in kept]})
                         for r in content.recommendations if not r.confidential],
        previous=[p.model_copy(update={"evidence": [c for c in p.evidence if c in kept]})
                  for p in content.previous],
        cases=cases,
    )


def internal_view(content: Content) -> Content:
    """Everything, with each case's confidential details in place of its public fields."""
    return _with(content, cases=[_internal_case(case) for case in content.cases])


def _internal_case(case: Case) -> Case:
    if not isinstance(case.confidential, CaseDetails):
        return case
    details = case.confidential
    update = {name: getattr(details, name) for name in CASE_DETAIL_FIELDS
              if getattr(details, name) is not None}
    return case.model_copy(update=update)


def _with(content: Content, **collections) -> Content:
    return replace(content, **collections)


# --- the leak check ---------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    """Words of a text, normalised: case, accents kept apart, hyphenation undone."""
    text = unicodedata.normalize("NFKC", text)
    # A word hyphenated at a line end: "Mu-\nkashev", "Mu\u00adkashev".
    text = re.sub(r"[\u00ad]", "", text)
    text = re.sub(r"(\w)[-\u2010\u2011]\s*\n\s*(\w)", r"\1\2", text)
    return re.findall(r"\w+", text.casefold())


@dataclass(frozen=True)
class ConfidentialValue:
    """A confidential value and what it belongs to, for the message."""

    value: str
    owner: str


def secrets(content: Content) -> list[ConfidentialValue]:
    """Every value a public edition must never contain."""
    found: list[ConfidentialValue] = []
    for person in content.people:
        found += [ConfidentialValue(value, f"people/{person.id}") for value in person.secrets()]
        if person.born is not None:
            found += [ConfidentialValue(value, f"people/{person.id}")
                      for value in _date_forms(person.born, content)]
    for case in content.cases:
        owner = f"cases/{case.id}"
        if case.withheld:
            found.append(ConfidentialValue(case.title, owner))
            found += [ConfidentialValue(_opening(text), owner) for _, text in texts(case)
                      if len(_tokens(text)) >= 6]
        elif isinstance(case.confidential, CaseDetails):
            found += [ConfidentialValue(_opening(text, 12), f"{owner}/confidential")
                      for _, text in texts(case.confidential) if isinstance(text, Secret)]
            for when in (case.confidential.date, case.confidential.date_end):
                # an exact date withheld from the public version, in every language
                if when is not None and when != case.date and when.precision == "day":
                    found += [ConfidentialValue(value, f"{owner}/confidential")
                              for value in _date_forms(when, content)]
    for collection in ("sources", "statistics", "sections", "recommendations"):
        for entry in content.collection(collection):
            if getattr(entry, "confidential", False) is True:
                owner = f"{collection}/{entry.id}"
                found += [ConfidentialValue(_opening(text), owner) for _, text in texts(entry)
                          if len(_tokens(text)) >= 3]
    return [secret for secret in found if _tokens(secret.value)]


_MARKER = re.compile(r"\[(?:[@#=%][^\]]*|TBC:[^\]]*)\]")


def _date_forms(value: PartialDate, content: Content) -> list[str]:
    """A date as every edition of the report would print it, and as written."""
    from builder.i18n import Language  # formatting only; no translations needed

    codes = {"en", content.report.source_language, *content.report.languages}
    return [str(value)] + [Language(code, None).date(value) for code in sorted(codes)]


def _opening(text: str, words: int = 8) -> str:
    """The first words of a long text, without its markers: enough to recognise
    it, short enough to survive a line or page break in the extracted text."""
    return " ".join(_MARKER.sub(" ", str(text)).split()[:words])


def find_leaks(text: str, candidates: list[ConfidentialValue]) -> list[ConfidentialValue]:
    """The confidential values that occur in ``text``, word for word."""
    haystack = " " + " ".join(_tokens(text)) + " "
    return [secret for secret in candidates
            if " " + " ".join(_tokens(secret.value)) + " " in haystack]
