"""Submission readiness: word counts, page counts and each mechanism's form rules.

**How words are counted.** As a committee's secretariat would count them in a
word processor: the text of the report's body, split at white space, each piece
that holds at least one letter or digit counting as one word ("62 000" in a
Russian edition is two, "A/HRC/28/10" one). The body is everything from the
executive summary to the last recommendation: headings, paragraphs, tables,
recommendations and questions. Not counted: paragraph and chapter numbers, the
cover, the table of contents and the annexes. Footnotes inside the body are
counted separately as notes, and added to the count when the mechanism's rule
says notes count. Each edition is counted in its own language, because a
Russian edition is longer than the English one.

**Which rules apply.** Each mechanism's defaults are data
(:class:`builder.mechanisms.Rules`); ``report.yaml`` may override any of them
under ``mechanisms.<key>``, and the check says where each value came from.
An edition in a language the mechanism does not accept is an advocacy edition:
its cover says so and the check does not hold it to the mechanism's rules.

**Untranslated text.** A text an edition shows in the source language for want
of a translation (tinted in the PDF, ``<span class="fallback">`` in the HTML)
is not the edition's own: its words are counted apart, as foreign, and the
edition is not ready, whether it is for submission or for advocacy. A release
build leaves such an advocacy edition out; an edition for submission, or one
asked for by ``--lang``, fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from babel import Locale

from builder.content import Content
from builder.mechanisms import Mechanism
from builder.render import PARAGRAPH

_BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "div", "section", "dd", "dt",
           "caption", "br", "tr", "ol", "ul", "table"}
_NOT_COUNTED = ("para-num", "chapter-num")
_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class WordCount:
    body: int
    notes: int
    foreign: int = 0  # body and notes shown in the source language, counted in neither


class _BodyText(HTMLParser):
    """Collects the words of ``<main>``: body text and footnote text apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_main = False
        self.stack: list[str] = []  # "skip", "note" or "" per open element inside main
        self.body: list[str] = []
        self.notes: list[str] = []
        self.foreign: list[str] = []
        self.in_full = False  # the last "Ibid." is printed in full

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "main":
            self.in_main = True
            return
        if not self.in_main:
            return
        classes = (dict(attrs).get("class") or "").split()
        if "ibid" in classes:
            self.in_full = "in-full" in classes
        # "Ibid." or the citation it stands for, whichever is printed.
        hidden = "ibid-short" if self.in_full else "ibid-full"
        role = "skip" if any(c in _NOT_COUNTED or c == hidden for c in classes) else \
            "note" if "footnote" in classes else \
            "foreign" if "fallback" in classes else ""
        if tag in _BLOCKS:
            self._target().append(" ")
        if tag not in ("br", "col", "img", "meta", "link", "hr"):
            self.stack.append(role)
        if role == "note":  # each note is a text of its own: the next does not run on
            self._target().append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.in_main = False
            return
        if self.in_main and self.stack and tag not in ("br", "col", "img", "meta", "link",
                                                       "hr"):
            self.stack.pop()
            if tag in _BLOCKS:
                self._target().append(" ")

    def handle_data(self, data: str) -> None:
        if self.in_main and "skip" not in self.stack:
            self._target().append(data)

    def _target(self) -> list[str]:
        if "foreign" in self.stack:
            return self.foreign
        return self.notes if "note" in self.stack else self.body


def words(text: str) -> int:
    """Pieces of text between white space that hold a letter or a digit."""
    return sum(1 for piece in text.split() if _WORD.search(piece))


def count_words(html: str) -> WordCount:
    """The words of an edition's body and of its notes, as the committee reads
    them, and apart the words shown untranslated."""
    parser = _BodyText()
    parser.feed(html)
    return WordCount(words("".join(parser.body)), words("".join(parser.notes)),
                     words("".join(parser.foreign)))


# --- the rules that apply ---------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    """One rule's value and where it came from."""

    value: object
    source: str


