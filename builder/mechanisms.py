"""What differs between the UN mechanisms, as data: one declaration per mechanism.

Each :class:`Mechanism` says which content tag it reads (``upr``, ``cedaw`` or
``iccpr`` on sections, cases and recommendations), the chapters of its body in
the order the mechanism expects them, which article numbers or theme keys file
an entry into each chapter, and which template renders it. The planning stage
(:mod:`builder.plan`) and the templates work from this data alone; nothing
else in the code asks which mechanism it is building.

Titles are marked with :func:`N_` so that ``i18n extract`` finds them; they are
translated when rendered. Facts and their status come from
``reference/mechanisms.md``; values marked unconfirmed there are defaults a
report project may override in its metadata, never constants of the code.
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message


def pN_(context: str, message: str) -> tuple[str, str]:
    """Mark a string and its context (msgctxt) for extraction; the pair is
    looked up with ``pgettext`` when rendered."""
    return context, message


@dataclass(frozen=True)
class Chapter:
    """One group of the mechanism's body: a theme, an article or an article group."""

    key: str
    title: str
    # The tag values (article numbers or theme keys) filed under this chapter.
    tags: tuple[int | str, ...]
    # The articles the heading cites, when they differ from ``tags``: the
    # Committee's "Non-discrimination (arts. 2, 3, 20 and 26)" cites art. 2,
    # which files under the first group.
    cites: tuple[int, ...] = ()

    @property
    def articles(self) -> tuple[int, ...]:
        """The article numbers a heading cites (none for a UPR theme)."""
        if self.cites:
            return self.cites
        return tuple(tag for tag in self.tags if isinstance(tag, int))


@dataclass(frozen=True)
class Rules:
    """A mechanism's form rules for a submission, with what is known of each.

    These are defaults from ``reference/mechanisms.md``; a report project
    overrides any of them under ``mechanisms.<key>`` in ``report.yaml``
    (:mod:`builder.check` says which applied and where it came from).
    """

    # Words allowed for an individual submission, and for a joint one (None: no limit).
    word_limit: int | None = None
    word_limit_joint: int | None = None
    # Do footnotes count toward the word limit?
    notes_count: bool = True
    # Pages allowed for the body (from the chapter after the summary to the
    # annexes; the cover, contents and executive summary do not count).
    page_limit: int | None = None
    # Languages in which the mechanism accepts a submission.
    languages: tuple[str, ...] = ()
    # Parts a submission must have: "keywords", "contact", "numbered-paragraphs".
    required: tuple[str, ...] = ()
    # What is known of these values, shown with the check.
    basis: str = ""


UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


@dataclass(frozen=True)
class Mechanism:
    key: str
    name: str  # full name, e.g. "Universal Periodic Review"
    short_name: str  # e.g. "UPR"
    addressee: str  # to whom the report is submitted
    template: str
    chapters: tuple[Chapter, ...]
    # Kind of tag values: "article" (whole numbers) or "theme" (keys).
    tag_kind: str
    # Does the body include suggested questions for the committee?
    questions: bool
    # Does the report follow up the previous cycle's recommendations (UPR)?
    follow_up: bool = False
    # Are recommendations printed in their chapters (CEDAW, ICCPR), or together
    # in a chapter of their own at the end (UPR)?
    recommendations_in_chapters: bool = True
    # The treaty's name (with its context) as the list of its articles names it,
    # "CEDAW, arts. 5 and 7": its own catalog entry, so that each language
    # writes the form its phrase needs (Kazakh "Конвенцияның 5 және 7-баптары").
    treaty: tuple[str, str] | None = None
    rules: Rules = Rules()

    def tag_values(self) -> set[int | str]:
        return {tag for chapter in self.chapters for tag in chapter.tags}

    def chapter_for(self, tag: int | str) -> Chapter | None:
        """The first chapter that files ``tag``; order decides shared articles."""
        for chapter in self.chapters:
            if tag in chapter.tags:
                return chapter
        return None


UPR = Mechanism(
    key="upr",
    name=N_("Universal Periodic Review"),
    short_name=N_("UPR"),
    addressee=N_("Human Rights Council, Working Group on the Universal Periodic Review"),
    template="upr/report.html",
    tag_kind="theme",
    questions=False,
    follow_up=True,
    recommendations_in_chapters=False,
    rules=Rules(
        word_limit=2815,
        word_limit_joint=5630,
        notes_count=True,
        languages=UN_LANGUAGES,
        required=("keywords", "contact", "numbered-paragraphs"),
        basis="2,815 words (individual) or 5,630 (joint), as widely cited for the 2nd-4th "
              "cycles; unconfirmed whether footnotes count, so they count here",
    ),
    # Mirrors the headings of OHCHR's summary of stakeholders' information,
    # so that a submission is easy to summarise.
    chapters=(
        Chapter(
            "international-obligations",
            N_("Scope of international obligations"),
            ("international-obligations",),
        ),
        Chapter(
            "national-framework", N_("National human rights framework"), ("national-framework",)
        ),
        Chapter("equality", N_("Equality and non-discrimination"), ("equality",)),
        Chapter(
            "life-liberty-security",
            N_("Right to life, liberty and security of person"),
            ("life-liberty-security",),
        ),
        Chapter(
            "justice",
            N_("Administration of justice, including impunity, and the rule of law"),
            ("justice",),
        ),
        Chapter(
            "fundamental-freedoms",
            N_("Fundamental freedoms and the right to participate in public and political life"),
            ("fundamental-freedoms",),
        ),
        Chapter("privacy-family", N_("Right to privacy and family life"), ("privacy-family",)),
        Chapter(
            "work", N_("Right to work and to just and favourable conditions of work"), ("work",)
        ),
        Chapter("health", N_("Right to health"), ("health",)),
        Chapter("education", N_("Right to education"), ("education",)),
        Chapter("women", N_("Women"), ("women",)),
        Chapter("children", N_("Children"), ("children",)),
        Chapter(
            "migrants", N_("Migrants, refugees and asylum seekers"), ("migrants",)
        ),
    ),
)

