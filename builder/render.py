"""Render one report (a mechanism's plan in one language) to a complete HTML document.

The templates do the presentation; this module gives them what they need:

* ``inline`` turns narrative text into safe markup: everything is escaped, and
  only the inline syntax (:mod:`builder.inline`) becomes elements. Citations
  become WeasyPrint footnotes, the first citation of a source in full, later
  ones short; case references become links to the annex.
* ``para`` numbers body paragraphs continuously, in the order they are
  rendered (Jinja renders top to bottom, so that is the reading order).
* After rendering, the table of contents is filled in from the headings the
  document actually has (:func:`fill_toc`); page numbers come from
  WeasyPrint's ``target-counter``.

Templates are looked up in the project's ``templates/`` first (an override,
file by file), then in the package's. A project's templates are untrusted: they
run in a sandbox (:mod:`builder.sandbox`) that reaches the report's data and
nothing else, and are read only as regular files really inside their templates
folder (:class:`ConfinedLoader`), never through a link to a file elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from html.parser import HTMLParser

import jinja2
from babel import Locale
from jinja2.exceptions import SecurityError
from markupsafe import Markup, escape

from builder import inline
from builder.errors import RenderError
from builder.i18n import Language
from builder.mechanisms import N_
from builder.model import PartialDate
from builder.plan import Plan
from builder.project import Project
from builder.sandbox import TemplateRefused, environment, where_in_template
from builder.translate import DescribedTitle, Fallbacks, FallbackText
from builder.typography import WORD_JOINER, ZERO_WIDTH_SPACE, typeset

# The HTML ids the templates give the content's entries: prefix -> collection.
ENTRY_IDS = {"section-": "sections", "case-": "cases", "rec-": "recommendations",
             "prev-": "previous-recommendations"}

# The labels of a citation's locator ("[@src, p. 12]") that an edition prints in
# its own words ("с. 12", "12-бет"): the English label a drafter writes, and the
# phrase around its number. The number and whatever follows it ("para. 24 (b)")
# are printed as written; a locator that begins otherwise, as written.
LOCATOR_LABELS = {
    # Translators: a citation's locator, "[@source, p. 12]": page 12. The
    # number is printed as the drafter wrote it ("12", "12a"); write your
    # language's abbreviation, or the number and its word ("12-бет").
    "p.": N_("p. %(number)s"),
    # Translators: a citation's locator: pages ("pp. 12–14", "pp. 3, 7").
    "pp.": N_("pp. %(numbers)s"),
    # Translators: a citation's locator: a paragraph ("para. 18").
    "para.": N_("para. %(number)s"),
    # Translators: a citation's locator: paragraphs ("paras. 18–20").
    "paras.": N_("paras. %(numbers)s"),
    # Translators: a citation's locator: an article of a law or treaty ("art. 5").
    "art.": N_("art. %(number)s"),
    # Translators: a citation's locator: articles ("arts. 5–7", "arts. 5, 7").
    "arts.": N_("arts. %(numbers)s"),
    # Translators: a citation's locator: a chapter ("ch. 4", "ch. IV").
    "ch.": N_("ch. %(number)s"),
    # Translators: a citation's locator: a section ("sect. 3.2").
    "sect.": N_("sect. %(number)s"),
}
# A number as a locator gives it: "12", "3.2", "24a", "IV"; a range ("12–14"),
# and a list of them ("3, 7").
_ONE = r"(?:\d+(?:\.\d+)*[a-z]?|[IVXLC]+)"
_RANGE = rf"{_ONE}(?:\s*[-\u2013\u2014]\s*{_ONE})?"
_LOCATOR = re.compile(rf"(?P<label>{'|'.join(map(re.escape, LOCATOR_LABELS))})\s*"
                      rf"(?P<number>{_RANGE}(?:\s*,\s*{_RANGE})*)(?!\w)")

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
         "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI", "XXII", "XXIII", "XXIV"]


@dataclass
class Renderer:
    """Per-document state: paragraph and chapter counters, sources cited so far."""

    plan: Plan
    language: Language
    internal: bool = False  # an internal edition: real names and confidential details
    paragraphs: int = 0
    chapters: int = 0
    cited: set[str] = field(default_factory=set)
    # The source and locator of the note written last, for "Ibid.".
    last_note: tuple[str, str] | None = None
    ibids: int = 0  # notes written "Ibid.", each with its full form beside it
    # Content texts shown in the source language for want of a translation.
    fallbacks: Fallbacks = field(default_factory=Fallbacks)

    def __post_init__(self) -> None:
        content = self.plan.content
        self.sources = content.index("sources")
        self.statistics = content.index("statistics")
        self.people = content.index("people")
        self.cases = {case.id: case for case in self.plan.cases}

    # -- counters ---------------------------------------------------------------

    def next_paragraph(self) -> int:
        self.paragraphs += 1
        return self.paragraphs

    def next_chapter(self) -> str:
        self.chapters += 1
        return ROMAN[self.chapters - 1] if self.chapters <= len(ROMAN) else str(self.chapters)

    # -- inline text ----------------------------------------------------------------

    def inline(self, text: str | None, *, notes: bool = True,
               named: Collection[str] = ()) -> Markup:
        """Narrative text as markup; ``notes=False`` for places without footnotes.
        ``named``: sources the text's place already names (a case's "Sources:"
        line), whose citations would only repeat it: they are left out, unless
        they give a page or other locator."""
        if text is None:
            return Markup("")
        if isinstance(text, Markup):  # already markup: a translated template string
            return text
        markup = Markup("").join(self._nodes(inline.parse(text), notes, frozenset(named)))
        if isinstance(text, FallbackText):
            self._fell_back(text)
            return Markup('<span class="fallback" lang="{}">{}</span>').format(
                text.language, markup)
        return markup

    def plain(self, text: str | None) -> str:
        """Narrative text without markup or notes, for metadata and bookmarks."""
        if text is None:
            return ""
        if isinstance(text, FallbackText):
            self._fell_back(text)
        return "".join(self._plain(inline.parse(text))).strip()

    def _fell_back(self, text: FallbackText) -> None:
        self.fallbacks.add(text.fallback)

    def _plain(self, nodes: tuple):
        for node in _group_refs(nodes):
            if isinstance(node, inline.Text):
                yield node.text
            elif isinstance(node, inline.Emphasis):
                yield from self._plain(node.children)
            elif isinstance(node, CaseRefs):
                yield self.case_refs(node, links=False)
            elif isinstance(node, RecRefs):
                yield self.recommendation_refs(node, links=False)
            elif isinstance(node, inline.StatRef):
                yield self.statistic_value(node.statistic)
            elif isinstance(node, inline.PersonRef):
                yield self.person_name(node.person, plain=True)
            elif isinstance(node, SectionRefs):
                yield self.section_refs(node, links=False)
            elif isinstance(node, inline.Placeholder):
                yield self.placeholder(node.text)

    def _nodes(self, nodes: tuple, notes: bool, named: frozenset[str] = frozenset()):
        nodes = _group_refs(nodes)
        for index, node in enumerate(nodes):
            if isinstance(node, inline.Text):
                text = node.text
                # "happened [@src]." puts the note call right after the word.
                following = nodes[index + 1] if index + 1 < len(nodes) else None
                if notes and isinstance(following, Citations):
                    text = text.rstrip()
                yield escape(text)
            elif isinstance(node, inline.Emphasis):
                tag = "strong" if node.strong else "em"
                inner = Markup("").join(self._nodes(node.children, notes, named))
                yield Markup(f"<{tag}>{inner}</{tag}>")
            elif isinstance(node, Citations):
                node = Citations(tuple(cited for cited in node.items
                                       if cited.locator or cited.source not in named))
                if notes and node.items:
                    # A call right after a figure's is printed ",32" (see print.css):
                    # "84,183% 124,125".
                    before = [n for n in nodes[:index]
                              if not (isinstance(n, inline.Text) and not n.text.strip())]
                    yield self.footnote(self.citations(node), follows_note=bool(before) and
                                        isinstance(before[-1], inline.StatRef))
            elif isinstance(node, CaseRefs):
                yield self.case_refs(node, links=True)
            elif isinstance(node, RecRefs):
                yield self.recommendation_refs(node, links=True)
            elif isinstance(node, inline.StatRef):
                stat = self.statistics[node.statistic]
                yield Markup('<span class="figure">{}</span>').format(
                    self.statistic_value(node.statistic))
                if notes:
                    yield self.footnote(self.citation(stat.source, "", note=stat.note))
            elif isinstance(node, inline.PersonRef):
                yield self.person_name(node.person)
            elif isinstance(node, SectionRefs):
                yield self.section_refs(node, links=True)
            elif isinstance(node, inline.Placeholder):
                yield Markup('<mark class="tbc">{}</mark>').format(self.placeholder(node.text))

    def linked(self, text: str, href: str, css_class: str = "") -> Markup:
        """A link whose words are ``text``. A text with a placeholder is marked
        around the link, not inside it: WeasyPrint 70 leaves the annotation of
        a link around a ``<mark>`` out of the PDF's tagged /Link."""
        attributes = Markup(' class="{}" href="{}"').format(css_class, href) if css_class \
            else Markup(' href="{}"').format(href)
        if any(isinstance(node, inline.Placeholder) for node in inline.walk(inline.parse(text))):
            return Markup('<mark class="tbc"><a{}>{}</a></mark>').format(attributes,
                                                                       self.plain(text))
        return Markup("<a{}>{}</a>").format(attributes, self.inline(text, notes=False))

    def placeholder(self, what: str) -> str:
        """A ``[TBC: ...]`` placeholder as the edition prints it, its label in
        the edition's language ("[уточнить: ...]")."""
        # Translators: a visible placeholder for a fact still to confirm; %(what)s is
        # what is missing, as the drafters or the content's translators wrote it.
        # Keep the brackets; translate "TBC" (to be confirmed).
        return self.language.gettext("[TBC: %(what)s]") % {"what": what}

    def person_name(self, person_id: str, *, plain: bool = False):
        """The pseudonym in a public edition (the name of someone who spoke
        publicly); the real name in an internal one."""
        person = self.people[person_id]
        if self.internal or person.spoke_publicly:
            name = person.name_in(self.language.code)
            return name if plain else Markup('<span class="person">{}</span>').format(name)
        return self.plain(person.pseudonym) if plain else self.inline(person.pseudonym,
                                                                      notes=False)

    def case_refs(self, refs: CaseRefs, *, links: bool) -> Markup | str:
        """``[#a] [#b]`` as "(cases 3 and 5)", each number linked to the annex, in
        the annex's order whatever the order written."""
        cases = self._annex_order(refs.items)
        message = self.language.ngettext("case %(numbers)s", "cases %(numbers)s", len(cases))
        text = self._listed(message, cases, links)
        return Markup("({})").format(text) if links else f"({text})"

    def case_list(self, case_ids: list[str]) -> Markup:
        """"Cases 4, 11 and 12.": the cases a recommendation rests on, as one
        list in the annex's order, each number linked to its case."""
        cases = self._annex_order(case_ids)
        message = self.language.ngettext("Case %(numbers)s.", "Cases %(numbers)s.", len(cases))
        return self._listed(message, cases, True)

    def _annex_order(self, case_ids) -> list[tuple[str, str, int]]:
        """Cases (once each) in the annex's order, as :meth:`_listed` takes them."""
        numbers = self.plan.case_numbers
        return [("case-ref", f"case-{case}", numbers[case])
                for case in sorted(dict.fromkeys(case_ids), key=numbers.__getitem__)]

    def _listed(self, message: str, items: list[tuple[str, str, int]], links: bool):
        """``message`` with its ``%(numbers)s`` the numbers of ``items`` (class,
        target, number) as the language lists them, each a link if ``links``.
        The translation and the list's words are escaped: only the links are markup."""
        if not links:
            return message % {"numbers": self.language.list(
                [self.language.number(number) for _, _, number in items])}
        return escape(message) % {"numbers": self.join_list(
            [Markup('<a class="{}" href="#{}">{}</a>').format(
                kind, target, self.language.number(number)) for kind, target, number in items])}

    def recommendation_refs(self, refs: RecRefs, *, links: bool = True) -> Markup | str:
        """``[>a] [>b]`` as "(recommendations 7 and 9)", each number linked to
        the recommendation, in the report's order. One that this edition
        leaves out is not printed (validation warns of it)."""
        numbers = self.plan.recommendation_numbers
        shown = sorted((r for r in dict.fromkeys(refs.items) if r in numbers),
                       key=numbers.__getitem__)
        if not shown:
            return Markup("") if links else ""
        message = self.language.ngettext("recommendation %(numbers)s",
                                         "recommendations %(numbers)s", len(shown))
        text = self._numbered(message, shown, links)
        return Markup("({})").format(text) if links else f"({text})"

    def section_ref(self, section_id: str, *, links: bool) -> Markup | str:
        """``[§section]`` as "(see chapter IV, “Legal gender recognition”)": the
        number of the chapter the section is printed in and its title, in the
        edition's language, linked to the section. The number is known once
        the whole document is rendered (:func:`fill_section_numbers`): a mark
        stands for it until then. A section this edition leaves out is not
        referred to (validation warns of it)."""
        if section_id not in self.plan.section_chapters:
            return Markup("") if links else ""
        title = self.plain(self.plan.content.index("sections")[section_id].title)
        # Translators: a reference to a section of the report, printed in brackets
        # "(see chapter IV, “Legal gender recognition”)"; %(number)s is the chapter's
        # Roman number, %(title)s the section's title. Use your language's quotation marks.
        text = self.language.gettext("see chapter %(number)s, “%(title)s”") % {
            "number": SECTION_NUMBER.format(section_id), "title": title}
        if not links:
            return f"({text})"
        return Markup('(<a class="section-ref" href="#s-{}">{}</a>)').format(section_id, text)

    def section_refs(self, refs: SectionRefs, *, links: bool) -> Markup | str:
        """``[§a] [§b]`` as one parenthesis, "(see chapter III, “A” and chapter
        VI, “B”)", in the order the sections are printed whatever the order
        written; one reference as :meth:`section_ref`."""
        shown = [section for section in dict.fromkeys(refs.items)
                 if section in self.plan.section_chapters]
        if len(shown) <= 1:
            return self.section_ref(shown[0], links=links) if shown else \
                (Markup("") if links else "")
        order = {section.id: (number, place)
                 for number, chapter in enumerate(self.plan.chapters)
                 for place, section in enumerate(chapter.sections)}
        shown.sort(key=lambda section: order.get(section, (len(order), 0)))
        sections = self.plan.content.index("sections")
        items = []
        for section in shown:
            # Translators: one of two or more sections referred to at once, in the
            # list that "see %(chapters)s" prints: "chapter III, “Police violence”";
            # %(number)s is the chapter's Roman number, %(title)s the section's title.
            # The same grammatical case as "see chapter %(number)s, “%(title)s”" gives it.
            text = self.language.gettext("chapter %(number)s, “%(title)s”") % {
                "number": SECTION_NUMBER.format(section),
                "title": self.plain(sections[section].title)}
            items.append(Markup('<a class="section-ref" href="#s-{}">{}</a>').format(
                section, text) if links else text)
        # Translators: references to two sections or more, printed in brackets:
        # "(see chapter III, “Police violence” and chapter VI, “Health”)";
        # %(chapters)s is their list, each item as "chapter %(number)s, “%(title)s”".
        wrapper = self.language.gettext("see %(chapters)s")
        if not links:
            return f"({wrapper % {'chapters': self.language.list(items)}})"
        return Markup("({})").format(escape(wrapper) % {"chapters": self.join_list(items)})

    def followed_up_by(self, previous_id: str) -> Markup:
        """"Followed up in our recommendations 7 and 9.": this report's own
        recommendations that follow up a previous one, linked to them."""
        shown = [rec.id for rec in self.plan.recommendations if previous_id in rec.follows_up]
        if not shown:
            return Markup("")
        message = self.language.ngettext("Followed up in our recommendation %(numbers)s.",
                                         "Followed up in our recommendations %(numbers)s.",
                                         len(shown))
        return self._numbered(message, shown, True)

    def _numbered(self, message: str, ids: list[str], links: bool):
        """``message`` with the recommendations' numbers listed in it."""
        numbers = self.plan.recommendation_numbers
        return self._listed(message, [("rec-ref", f"rec-{r}", numbers[r]) for r in ids], links)

    def evidence(self, case_ids: list[str], text: str) -> Markup:
        """ " (cases 3 and 5)" for the cases that ``text`` does not already refer to."""
        mentioned = {node.case for node in inline.walk(inline.parse(text))
                     if isinstance(node, inline.CaseRef)}
        rest = tuple(case for case in case_ids if case not in mentioned)
        return Markup(" ") + self.case_refs(CaseRefs(rest), links=True) if rest else Markup("")

    def footnote(self, body: Markup, *, follows_note: bool = False) -> Markup:
        if follows_note:
            return Markup('<span class="footnote next-note">{}</span>').format(body)
        return Markup('<span class="footnote">{}</span>').format(body)

    def citation(self, source_id: str, locator: str = "", note: str | None = None) -> Markup:
        """A source as a footnote: in full the first time, short after that,
        and "Ibid." (with its own locator) when the note before cites the same
        source. Not when the note before had a locator and this one has none:
        "Ibid." would then point at the same page, which is not what was cited.

        An "Ibid." comes with the short citation it stands for: the PDF's
        layout prints one or the other, the citation where the note opens a
        page, away from the note it refers to (builder/linebox.py:
        _ibid_forms); the Word editions and the preview print "Ibid."."""
        previous = self.last_note
        short = full_stop(self._citation(source_id, locator, note))
        if not _ibid(previous, source_id, locator):
            return short
        self.ibids += 1
        self.last_note = None  # the full form is written as a note after another
        full = full_stop(self._citation(source_id, locator, note))
        self.last_note = (source_id, locator)
        return Markup('<span class="ibid" data-ibid="{}"><span class="ibid-short">{}</span>'
                      '<span class="ibid-full">{}</span></span>').format(self.ibids, short, full)

    def citations(self, group: Citations) -> Markup:
        """Citations written next to each other, as one note: "A, p. 3; B."
        (one call, where separate notes made a run of calls "31,32,33" that
        no line can break). No "Ibid." inside it, nor for the note after it."""
        if len(group.items) == 1:
            return self.citation(group.items[0].source, group.items[0].locator)
        parts = []
        for cited in group.items:
            self.last_note = None
            parts.append(self._citation(cited.source, cited.locator))
        self.last_note = None
        return full_stop(Markup("; ").join(parts))

    def _citation(self, source_id: str, locator: str = "", note: str | None = None) -> Markup:
        previous, self.last_note = self.last_note, (source_id, locator)
        if _ibid(previous, source_id, locator):
            text = escape(self.language.gettext("Ibid., %(locator)s") % {
                "locator": self.locator(locator)}
                          if locator else self.language.gettext("Ibid."))
            if note:
                text += Markup(" ") + self.inline(note, notes=False)
            return text
        source = self.sources[source_id]
        first = source_id not in self.cited
        self.cited.add(source_id)
        parts: list[Markup] = []
        if source.author:
            parts.append(self.inline(source.author, notes=False))
        parts.append(self.cite(source, short=not first))
        if first:
            if source.publisher:
                parts.append(self.inline(source.publisher, notes=False))
            if source.date:
                parts.append(escape(self.language.date(source.date)))
        if locator:
            parts.append(escape(self.locator(locator)))
        text = Markup(", ").join(parts)
        if first and source.url:
            text += Markup(', ') + url_link(source.url)
        if note:  # a statistic's note is a sentence of its own ("2026 г." ends one)
            text = full_stop(text) + Markup(" ") + self.inline(note, notes=False)
        return text

    def locator(self, written: str) -> str:
        """A citation's locator in the edition's words: "p. 12" as "с. 12" in
        Russian, "12-бет" in Kazakh (:data:`LOCATOR_LABELS`), the number and
        what follows it as written; any other locator, and every locator where
        the catalog has no translation for its label, as written."""
        match = _LOCATOR.match(written)
        if match is None:
            return written
        message = LOCATOR_LABELS[match["label"]]
        phrase = self.language.gettext(message)
        if phrase == message:  # the source language, or not translated yet
            return written
        number = match["number"]
        return phrase % {"number": number, "numbers": number} + written[match.end():]

    def cite(self, source, *, short: bool = False) -> Markup:
        """A publication's title (``short``: its short title, if any) as
        published, in italics, then its translation in brackets (when the
        edition's translator gave one); its official title in the edition's
        language alone, when it has one (see :func:`translate_content`).

        A title that begins with a placeholder ("[TBC: title] Blog post on the
        Shymkent incident") is a description standing in for a title not yet
        known, not a title: it and its short title are set upright, and an
        edition in another language prints only its translation."""
        title = (source.short_title or source.title) if short else source.title
        described = isinstance(source.title, DescribedTitle) or \
            inline.begins_with_placeholder(source.title)
        translation = getattr(title, "translation", None)
        if not translation:
            shown = self.inline(title, notes=False)
            return shown if described else Markup("<cite>{}</cite>").format(shown)
        # A placeholder in a title ("(fourth cycle) [TBC: document symbol]") is a
        # note on the citation, which the translation words in the reader's
        # language: printed once, after both titles, never in brackets within
        # brackets ("[Доклад ... [уточнить: ...]]").
        original, _ = self._placeholders_apart(title)
        translated, notes = self._placeholders_apart(translation)
        cited = Markup("<cite>{}</cite> [{}]").format(original, translated)
        return Markup(" ").join([cited, *notes])

    def _placeholders_apart(self, text: str) -> tuple[Markup, list[Markup]]:
        """A text without its placeholders, and its placeholders, as markup."""
        nodes = inline.parse(text)
        kept = tuple(node for node in nodes if not isinstance(node, inline.Placeholder))
        shown = Markup("").join(self._nodes(kept, False))
        return (Markup(re.sub(r"\s{2,}", " ", shown).strip()),
                [Markup("").join(self._nodes((node,), False)) for node in nodes
                 if isinstance(node, inline.Placeholder)])

    def source_link(self, source_id: str) -> Markup:
        """A short reference to a source, as listed in the list of sources."""
        source = self.sources[source_id]
        self.cited.add(source_id)
        who = source.author or source.publisher
        label = self.cite(source, short=True)
        if who:
            label = Markup("{}, {}").format(self.inline(who, notes=False), label)
        # Text, not a link: a link that wraps onto a second line is tagged only
        # in part in WeasyPrint 70's PDF/UA output (the list of sources follows).
        return Markup('<span class="source-ref">{}</span>').format(label)

    def case_label(self, case_id: str) -> str:
        return self.language.gettext("case %(number)s") % {
            "number": self.plan.case_numbers[case_id]}

    def statistic_value(self, stat_id: str, *, qualified: bool = True) -> str:
        """A figure in the edition's number format; "about 62,000" when approximate,
        its words joined by no-break spaces (never "about" / "62,000" across
        lines; the word itself may still be hyphenated)."""
        stat = self.statistics[stat_id]
        value = self.language.number(stat.value, percent=stat.kind == "percent")
        if qualified and stat.approximate:
            value = self.language.gettext("about %(value)s") % {"value": value}
        return value.replace(" ", "\u00a0")

    # -- dates, lists, articles ------------------------------------------------------

    def join_list(self, items) -> Markup:
        """Items (text or markup) joined as the language lists them, as markup:
        each item escaped unless it is markup already, the list's words escaped."""
        items = list(items)
        marks = [f"\x00{index}\x00" for index in range(len(items))]
        text = escape(self.language.list(marks))
        for mark, item in zip(marks, items, strict=True):
            text = text.replace(mark, escape(item))
        return Markup(text)

    def date(self, value: PartialDate | None) -> str:
        return self.language.date(value) if value is not None else ""

    def articles(self, numbers: tuple[int, ...] | list[int],
                 treaty: tuple[str, str] | None = None) -> str:
        """"art. 7" or "arts. 2, 3, 20 and 26", in the edition's language, in
        the order of the treaty whatever the order written; with the ``treaty``
        (a mechanism's, context and name), "CEDAW, arts. 5 and 7": one phrase
        per plural form, which each language writes whole, in its own order
        and cases ("ст. 5 и 7 КЛДЖ", "Конвенцияның 5 және 7-баптары")."""
        numbers = sorted(set(numbers))
        listed = self.language.list([self.language.number(n) for n in numbers])
        if treaty is None:
            return self.language.ngettext("art. %(articles)s", "arts. %(articles)s",
                                          len(numbers)) % {"articles": listed}
        # Translators: a case's rights concerned, "CEDAW, arts. 5 and 7": the
        # treaty's name is its own entry (context "the treaty whose articles are
        # listed"), in the form this phrase needs.
        return self.language.ngettext("%(treaty)s, art. %(articles)s",
                                      "%(treaty)s, arts. %(articles)s", len(numbers)) % {
            "articles": listed, "treaty": self.language.pgettext(*treaty)}


