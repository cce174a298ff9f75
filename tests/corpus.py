"""Seeded random report projects: citations in every citable field, at any density.

``write_project(folder, seed)`` writes a complete, valid project (content and
nothing else) whose text is random words of English, Russian or Kazakh. Every
field that takes inline markup gets citations, figures and case references,
often several in a row; notes are long or short; follow-up rows are long enough
to split across pages. The same seed always gives the same project, so a
failure is reproduced by its seed alone::

    python -m corpus 1234 /tmp/corpus-1234   # from tests/, then build it

``Shape`` sets the size: the tests use small shapes, the scale benchmark a
report of 2,000 cases, 200 sections and 300 recommendations.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml


def _words(text: str) -> list[str]:
    return text.split()


WORDS = {
    "en": _words("police officers detained activists without charge the court refused to hear "
           "complaint families community support group violence threats reported journalists "
           "authorities investigation prosecutor discrimination employment housing health care "
           "education women defenders organisation registered inspection fines summons protest "
           "peaceful assembly banned event venue cancelled online harassment campaign hate "
           "speech television lawmakers propaganda bill parliament adopted amendments access "
           "information minors censorship publishers withdrew books shelters closed "
           "funding"),
    "ru": _words("сотрудники полиции задержали активистов без обвинения суд отказался "
           "рассматривать "
           "жалобу семьи сообщество группа поддержки насилие угрозы журналисты власти "
           "расследование прокуратура дискриминация занятость жильё здравоохранение "
           "образование женщины правозащитницы организация проверка штрафы вызов протест "
           "мирное собрание запрещено мероприятие площадка отменено травля кампания "
           "ненависть телевидение депутаты пропаганда законопроект парламент поправки доступ "
           "информация несовершеннолетние цензура издательства изъяли книги приюты закрыты "
           "финансирование"),
    "kk": _words("полиция қызметкерлері белсенділерді айыпсыз ұстады сот шағымды "
           "қараудан бас тартты "
           "отбасылар қауымдастық қолдау тобы зорлық қорқыту журналистер билік тергеу "
           "прокуратура кемсітушілік жұмыс тұрғын үй денсаулық сақтау білім әйелдер "
           "құқық қорғаушылар ұйым тексеру айыппұл шақыру наразылық бейбіт жиын тыйым "
           "іс шара алаң онлайн қудалау науқан өшпенділік теледидар депутаттар насихат "
           "заң жобасы парламент түзетулер ақпарат кәмелетке толмағандар цензура "
           "баспалар кітаптар баспаналар жабылды қаржыландыру"),
}

UPR_THEMES = ["equality", "national-framework", "life-liberty-security", "justice",
              "fundamental-freedoms", "privacy-family", "work", "health", "education",
              "women", "children", "international-obligations"]
ICCPR_ARTICLES = [2, 3, 6, 7, 9, 14, 17, 19, 21, 22, 24, 26]
CEDAW_ARTICLES = [1, 2, 5, 7, 10, 11, 12, 16]

# Names made of syllables no vocabulary above contains, so that the leak check
# of public editions never meets them by chance.
_SYLLABLES = ["zor", "vek", "quil", "dran", "obu", "flet", "yrx", "mup", "trev", "gax"]


@dataclass(frozen=True)
class Shape:
    sections: int = 6
    paragraphs: tuple[int, int] = (1, 4)      # per section, inclusive range
    cases: int = 6
    recommendations: int = 8
    previous: int = 6
    sources: int = 8
    statistics: int = 4
    people: int = 3
    # Citations per sentence: each sentence gets 0..density notes in a row.
    density: int = 5
    # Sentences in the assessment of a previous recommendation (a table row).
    assessment: tuple[int, int] = (2, 14)


FAST = Shape()
DENSE = Shape(sections=10, paragraphs=(3, 8), previous=12, density=8)
# Few entries, but follow-up rows longer than a page.
ROWS = Shape(sections=1, paragraphs=(1, 1), cases=2, recommendations=2, previous=3, sources=6,
             statistics=2, people=1, density=6, assessment=(25, 30))
SCALE = Shape(sections=200, paragraphs=(2, 4), cases=2000, recommendations=300,
              previous=60, sources=150, statistics=40, people=40, density=2)


class _Writer:
    def __init__(self, seed: int, shape: Shape, language: str) -> None:
        self.random = random.Random(seed)
        self.shape = shape
        self.language = language
        self.sources = [f"src-{n}" for n in range(shape.sources)]
        self.statistics = [f"stat-{n}" for n in range(shape.statistics)]
        self.cases = [f"case-{n}" for n in range(shape.cases)]
        self.people = [f"person-{n}" for n in range(shape.people)]
        self.previous = [f"prev-{n}" for n in range(shape.previous)]
        self.sections = [f"section-{n}" for n in range(shape.sections)]

    def words(self, low: int, high: int) -> str:
        vocabulary = WORDS[self.language]
        return " ".join(self.random.choice(vocabulary)
                        for _ in range(self.random.randint(low, high)))

    def notes(self, most: int | None = None) -> str:
        """Zero or more markers in a row: citations (some with locators), figures,
        case references."""
        most = self.shape.density if most is None else most
        marks = []
        for _ in range(self.random.randint(0, most)):
            kind = self.random.random()
            if kind < 0.7:
                source = self.random.choice(self.sources)
                if self.random.random() < 0.3:
                    marks.append(f"[@{source}, p. {self.random.randint(1, 400)}]")
                else:
                    marks.append(f"[@{source}]")
            elif kind < 0.85 and self.statistics:
                marks.append(f"[={self.random.choice(self.statistics)}]")
            elif self.cases:
                marks.append(f"[#{self.random.choice(self.cases)}]")
        return " ".join(marks)

    def sentence(self, low: int = 6, high: int = 30) -> str:
        text = self.words(low, high)
        text = text[0].upper() + text[1:]
        if self.random.random() < 0.1 and self.people:
            text += f" [%{self.random.choice(self.people)}]"
        if self.random.random() < 0.08:
            text += " *" + self.words(1, 4) + "*"
        if self.random.random() < 0.05:
            text += " [TBC: " + self.words(2, 6) + "]"
        notes = self.notes()
        return text + (" " + notes if notes else "") + "."

    def text(self, sentences: tuple[int, int]) -> str:
        return " ".join(self.sentence() for _ in range(self.random.randint(*sentences)))

    def tags(self, item: dict) -> dict:
        pick = self.random
        item["upr"] = pick.sample(UPR_THEMES, pick.randint(1, 2))
        item["iccpr"] = pick.sample(ICCPR_ARTICLES, pick.randint(1, 2))
        if pick.random() < 0.6:
            item["cedaw"] = pick.sample(CEDAW_ARTICLES, pick.randint(1, 2))
        return item

    def date(self) -> str:
        year = self.random.randint(2019, 2025)
        return f"{year}-{self.random.randint(1, 12):02d}"

    def report(self) -> dict:
        other = [code for code in ("en", "ru", "kk") if code != self.language]
        return {
            "title": self.words(4, 10).capitalize(),
            "state": "Kazakhstan",
            "date": "2026-03-01",
            "period": {"start": "2019-01", "end": "2025-12"},
            "source_language": self.language,
            "languages": [self.language, *other],
            "organisations": [{
                "name": "Generated Test Network",
                "short_name": "GTN",
                "description": self.text((1, 2)),
                "website": "https://gtn.example.org",
                "contact": {"name": "Coordinator", "email": "info@gtn.example.org"},
            }],
            "keywords": [self.words(1, 3) for _ in range(3)],
            "summary": [self.text((2, 4)) for _ in range(self.random.randint(1, 3))],
            "methodology": [self.text((2, 4))],
            "mechanisms": {
                "upr": {"session": "[TBC: session]"},
                "cedaw": {"introduction": [self.text((1, 3))]},
                "iccpr": {"introduction": [self.text((1, 3))]},
            },
        }

    def source_list(self) -> list:
        items = []
        for n, source in enumerate(self.sources):
            item = {"id": source, "title": self.words(3, 14).capitalize(),
                    "publisher": self.words(1, 3).capitalize(), "date": self.date()}
            if n % 3:
                item["short_title"] = self.words(1, 3).capitalize()
            if n % 2:
                item["url"] = f"https://example.org/{n}/" + "-".join(
                    self.words(2, 8).split())[:80]
            if self.random.random() < 0.3:  # a long note
                item["note"] = self.words(10, 60).capitalize() + "."
            items.append(item)
        return items

    def statistic_list(self) -> list:
        return [{"id": stat, "label": self.words(3, 10).capitalize(),
                 "value": self.random.choice([self.random.randint(1, 99999),
                                              round(self.random.random() * 100, 1)]),
                 "kind": self.random.choice(["number", "percent"]),
                 "date": self.random.randint(2019, 2025),
                 "source": self.random.choice(self.sources),
                 **({"note": self.words(4, 25).capitalize()}
                    if self.random.random() < 0.4 else {})}
                for stat in self.statistics]

    def people_list(self) -> list:
        items = []
        for n, person in enumerate(self.people):
            first = "".join(self.random.sample(_SYLLABLES, 2)).capitalize()
            last = "".join(self.random.sample(_SYLLABLES, 3)).capitalize()
            items.append({"id": person, "pseudonym": f"P{n}.", "role": "victim",
                          "name": f"{first} {last}"})
        return items

    def case_list(self) -> list:
        items = []
        for case in self.cases:
            item = {"id": case, "title": self.words(3, 10).capitalize(), "date": self.date(),
                    "place": self.words(1, 3).capitalize(),
                    "summary": self.text((1, 5)), "affected": self.words(2, 8).capitalize(),
                    "responsible": self.words(2, 6).capitalize(),
                    "response": self.text((1, 2)),
                    "sources": self.random.sample(self.sources, self.random.randint(1, 3))}
            if self.people and self.random.random() < 0.2:
                item["people"] = [self.random.choice(self.people)]
                item["summary"] += f" [%{item['people'][0]}]."
            items.append(self.tags(item))
        return items

    def section_list(self) -> list:
        items = []
        for section in self.sections:
            item = {"id": section, "title": self.words(3, 9).capitalize(),
                    "paragraphs": [self.text((2, 9)) for _ in
                                   range(self.random.randint(*self.shape.paragraphs))]}
            if self.random.random() < 0.7:
                item["questions"] = [self.text((1, 2)) for _ in range(self.random.randint(1, 3))]
            if self.cases:
                item["cases"] = self.random.sample(self.cases, min(len(self.cases),
                                                                  self.random.randint(0, 3)))
            items.append(self.tags(item))
        return items

    def recommendation_list(self) -> list:
        items = []
        for n in range(self.shape.recommendations):
            item = {"id": f"rec-{n}", "text": self.text((1, 3)),
                    "addressee": self.words(1, 4).capitalize(),
                    "sections": self.random.sample(self.sections,
                                                   min(len(self.sections), 1)),
                    "follows_up": self.random.sample(self.previous,
                                                     min(len(self.previous),
                                                         self.random.randint(0, 2)))}
            items.append(self.tags(item))
        return items

    def previous_list(self) -> list:
        items = []
        for n, previous in enumerate(self.previous):
            items.append({
                "id": previous, "number": f"{120 + n // 20}.{n % 20 + 1}",
                "document": "A/HRC/43/10", "cycle": self.random.randint(1, 4),
                "states": [self.words(1, 2).capitalize()
                           for _ in range(self.random.randint(1, 6))],
                # Long texts and assessments: rows that split across pages.
                "text": self.text((1, 6)),
                "response": self.random.choice(["supported", "noted"]),
                "response_note": self.text((1, 3)),
                "assessment": self.random.choice(["implemented", "partially-implemented",
                                                  "not-implemented", "worsened"]),
                "assessment_text": self.text(self.shape.assessment),
            })
        return items


def write_project(folder: Path, seed: int, shape: Shape = FAST,
                  language: str | None = None) -> Path:
    """Write a generated project into ``folder`` (created) and return it."""
    pick = random.Random(seed)
    language = language or pick.choice(["en", "ru", "kk"])
    writer = _Writer(seed, shape, language)
    content = Path(folder) / "content"
    content.mkdir(parents=True, exist_ok=True)
    files = {
        "report": writer.report(),
        "sources": writer.source_list(),
        "statistics": writer.statistic_list(),
        "people": writer.people_list(),
        "cases": writer.case_list(),
        "sections": writer.section_list(),
        "recommendations": writer.recommendation_list(),
        "previous-recommendations": writer.previous_list(),
    }
    for stem, data in files.items():
        (content / f"{stem}.yaml").write_text(
            f"# Generated by tests/corpus.py, seed {seed}.\n"
            + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100),
            encoding="utf-8")
    return Path(folder)


if __name__ == "__main__":
    seed, target = int(sys.argv[1]), Path(sys.argv[2])
    shape = {"fast": FAST, "dense": DENSE, "rows": ROWS,
             "scale": SCALE}[sys.argv[3] if len(sys.argv) > 3 else "fast"]
    print(write_project(target, seed, shape))