@dataclass(frozen=True)
class AppliedRules:
    mechanism: Mechanism
    word_limit: Applied
    notes_count: Applied
    page_limit: Applied
    languages: Applied
    joint: Applied


def applied_rules(mechanism: Mechanism, content: Content) -> AppliedRules:
    """The mechanism's rules for this report, each with its source."""
    report = content.report
    settings = getattr(report.mechanisms, mechanism.key)
    located = content.files.get("report")
    default = mechanism.rules

    def override(name: str, value) -> Applied | None:
        if getattr(settings, name) is None:
            return None
        line = located.where(("mechanisms", mechanism.key, name))[0] if located else 0
        return Applied(value, f"content/report.yaml:{line}")

    organisations = len(report.organisations)
    joint = override("submission", settings.submission == "joint") or Applied(
        organisations > 1, f"{organisations} submitting organisation"
                           f"{'s' if organisations != 1 else ''}")
    if settings.word_limit is not None:
        word_limit = override("word_limit", settings.word_limit)
    elif joint.value and default.word_limit_joint:
        word_limit = Applied(default.word_limit_joint, "default for a joint submission")
    else:
        word_limit = Applied(default.word_limit, "default")
    notes = override("notes_count", settings.notes_count) or Applied(default.notes_count,
                                                                      "default")
    pages = override("page_limit", settings.page_limit) or Applied(default.page_limit,
                                                                   "default")
    languages = override("languages", tuple(settings.languages or ())) or Applied(
        default.languages, "default")
    return AppliedRules(mechanism, word_limit, notes, pages, languages, joint)


def accepts(rules: AppliedRules, language: str) -> bool:
    return not rules.languages.value or language in rules.languages.value


def language_names(codes, in_language: str) -> str:
    locale = Locale.parse(in_language)
    return ", ".join(Locale.parse(code).get_display_name(locale) or code for code in codes)


# --- one edition ---------------------------------------------------------------------


@dataclass
class EditionCheck:
    name: str
    language: str
    rules: AppliedRules
    count: WordCount
    pages: int | None  # None: no PDF was laid out (Word lays out its own pages)
    body_pages: int | None
    failures: list[str] = field(default_factory=list)  # the mechanism's rules broken
    untranslated: int = 0  # texts shown in the source language
    source_language: str = "en"
    required: bool = False  # a release must build it complete (see builder.build)
    docx: WordCount | None = None  # the Word edition's words, read back from the file

    def _counted(self, count: WordCount) -> int:
        return count.body + (count.notes if self.rules.notes_count.value else 0)

    @property
    def counted(self) -> int:
        """The words that count toward the limit: of the HTML the PDF is laid
        out from, or of the Word file if it has more."""
        return max(self._counted(self.count), self.docx_counted or 0)

    @property
    def docx_counted(self) -> int | None:
        return None if self.docx is None else self._counted(self.docx)

    @property
    def for_submission(self) -> bool:
        return accepts(self.rules, self.language)

    @property
    def margin(self) -> int | None:
        limit = self.rules.word_limit.value
        return None if limit is None else limit - self.counted

    @property
    def not_ready(self) -> list[str]:
        """Why the edition is not ready: its untranslated text, and for an
        edition meant for submission, the rules it breaks."""
        reasons = list(self.failures) if self.for_submission else []
        if self.untranslated:
            source = Locale.parse(self.source_language).get_display_name("en")
            reasons.insert(0, f"{self.untranslated} text(s) untranslated "
                              f"({self.count.foreign} words in {source}, not counted)")
        return reasons

    @property
    def failed(self) -> bool:
        """Not ready, and meant for submission or asked for by name."""
        return (self.for_submission or self.required) and bool(self.not_ready)