@dataclass(frozen=True)
class _EscapedTranslations:
    """Translations as Jinja2 gets them: escaped, because a translation is
    untrusted text (Jinja2 would otherwise mark it safe as HTML)."""

    translations: object

    def gettext(self, message: str) -> Markup:
        return escape(self.translations.gettext(message))

    def ngettext(self, singular: str, plural: str, n: int) -> Markup:
        return escape(self.translations.ngettext(singular, plural, n))

    def pgettext(self, context: str, message: str) -> Markup:
        return escape(self.translations.pgettext(context, message))

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> Markup:
        return escape(self.translations.npgettext(context, singular, plural, n))


@dataclass(frozen=True)
class CaseRefs:
    """Case references written next to each other: one parenthesis, "(cases 3 and 5)"."""

    items: tuple[str, ...]  # case ids


@dataclass(frozen=True)
class SectionRefs:
    """Section references written next to each other: one parenthesis."""

    items: tuple[str, ...]  # section ids


@dataclass(frozen=True)
class RecRefs:
    """Recommendation references written next to each other: "(recommendations 7 and 9)"."""

    items: tuple[str, ...]  # recommendation ids


@dataclass(frozen=True)
class Citations:
    """Citations written next to each other: one note, "A, p. 3; B."."""

    items: tuple[inline.Citation, ...]


