"""The content model: what a report project's YAML files may contain.

Pydantic checks types, required and unknown fields for every file at once; its
errors are turned into located :class:`~builder.errors.Problem` lines by
:mod:`builder.content`. Narrative fields are :class:`Text`, which marks them as
inline syntax (:mod:`builder.inline`) for the reference checks and the
renderer. Dates are :class:`PartialDate`: a year, a month or a day, because
sources often give no more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from babel import Locale, UnknownLocaleError
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    field_validator,
)
from pydantic_core import PydanticCustomError, core_schema

from builder.mechanisms import MECHANISMS


class Text(str):
    """Narrative text in the inline syntax; rendered, never trusted as HTML."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler):
        return core_schema.no_info_after_validator_function(
            cls, core_schema.str_schema(strict=True, strip_whitespace=True, min_length=1)
        )


class Verbatim(Text):
    """Text in the inline syntax that is never translated: a title as published,
    a document symbol, a person's name."""


class Published(Text):
    """A publication's title, author or publisher: translated like any text
    (a title's translation is shown after the title as published, in brackets;
    a translator who copies it unchanged keeps it as published)."""


class Secret(Verbatim):
    """Confidential text: printed only in internal editions, never sent to
    translators, and searched for in every public PDF before it is kept."""


_DATE = re.compile(r"(?:(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?|--(\d{2})(?:-(\d{2}))?)")