def check_edition(name: str, language: str, rules: AppliedRules, content: Content,
                  html: str, pages: int | None, anchors: dict[str, int], fallbacks=(), *,
                  required: bool = False, docx: WordCount | None = None) -> EditionCheck:
    """Measure one edition against its mechanism's rules; ``fallbacks`` are
    the texts it shows untranslated; ``docx`` the words of its Word file,
    read back, if one was made. Pages are those of its PDF (none without)."""
    count = count_words(html)
    body_start, annex = anchors.get("organisations"), anchors.get("cases")
    body_pages = annex - body_start if body_start and annex else None
    result = EditionCheck(name, language, rules, count, pages, body_pages,
                          untranslated=len(fallbacks),
                          source_language=content.report.source_language, required=required,
                          docx=docx)
    limit = rules.word_limit.value
    if limit is not None and result.counted > limit:
        result.failures.append(f"{result.counted} words, over the limit of {limit} by "
                               f"{result.counted - limit}")
    page_limit = rules.page_limit.value
    if page_limit is not None and body_pages is not None and body_pages > page_limit:
        result.failures.append(f"body is {body_pages} pages, over the limit of {page_limit}")
    required = rules.mechanism.rules.required
    report = content.report
    if "keywords" in required and not report.keywords:
        result.failures.append("no key words")
    if "contact" in required and not any(org.contact and org.contact.email
                                         for org in report.organisations):
        result.failures.append("no contact email for any submitting organisation")
    if "numbered-paragraphs" in required and not PARAGRAPH.search(html):
        result.failures.append("the paragraphs are not numbered")
    return result


def format_table(checks: list[EditionCheck]) -> list[str]:
    """The check's table, then the rules that applied and where they came from.
    With Word files, a column gives each one's words as counted in the file."""
    word = any(check.docx is not None for check in checks)
    lines = [f"{'edition':<10} {'body':>6} {'notes':>6} {'counted':>8} "
             + (f"{'docx':>6} " if word else "") + f"{'limit':>7} "
             f"{'margin':>7} {'pages':>11}  {'language':<14} result"]
    for check in checks:
        limit = check.rules.word_limit.value
        margin = check.margin
        page_limit = check.rules.page_limit.value
        pages = "-" if check.pages is None else str(check.pages)
        if page_limit is not None and check.body_pages is not None:
            pages = f"{check.pages} ({check.body_pages}/{page_limit})"
        language = "accepted" if check.for_submission else "not accepted"
        if check.not_ready:
            result = ("FAILS" if check.failed else "not ready") + ": " + \
                "; ".join(check.not_ready)
            if not check.for_submission:
                result = "advocacy edition, " + result
        elif not check.for_submission:
            result = "advocacy edition, not for submission"
        else:
            result = "ok"
        docx = check.docx_counted
        lines.append(
            f"{check.name:<10} {check.count.body:>6} {check.count.notes:>6} "
            f"{check.counted:>8} " + (f"{docx if docx is not None else '-':>6} " if word else "")
            + f"{limit if limit is not None else '-':>7} "
            f"{(f'{margin:+d}' if margin is not None else '-'):>7} {pages:>11}  "
            f"{language:<14} {result}")
    seen = set()
    for check in checks:
        rules = check.rules
        if rules.mechanism.key in seen:
            continue
        seen.add(rules.mechanism.key)
        lines.append(_describe_rules(rules))
    return lines


def _describe_rules(rules: AppliedRules) -> str:
    parts = []
    if rules.word_limit.value is not None:
        kind = ""
        if rules.mechanism.rules.word_limit_joint:  # the limit depends on who submits
            kind = (f"; {'joint' if rules.joint.value else 'individual'} submission: "
                    f"{rules.joint.source}")
        parts.append(f"{rules.word_limit.value} words ({rules.word_limit.source}{kind})")
        parts.append(("notes count" if rules.notes_count.value else "notes do not count")
                     + f" ({rules.notes_count.source})")
    if rules.page_limit.value is not None:
        parts.append(f"{rules.page_limit.value} pages of body, the summary excluded "
                     f"({rules.page_limit.source})")
    if rules.languages.value:
        parts.append(f"languages {', '.join(rules.languages.value)} "
                     f"({rules.languages.source})")
    basis = rules.mechanism.rules.basis
    return f"  {rules.mechanism.key}: " + "; ".join(parts) + (f". Basis: {basis}." if basis
                                                                else ".")