# Reference node -> its group, and what the group keeps of it.
_GROUPS = {inline.CaseRef: (CaseRefs, lambda node: node.case),
           inline.RecRef: (RecRefs, lambda node: node.recommendation),
           inline.SectionRef: (SectionRefs, lambda node: node.section),
           inline.Citation: (Citations, lambda node: node)}


def _group_refs(nodes: tuple) -> list:
    """Neighbouring references of one kind (only spaces between) as one group."""
    grouped: list = []
    for node in nodes:
        kind = _GROUPS.get(type(node))
        if kind is None:
            grouped.append(node)
            continue
        group, kept = kind
        if len(grouped) >= 2 and isinstance(grouped[-1], inline.Text) and \
                not grouped[-1].text.strip() and isinstance(grouped[-2], group):
            grouped.pop()
        if grouped and isinstance(grouped[-1], group):
            grouped[-1] = group((*grouped[-1].items, kept(node)))
        else:
            grouped.append(group((kept(node),)))
    return grouped


def render_html(plan: Plan, language: Language, project: Project | None = None) -> str:
    """The complete HTML document of one edition."""
    return render_edition(plan, language, project)[0]


def render_edition(plan: Plan, language: Language, project: Project | None = None,
                   accepted_languages: tuple[str, ...] = (), *, internal: bool = False
                   ) -> tuple[str, list]:
    """The HTML of one edition and the content texts it shows untranslated.

    ``accepted_languages``: the languages the mechanism accepts; an edition in
    another language says on its cover that it is not for submission.
    """
    env = environment(project)
    env.install_gettext_translations(_EscapedTranslations(language.translations),
                                     newstyle=True)
    renderer = Renderer(plan, language, internal=internal)
    env.filters["inline"] = renderer.inline
    env.filters["plain"] = renderer.plain
    env.filters["date"] = renderer.date
    env.filters["articles"] = renderer.articles
    env.filters["number"] = language.number
    env.filters["join_list"] = renderer.join_list
    env.filters["css_string"] = css_string
    env.filters["full_stop"] = full_stop
    env.filters["url_link"] = url_link
    try:
        template = env.get_template(plan.mechanism.template)
        html = template.render(
            plan=plan,
            report=plan.content.report,
            mechanism=plan.mechanism,
            settings=plan.settings,
            lang=language.code,
            r=renderer,
            for_submission=not accepted_languages or language.code in accepted_languages,
            accepted_languages=language.list(
                [_language_name(code, language.code) for code in accepted_languages]),
            source_language=plan.content.report.source_language,
            internal=internal,
        )
    except TemplateRefused as exc:
        raise RenderError(str(exc)) from None
    except SecurityError as exc:
        where = where_in_template(exc, env.loader) or plan.mechanism.template
        raise RenderError(f"{where}: refused by the template sandbox: {exc}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"{exc.filename or exc.name}:{exc.lineno}: template error: "
                          f"{exc.message}") from None
    except jinja2.TemplateError as exc:
        raise RenderError(f"{plan.mechanism.template}: template error: {exc}") from None
    return typeset(fill_toc(fill_section_numbers(html)), language.code), renderer.fallbacks