_CEDAW_ARTICLES = (
    N_("Definition of discrimination against women"),
    N_("Obligations to eliminate discrimination"),
    N_("Development and advancement of women"),
    N_("Temporary special measures"),
    N_("Sex roles and stereotyping"),
    N_("Trafficking and exploitation of prostitution"),
    N_("Political and public life"),
    N_("International representation and participation"),
    N_("Nationality"),
    N_("Education"),
    N_("Employment"),
    N_("Health"),
    N_("Economic and social life"),
    N_("Rural women"),
    N_("Equality before the law"),
    N_("Marriage and family life"),
)

CEDAW = Mechanism(
    key="cedaw",
    name=N_("Committee on the Elimination of Discrimination against Women"),
    short_name=N_("CEDAW"),
    addressee=N_("Committee on the Elimination of Discrimination against Women"),
    template="cedaw/report.html",
    tag_kind="article",
    # Translators: the treaty's name in "CEDAW, arts. 5 and 7" (a case's rights
    # concerned): write it as your translation of that phrase needs it, e.g. in
    # the genitive ("Конвенцияның").
    treaty=pN_("the treaty whose articles are listed", "CEDAW"),
    questions=True,
    rules=Rules(
        page_limit=10,
        languages=("en", "fr", "es"),
        required=("contact",),
        basis="10 pages plus the executive summary, last confirmed for 2011-2012; the current "
              "limit and languages are unconfirmed",
    ),
    chapters=tuple(
        Chapter(f"art-{number}", title, (number,))
        for number, title in enumerate(_CEDAW_ARTICLES, start=1)
    ),
)

ICCPR = Mechanism(
    key="iccpr",
    name=N_("Human Rights Committee"),
    short_name=N_("ICCPR"),
    addressee=N_("Human Rights Committee"),
    template="iccpr/report.html",
    tag_kind="article",
    # Translators: the treaty's name in "ICCPR, arts. 7 and 26" (a case's rights
    # concerned): write it as your translation of that phrase needs it, e.g. in
    # the genitive ("Пактінің").
    treaty=pN_("the treaty whose articles are listed", "ICCPR"),
    questions=True,
    rules=Rules(
        word_limit=10000,
        notes_count=True,
        languages=("en", "fr", "es"),
        required=("contact",),
        basis="10,000 words, in English, French or Spanish; unconfirmed whether footnotes "
              "count, so they count here",
    ),
    # The Committee's own grouping of its questions, as in its lists of issues;
    # an article listed in two groups (art. 2) files into the first, so order
    # matters here. Article 1 is the right of self-determination: it has its
    # own group, as in the lists of issues that raise it, never "Constitutional
    # and legal framework (art. 2)".
    chapters=(
        Chapter("self-determination", N_("Right to self-determination"), (1,)),
        Chapter("framework", N_("Constitutional and legal framework"), (2,)),
        Chapter(
            "non-discrimination", N_("Non-discrimination"), (3, 20, 26), cites=(2, 3, 20, 26)
        ),
        Chapter("emergencies", N_("States of emergency"), (4, 5)),
        Chapter("life", N_("Right to life"), (6,)),
        Chapter("torture", N_("Prohibition of torture and ill-treatment"), (7, 10)),
        Chapter("slavery", N_("Elimination of slavery and servitude"), (8,)),
        Chapter("liberty", N_("Liberty and security of person"), (9, 11)),
        Chapter("movement", N_("Freedom of movement and treatment of aliens"), (12, 13)),
        Chapter("fair-trial", N_("Access to justice and fair trial"), (14, 15, 16)),
        Chapter("privacy", N_("Right to privacy"), (17,)),
        Chapter("religion", N_("Freedom of conscience and religious belief"), (18,)),
        Chapter("expression", N_("Freedom of expression"), (19,)),
        Chapter("assembly", N_("Freedom of peaceful assembly"), (21,)),
        Chapter("association", N_("Freedom of association"), (22,)),
        Chapter("family", N_("Protection of the family and children"), (23, 24)),
        Chapter("participation", N_("Participation in public affairs"), (25,)),
        Chapter("minorities", N_("Rights of minorities"), (27,)),
    ),
)

MECHANISMS: dict[str, Mechanism] = {m.key: m for m in (UPR, CEDAW, ICCPR)}