@dataclass(frozen=True, order=True)
class PartialDate:
    """``2021``, ``2021-05``, ``2021-05-29``, or ``--05-29`` when the year is unknown."""

    year: int | None
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: Any) -> PartialDate:
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise PydanticCustomError(
                "date", "not a date: write 2021-05-29, 2021-05, 2021 or --05-29"
            )
        text = str(value).strip()
        match = _DATE.fullmatch(text)
        if not match:
            raise PydanticCustomError(
                "date",
                "not a date: '{value}' (write 2021-05-29, 2021-05, 2021 or --05-29)",
                {"value": text},
            )
        year, month, day, month_only, day_only = match.groups()
        if month_only:
            month, day = month_only, day_only
        if year is not None and int(year) == 0:
            raise PydanticCustomError("date", "impossible date '{value}': there is no year 0",
                                      {"value": text})
        result = cls(
            int(year) if year else None,
            int(month) if month else None,
            int(day) if day else None,
        )
        if result.month is not None and not 1 <= result.month <= 12:
            raise PydanticCustomError("date", "impossible date '{value}': no month {month}",
                                      {"value": text, "month": result.month})
        if result.day is not None:
            try:
                date(result.year or 2000, result.month or 1, result.day)  # 2000: a leap year
            except ValueError:
                raise PydanticCustomError(
                    "date", "impossible date '{value}': that day does not exist",
                    {"value": text},
                ) from None
        return result

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler):
        return core_schema.no_info_plain_validator_function(cls.parse)

    @property
    def precision(self) -> str:
        if self.year is None:
            return "month-day" if self.day else "month"
        return "day" if self.day else "month" if self.month else "year"

    def earliest(self) -> date | None:
        """The first day the date may mean (None without a year)."""
        if self.year is None:
            return None
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date | None:
        """The last day the date may mean (None without a year)."""
        if self.year is None:
            return None
        if self.day:
            return date(self.year, self.month, self.day)
        if self.month:
            nxt = date(self.year + (self.month == 12), self.month % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        return date(self.year, 12, 31)

    def __str__(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text


def _language_code(value: str) -> str:
    try:
        Locale.parse(value)
    except (ValueError, UnknownLocaleError):
        raise PydanticCustomError(
            "language", "unknown language code '{value}' (write en, ru, kk, ...)",
            {"value": value}) from None
    if "_" in value or "-" in value:
        raise PydanticCustomError(
            "language", "write the language alone ('{base}'), not '{value}'",
            {"value": value, "base": value.replace("-", "_").split("_")[0]})
    return value


def _check_id(value: Any) -> Any:
    if isinstance(value, str) and not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,63}", value):
        raise PydanticCustomError(
            "id",
            "not a valid id '{value}': use up to 64 lowercase letters, digits, '-', '.' or '_'",
            {"value": value},
        )
    return value


Id = Annotated[str, BeforeValidator(_check_id)]
Url = Annotated[str, Field(pattern=r"^https?://[^\s]+$")]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _tag_item(mechanism: str):
    """A validator of one tag value, so that an error points at the item itself."""
    mech = MECHANISMS[mechanism]
    allowed = mech.tag_values()

    def check(value):
        if value in allowed:
            return value
        if mech.tag_kind == "article":
            raise PydanticCustomError(
                "tag", "{mech} has no article {value} (articles {low} to {high})",
                {"mech": mech.key.upper(), "value": value, "low": min(allowed),
                 "high": max(allowed)},
            )
        raise PydanticCustomError(
            "tag", "unknown UPR theme '{value}'; themes: {themes}",
            {"value": value, "themes": ", ".join(c.key for c in mech.chapters)},
        )

    return AfterValidator(check)


def _no_repeats(values: list) -> list:
    repeated = [value for number, value in enumerate(values) if value in values[:number]]
    if repeated:
        what = "article {value}" if isinstance(repeated[0], int) else "'{value}'"
        raise PydanticCustomError("tag", what + " is listed twice", {"value": repeated[0]})
    return values


class Tagged(Model):
    """Which mechanisms' themes and articles an entry concerns; the first decides placement."""

    upr: Annotated[list[Annotated[str, _tag_item("upr")]], AfterValidator(_no_repeats)] = []
    cedaw: Annotated[list[Annotated[int, _tag_item("cedaw")]], AfterValidator(_no_repeats)] = []
    iccpr: Annotated[list[Annotated[int, _tag_item("iccpr")]], AfterValidator(_no_repeats)] = []

    def tags(self, mechanism: str) -> list:
        return getattr(self, mechanism)


# --- report.yaml -----------------------------------------------------------


class Contact(Model):
    name: Text | None = None
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    phone: str | None = None
    address: Text | None = None


class Organisation(Model):
    name: Text
    short_name: Text | None = None
    description: Text | None = None
    website: Url | None = None
    contact: Contact | None = None


class Period(Model):
    start: PartialDate
    end: PartialDate

    @field_validator("start", "end")
    @classmethod
    def _with_year(cls, value: PartialDate) -> PartialDate:
        if value.year is None:
            raise PydanticCustomError("date", "the period needs a year here")
        return value


class Document(Model):
    symbol: Verbatim
    title: Text
    year: int | None = None


class MechanismSettings(Model):
    """Per-mechanism metadata of the report; absent means the mechanism is built too.

    The last group overrides the mechanism's form rules (builder.mechanisms),
    which change and are partly unconfirmed.
    """

    build: bool = True
    session: Text | None = None
    review: Text | None = None
    introduction: list[Text] = []
    documents: list[Document] = []
    submission: Literal["individual", "joint"] | None = None  # default: by organisations
    word_limit: Annotated[int, Field(gt=0)] | None = None
    notes_count: bool | None = None
    page_limit: Annotated[int, Field(gt=0)] | None = None
    languages: list[Annotated[str, AfterValidator(_language_code)]] | None = None


class Mechanisms(Model):
    upr: MechanismSettings = MechanismSettings()
    cedaw: MechanismSettings = MechanismSettings()
    iccpr: MechanismSettings = MechanismSettings()


class Report(Model):
    title: Text
    subtitle: Text | None = None
    state: Text
    date: PartialDate
    period: Period
    # The language the content is written in, and the editions to build
    # (default: the source language and every language with a catalog).
    source_language: Annotated[str, AfterValidator(_language_code)] = "en"
    languages: list[Annotated[str, AfterValidator(_language_code)]] = []
    organisations: Annotated[list[Organisation], Field(min_length=1)]
    keywords: Annotated[list[Text], Field(min_length=1)]
    summary: Annotated[list[Text], Field(min_length=1)]
    methodology: list[Text] = []
    mechanisms: Mechanisms = Mechanisms()
    # Words that are public knowledge even where a confidential entry uses
    # them ("Almaty" in a confidential place): the leak check does not search
    # for them alone. Never printed, never sent to translators.
    public_words: list[str] = []

    @field_validator("date")
    @classmethod
    def _full_date(cls, value: PartialDate) -> PartialDate:
        if value.precision != "day":
            raise PydanticCustomError(
                "date", "the report date needs a day (2026-03-01): it is printed on the cover"
            )
        return value

    @property
    def joint(self) -> bool:
        return len(self.organisations) > 1


# --- the collections -----------------------------------------------------------


class Source(Model):
    id: Id
    confidential: bool = False  # true: internal editions only
    # A publication is cited as published, with its title's translation in
    # brackets; its author and publisher as the edition's readers know them.
    title: Published
    short_title: Published | None = None  # used by every citation after the first
    publisher: Published | None = None
    author: Published | None = None
    date: PartialDate | None = None
    url: Url | None = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")] | None = None
    note: Text | None = None


class CaseDetails(Model):
    """What only internal editions print of a case, in place of the public fields.

    The public fields stay the generalised version: "West Kazakhstan Region"
    for a village, a month for an exact date, "a young man" for a name.
    """

    place: Secret | None = None
    date: PartialDate | None = None
    date_end: PartialDate | None = None
    summary: Secret | None = None
    affected: Secret | None = None
    responsible: Secret | None = None
    response: Secret | None = None
    notes: Secret | None = None


class Case(Tagged):
    id: Id
    # true: the whole case is confidential; a mapping: these fields are.
    confidential: bool | CaseDetails = False
    title: Text
    date: PartialDate | None = None
    date_end: PartialDate | None = None
    place: Text | None = None
    summary: Text
    affected: Text
    responsible: Text | None = None
    response: Text | None = None
    people: list[Id] = []
    sources: Annotated[list[Id], Field(min_length=1)]

    @property
    def withheld(self) -> bool:
        """The whole case is confidential."""
        return self.confidential is True


class Person(Model):
    """A victim, witness or other person named in the evidence.

    Public editions print the pseudonym (or the name of someone who spoke
    publicly, such as an activist); the name and everything marked secret
    are for internal editions only.
    """

    id: Id
    pseudonym: Text
    description: Text | None = None
    role: Literal["victim", "witness", "activist", "lawyer", "relative", "other"]
    spoke_publicly: bool = False
    name: Secret
    # The name as written in other languages, by language code.
    names: dict[Annotated[str, AfterValidator(_language_code)], Secret] = {}
    # Other spellings and parts of the name that must not appear in public.
    aliases: list[Secret] = []
    # Parts of the name that are also ordinary words ("Bota" is a camel calf in
    # Kazakh): searched only beside another part of the name, not alone.
    common_words: list[Secret] = []
    born: PartialDate | None = None
    contact: Secret | None = None
    notes: Secret | None = None

    def name_in(self, language: str) -> str:
        return self.names.get(language, self.name)



class Statistic(Model):
    id: Id
    confidential: bool = False  # true: internal editions only
    label: Text
    value: int | float
    kind: Literal["number", "percent"] = "number"
    approximate: bool = False
    date: PartialDate | None = None
    source: Id
    note: Text | None = None

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float) -> float:
        if value != value or value in (float("inf"), float("-inf")):
            raise PydanticCustomError("number", "not a finite number")
        if abs(value) >= 1e15:  # beyond what a report prints, and what formats exactly
            raise PydanticCustomError("number", "too large a number (at most 15 digits)")
        return value


class Section(Tagged):
    id: Id
    confidential: bool = False  # true: internal editions only
    title: Text
    paragraphs: Annotated[list[Text], Field(min_length=1)]
    questions: list[Text] = []
    cases: list[Id] = []


class Recommendation(Tagged):
    id: Id
    confidential: bool = False  # true: internal editions only
    text: Text
    addressee: Text | None = None
    sections: list[Id] = []
    cases: list[Id] = []
    follows_up: list[Id] = []


class PreviousRecommendation(Model):
    id: Id
    number: Verbatim
    document: Verbatim
    cycle: int | None = None
    states: Annotated[list[Text], Field(min_length=1)]
    text: Text
    response: Literal["supported", "noted"]
    response_note: Text | None = None
    assessment: Literal["implemented", "partially-implemented", "not-implemented", "worsened"]
    assessment_text: Text
    evidence: list[Id] = []


# The collections of a project: file stem -> entry model. A file holds a list.
COLLECTIONS: dict[str, type[Model]] = {
    "people": Person,
    "sources": Source,
    "cases": Case,
    "statistics": Statistic,
    "sections": Section,
    "recommendations": Recommendation,
    "previous-recommendations": PreviousRecommendation,
}