def _language_name(code: str, in_language: str) -> str:
    return Locale.parse(code).get_display_name(Locale.parse(in_language)) or code


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# A web address breaks before these (a line that ends with "-" or "." would
# read as hyphenated or as a sentence's end; one that starts with them is
# plainly the address going on), never after them.
_URL_BREAK = re.compile(r"(?<=.)(?=[/.\-?&_~#%=@])")
_BREAKS_AFTER = re.compile(r"([/\-?])")  # where Pango itself would break a line


def url_link(url: str, href: str | None = None) -> Markup:
    """A link that shows its address (to ``href``, or to the address itself),
    which may break across lines only before ``/ . - ? & _ ~ # % = @``, as
    style manuals ask (an e-mail address nowhere), and never inside
    ``https://`` (print.css allows no other break, unless a part is wider
    than the line).

    The break points are zero-width spaces in the text, not ``<wbr>``: each
    ``<wbr>`` inside a link became an empty link annotation of its own, outside
    the PDF's tagged /Link. A word joiner after each ``/ - ?`` keeps Pango
    from breaking after them. Neither is in the text a reader copies (PDFium
    and pdftotext leave them out), nor in the link's target."""
    scheme = _SCHEME.match(url)
    head = url[:scheme.end()] if scheme else ""
    # An e-mail address (a short one, on the cover) is kept whole.
    email = (href or "").startswith("mailto:")
    parts = [url[len(head):]] if email else _URL_BREAK.split(url[len(head):])
    parts[0] = head + parts[0]
    text = ZERO_WIDTH_SPACE.join(_BREAKS_AFTER.sub(r"\1" + WORD_JOINER, part) for part in parts)
    return Markup('<a class="url" href="{}">{}</a>').format(href or url, text)


