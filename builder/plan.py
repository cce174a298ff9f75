"""What one mechanism's report shows, and in which order: plain data for the templates.

The rules, the same for every mechanism (their chapters are data in
:mod:`builder.mechanisms`):

* A section appears in a mechanism's report when it carries that mechanism's
  tag; its **first** tag decides the chapter it is written in. Chapters follow
  the mechanism's order, sections the order of ``sections.yaml``. Under every
  other chapter it is tagged with, a "see also" line points to it.
* A recommendation's first own tag decides its chapter; without one, the
  chapter of its first linked section does. One that lands nowhere is left
  out of that mechanism's report.
* No chapter without a body: a chapter is printed only when a section is
  written in it, or a recommendation is where the mechanism prints them in
  their chapters (CEDAW, ICCPR). A chapter that would hold nothing but "see
  also" lines and case links is left out (its sections are printed in their
  own chapters); the UPR's recommendations chapter still groups a
  recommendation under its chapter's title (``recommendation_chapters``).
* A text given per mechanism (:class:`~builder.model.Variants`) is read as
  the mechanism's version (:meth:`Content.for_mechanism`) before anything
  else: the plan's ``content`` is that report's content.
* The key figures are the statistics without ``mechanisms``, and those that
  list the mechanism.
* The annex of cases holds every case that the report shows or refers to
  (tagged for the mechanism, listed by a shown section or recommendation,
  referred to with ``[#case]`` in shown text, or evidence of a followed-up
  previous recommendation), in ``cases.yaml`` order, numbered from 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from builder import inline
from builder.content import Content, texts
from builder.mechanisms import Chapter, Mechanism
from builder.model import Case, MechanismSettings, Recommendation, Section, Statistic


@dataclass
class ChapterPlan:
    chapter: Chapter
    sections: list[Section] = field(default_factory=list)
    see_also: list[Section] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)

    @property
    def questions(self) -> list:
        return [question for section in self.sections for question in section.questions]

    def printed(self, mechanism: Mechanism) -> bool:
        """Whether the chapter has a body of its own in the report: a section,
        or recommendations where the mechanism prints them in their chapter."""
        return bool(self.sections or (mechanism.recommendations_in_chapters
                                      and self.recommendations))


@dataclass
class Plan:
    mechanism: Mechanism
    settings: MechanismSettings
    content: Content
    chapters: list[ChapterPlan]
    # The chapters with recommendations, printed or not (the UPR's final chapter).
    recommendation_chapters: list[ChapterPlan]
    recommendations: list[Recommendation]
    statistics: list[Statistic]
    cases: list[Case]
    previous: list
    case_numbers: dict[str, int]
    recommendation_numbers: dict[str, int]
    section_chapters: dict[str, Chapter]


def _placement(mechanism: Mechanism, tags: list) -> Chapter | None:
    return mechanism.chapter_for(tags[0]) if tags else None


def _case_refs(entry) -> set[str]:
    """The ids of the cases that an entry's texts refer to with [#case-id]."""
    return {node.case for _, text in texts(entry) for node in inline.walk(inline.parse(text))
            if isinstance(node, inline.CaseRef)}


def plan_report(content: Content, mechanism: Mechanism) -> Plan:
    """Decide the chapters, recommendations and annexed cases of one report."""
    content = content.for_mechanism(mechanism.key)
    chapters = {chapter.key: ChapterPlan(chapter) for chapter in mechanism.chapters}
    section_chapters: dict[str, Chapter] = {}
    for section in content.sections:
        tags = section.tags(mechanism.key)
        home = _placement(mechanism, tags)
        if home is None:
            continue
        section_chapters[section.id] = home
        chapters[home.key].sections.append(section)
        for tag in tags[1:]:
            other = mechanism.chapter_for(tag)
            if other is not None and other != home and \
                    section not in chapters[other.key].see_also:
                chapters[other.key].see_also.append(section)

    recommendations: list[Recommendation] = []
    for recommendation in content.recommendations:
        home = _placement(mechanism, recommendation.tags(mechanism.key))
        if home is None:
            home = next((section_chapters[s] for s in recommendation.sections
                         if s in section_chapters), None)
        if home is not None:
            chapters[home.key].recommendations.append(recommendation)
    # Numbered in the order the reader meets them: chapter by chapter.
    for chapter in chapters.values():
        recommendations.extend(chapter.recommendations)

    previous = list(content.previous) if mechanism.follow_up else []
    shown = [c.sections + c.recommendations for c in chapters.values()]
    referenced: set[str] = set()
    for entries in shown:
        for entry in entries:
            referenced.update(entry.cases)
            referenced.update(_case_refs(entry))
    for entry in [content.report, *previous]:
        referenced.update(getattr(entry, "evidence", []))
        referenced.update(_case_refs(entry))
    # A case in the annex can refer to another case: that one is annexed too.
    refers = {case.id: _case_refs(case) for case in content.cases}
    waiting = [case.id for case in content.cases
               if case.tags(mechanism.key) or case.id in referenced]
    annexed = set(waiting)
    while waiting:
        for other in refers.get(waiting.pop(), ()):
            if other not in annexed:
                annexed.add(other)
                waiting.append(other)
    cases = [case for case in content.cases if case.id in annexed]
    for case in cases:
        for tag in case.tags(mechanism.key):
            chapter = mechanism.chapter_for(tag)
            if chapter is not None and case not in chapters[chapter.key].cases:
                chapters[chapter.key].cases.append(case)

    return Plan(
        mechanism=mechanism,
        settings=getattr(content.report.mechanisms, mechanism.key),
        content=content,
        chapters=[c for c in chapters.values() if c.printed(mechanism)],
        recommendation_chapters=[c for c in chapters.values() if c.recommendations],
        recommendations=recommendations,
        statistics=[stat for stat in content.statistics
                    if stat.mechanisms is None or mechanism.key in stat.mechanisms],
        cases=cases,
        previous=previous,
        case_numbers={case.id: number for number, case in enumerate(cases, start=1)},
        recommendation_numbers={r.id: n for n, r in enumerate(recommendations, start=1)},
        section_chapters=section_chapters,
    )
