"""The small exception tree and the located problem every check reports.

A :class:`Problem` names the file (relative to the report project), the
1-based line and column, the key path inside the file and a message; its
``str`` is the ``path:line:col: message`` line a drafter sees. Checks collect
problems and raise one :class:`ValidationFailed` carrying all of them, so a
drafter fixes ten mistakes in one run.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

# A placeholder of a template string ("%(state)s", "{count}"), or what is left
# of a broken one ("%(state)", "%(state"): a quotation is never cut inside it.
_PLACEHOLDER_LIKE = re.compile(r"%\(\w*\)?[sdif]?|\{\w*\}?")


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in a user's files."""

    path: str
    line: int
    column: int
    message: str
    key: str = ""
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}:{self.column}" if self.column else f":{self.line}"
        what = f"{self.key}: {self.message}" if self.key else self.message
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{what}"


def quoted(text: str, limit: int = 60) -> str:
    """A catalog's text quoted in a message: its first ``limit`` characters,
    then "…" if there are more, but never a placeholder cut in two
    ("'… Review of %(state)s'", not "'… Review of %(state'")."""
    if len(text) <= limit:
        return repr(text)
    end = limit
    for match in _PLACEHOLDER_LIKE.finditer(text):
        if match.start() < end < match.end():
            end = match.end()
    return repr(text[:end]) + ("…" if end < len(text) else "")


class ShadowReportError(Exception):
    """Base of every error the command line reports without a traceback."""


class ProjectError(ShadowReportError):
    """The report project cannot be used at all (no content folder, ...)."""


class ValidationFailed(ShadowReportError):
    """The content has errors; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        errors = sum(1 for p in problems if p.severity == "error")
        super().__init__(f"{errors} error(s) in the report project")


class RenderError(ShadowReportError):
    """A template or the PDF renderer failed on valid content."""


class FootnoteLayoutError(RenderError):
    """Footnotes that could not be placed in an edition: a fault of our layout.

    ``entries`` are where the notes' calls are, as (collection file stem, entry
    id, detail such as "paragraph 7"), so that the message can point at the
    content the drafter would look at.
    """

    def __init__(self, edition: str, problems: list[str], entries: list[tuple[str, str, str]]):
        self.edition, self.problems, self.entries = edition, problems, entries
        super().__init__(f"{edition + ': ' if edition else ''}the footnotes could not be laid "
                         f"out: {'; '.join(problems)}")

    def __reduce__(self):  # pickled back from a worker process
        return (FootnoteLayoutError, (self.edition, self.problems, self.entries))


class OutputError(ShadowReportError):
    """An output file could not be written."""


class LeakError(RenderError):
    """A public edition contains confidential values; it is not written.

    Names the edition and the entries the values belong to, never the values.
    """

    def __init__(self, edition: str, owners: list[str], where: str = "the PDF",
                 details: list[str] | None = None):
        self.edition, self.owners, self.where = edition, owners, where
        # What was found of each owner, and where: "its date, page 3".
        self.details = details or []
        found = [f"{owner} ({detail})" if detail else owner
                 for owner, detail in itertools.zip_longest(owners, self.details)]
        super().__init__(f"{edition}: confidential data of {', '.join(found)} found in "
                         f"{where}; nothing was written")

    def __reduce__(self):  # pickled back from a worker process
        return (LeakError, (self.edition, self.owners, self.where, self.details))