def ibid_in_full(html: str, numbers: list[str]) -> str:
    """``html`` with these notes' "Ibid." marked as printed in the citation it
    stands for (class ``in-full``), as the PDF has them
    (:func:`builder.pdf.ibids_in_full`): the words are counted as printed."""
    for number in numbers:
        html = html.replace(f'<span class="ibid" data-ibid="{number}">',
                            f'<span class="ibid in-full" data-ibid="{number}">', 1)
    return html


def _ibid(previous: tuple[str, str] | None, source_id: str, locator: str) -> bool:
    """Whether a note citing ``source_id`` at ``locator`` after one citing
    ``previous`` (source and locator) is "Ibid."."""
    return previous is not None and previous[0] == source_id and (
        bool(locator) or not previous[1])


def full_stop(text: Markup) -> Markup:
    """End with one full stop, also after "2 января 2026 г." or an abbreviation."""
    text = Markup(text)
    if text.striptags().rstrip().endswith((".", "!", "?", "…")):
        return text
    return text + Markup(".")


def css_string(text: str) -> Markup:
    """Text as a quoted CSS string, safe inside a ``<style>`` element."""
    escaped = "".join(c if c.isalnum() or c in " .,:;-–—()" else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{escaped}"')


class _Headings(HTMLParser):
    """Collects the headings marked for the table of contents."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.entries: list[tuple[int, str, str]] = []
        self._current: list | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if re.fullmatch(r"h[1-4]", tag) and "data-toc" in attributes and attributes.get("id"):
            self._current = [int(attributes["data-toc"]), attributes["id"], []]
        elif self._current is not None and tag == "span" and "footnote" in (
                attributes.get("class") or ""):
            self._current.append("skip")

    def handle_endtag(self, tag: str) -> None:
        if self._current is None:
            return
        if tag == "span" and self._current[-1] == "skip":
            self._current.pop()
        elif re.fullmatch(r"h[1-4]", tag):
            level, ident, words = self._current[:3]
            self.entries.append((level, ident, " ".join("".join(words).split())))
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None and self._current[-1] != "skip":
            self._current[2].append(data)


# What stands for a section's chapter number until the document is rendered
# (a reference may come before the chapter it refers to).
SECTION_NUMBER = "\x00§{}\x00"
_SECTION_MARK = re.compile("\x00§([a-z0-9._-]+)\x00")
# The chapter headings and section headings of a rendered document, in order.
_CHAPTER_OR_SECTION = re.compile(
    r'<span class="chapter-num">([^<]*?)\.?</span>|<h3 id="s-([a-z0-9._-]+)"')


def fill_section_numbers(html: str) -> str:
    """Each section reference's mark replaced by the number of the chapter
    that its section's heading is printed in."""
    if "\x00§" not in html:
        return html
    chapters: dict[str, str] = {}
    number = ""
    for match in _CHAPTER_OR_SECTION.finditer(html):
        if match[1] is not None:
            number = match[1]
        else:
            chapters.setdefault(match[2], number)

    def chapter(mark: re.Match) -> str:
        if mark[1] not in chapters:
            raise RenderError(f"the text refers to the section {mark[1]!r}, which the "
                              "templates print without its heading (<h3 id=\"s-...\">)")
        return chapters[mark[1]]

    return _SECTION_MARK.sub(chapter, html)


TOC_MARK = "<!-- table of contents -->"
# A numbered body paragraph as the templates write it (m.para): its number.
PARAGRAPH = re.compile(r'<p class="para(?: [^"]*)?" id="para-(\d+)">')


def fill_toc(html: str) -> str:
    """Replace the table-of-contents mark with links to every marked heading."""
    if TOC_MARK not in html:
        return html
    parser = _Headings()
    parser.feed(html)
    items = "\n".join(
        f'<li class="toc-level-{level}"><a href="#{ident}">{escape(text)}</a></li>'
        for level, ident, text in parser.entries
    )
    return html.replace(TOC_MARK, f'<ol class="toc-entries">\n{items}\n</ol>', 1)

