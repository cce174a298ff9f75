"""The content model: what a report project's YAML files may contain.

Pydantic checks types, required and unknown fields for every file at once; its
errors are turned into located :class:`~builder.errors.Problem` lines by
:mod:`builder.content`. Narrative fields are :class:`Text`, which marks them as
inline syntax (:mod:`builder.inline`) for the reference checks and the
renderer. Dates are :class:`PartialDate`: a year, a month or a day, because
sources often give no more.

The same model gives each file's JSON Schema (:mod:`builder.schema`), for
editors: the docstrings of the models and the descriptions of their fields are
the hover text, and the custom types describe themselves
(``__get_pydantic_json_schema__``, ``WithJsonSchema``) as nearly as a schema can.
"""

from __future__ import annotations

import difflib
import re
import string
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from babel import Locale, UnknownLocaleError
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    Tag,
    TypeAdapter,
    WithJsonSchema,
    field_validator,
    model_validator,
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

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler):
        # Not empty once stripped: at least one character that is not a space.
        # (patternErrorMessage: the YAML language server's message for a pattern.)
        return {**handler(schema), "pattern": r"\S", "patternErrorMessage": "must not be empty"}


class Verbatim(Text):
    """Text in the inline syntax that is never translated: a title as published,
    a document symbol, a person's name."""


class Published(Text):
    """A publication's title, author or publisher: translated like any text
    (a title's translation is shown after the title as published, in brackets;
    a translator who copies it unchanged keeps it as published)."""


class Official(Verbatim):
    """A publication's own title in another language, as its publisher issued it
    (the UN's Russian title of its document): printed as written in an edition
    in that language, never sent to translators."""


class Secret(Verbatim):
    """Confidential text: printed only in internal editions, never sent to
    translators, and searched for in every public PDF before it is kept."""


_DATE = re.compile(r"(?:(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?|--(\d{2})(?:-(\d{2}))?)")
# The same forms for a JSON Schema, with the months and days that exist (the
# 30th of February is left to validate).
_MONTH, _DAY = r"(?:0[1-9]|1[0-2])", r"(?:0[1-9]|[12]\d|3[01])"
DATE_PATTERN = rf"^\s*(?:(?!0000)\d{{4}}(?:-{_MONTH}(?:-{_DAY})?)?|--{_MONTH}(?:-{_DAY})?)\s*$"


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

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler):
        # A year alone may be written without quotes: YAML reads it as a number.
        return {
            "anyOf": [{"type": "string", "pattern": DATE_PATTERN,
                       "patternErrorMessage": "not a date: write 2021-05-29, 2021-05, 2021 or "
                                              "--05-29"},
                      {"type": "integer", "minimum": 1000, "maximum": 9999}],
            "description": "A date as precise as the source gives it: 2021-05-29, 2021-05, "
                           "2021, or --05-29 (in quotes) when the year is unknown.",
        }

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


_ID_RULE = "up to 64 lowercase letters, digits, '-', '.' or '_'"


def _check_id(value: Any) -> Any:
    if isinstance(value, str) and not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,63}", value):
        raise PydanticCustomError("id", f"not a valid id '{{value}}': use {_ID_RULE}",
                                  {"value": value})
    return value


Id = Annotated[str, BeforeValidator(_check_id),
               WithJsonSchema({"type": "string", "pattern": r"^[a-z0-9][a-z0-9._-]{0,63}$",
                               "patternErrorMessage": f"not a valid id: use {_ID_RULE}",
                               "description": f"An id: {_ID_RULE}."})]
Url = Annotated[str, Field(pattern=r"^https?://[^\s]+$", json_schema_extra={
    "patternErrorMessage": "not a web address: write it in full, with https://"})]
Language = Annotated[str, AfterValidator(_language_code),
                     WithJsonSchema({"type": "string", "pattern": "^[a-z]{2,3}$",
                                     "patternErrorMessage": "not a language code such as en, "
                                                            "ru or kk",
                                     "description": "A language code: en, ru, kk, ..."})]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _tag(mechanism: str) -> Any:
    """One tag value, validated on its own so that an error points at the item."""
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

    if mech.tag_kind == "article":
        return Annotated[int, AfterValidator(check),
                         WithJsonSchema({"type": "integer", "enum": sorted(allowed)})]
    return Annotated[str, AfterValidator(check),
                     WithJsonSchema({"type": "string", "enum": [c.key for c in mech.chapters]})]


def _no_repeats(values: list) -> list:
    repeated = [value for number, value in enumerate(values) if value in values[:number]]
    if repeated:
        what = "article {value}" if isinstance(repeated[0], int) else "'{value}'"
        raise PydanticCustomError("tag", what + " is listed twice", {"value": repeated[0]})
    return values


class Tagged(Model):
    """Which mechanisms' themes and articles an entry concerns; the first decides placement."""

    upr: Annotated[list[_tag("upr")], AfterValidator(_no_repeats)] = Field(
        [], json_schema_extra={"uniqueItems": True},
        description="UPR themes; the first decides the chapter of the UPR report.")
    cedaw: Annotated[list[_tag("cedaw")], AfterValidator(_no_repeats)] = Field(
        [], json_schema_extra={"uniqueItems": True},
        description="Articles of the Convention (1-16), where women are concerned; the first "
                    "decides the chapter of the CEDAW report.")
    iccpr: Annotated[list[_tag("iccpr")], AfterValidator(_no_repeats)] = Field(
        [], json_schema_extra={"uniqueItems": True},
        description="Articles of the Covenant; the first decides the chapter of the ICCPR "
                    "report.")

    def tags(self, mechanism: str) -> list:
        return getattr(self, mechanism)


# --- texts that differ by mechanism ------------------------------------------------


def _mechanism_key(value: Any) -> Any:
    if isinstance(value, str) and value not in MECHANISMS:
        close = difflib.get_close_matches(value, list(MECHANISMS), n=1)
        raise PydanticCustomError(
            "mechanism", "unknown mechanism '{value}'{hint}; mechanisms: {known}",
            {"value": value, "hint": f" (did you mean '{close[0]}'?)" if close else "",
             "known": ", ".join(MECHANISMS)})
    return value


MechanismKey = Annotated[str, AfterValidator(_mechanism_key),
                         WithJsonSchema({"type": "string", "enum": list(MECHANISMS)})]
# A list of mechanisms an entry is limited to (None: every mechanism).
MechanismKeys = Annotated[list[MechanismKey], AfterValidator(_no_repeats),
                          Field(json_schema_extra={"uniqueItems": True})] | None
VARIANT_DEFAULT = "default"


class Variants(Model):
    """A text that differs by mechanism: one version per mechanism key (upr, cedaw,
    iccpr), and a default for the reports without their own. A report prints its
    own version, else the default, else nothing (a paragraph is then left out of
    that report). mechanisms limits the text to the reports listed."""

    model_config = ConfigDict(**Model.model_config, json_schema_extra={
        "anyOf": [{"required": [key]} for key in (VARIANT_DEFAULT, *MECHANISMS)]})

    default: Text | None = Field(
        None, description="The text of every report that has no version of its own.")
    upr: Text | None = Field(None, description="The text of the UPR submission.")
    cedaw: Text | None = Field(None, description="The text of the CEDAW alternative report.")
    iccpr: Text | None = Field(
        None, description="The text of the report to the Human Rights Committee (ICCPR).")
    mechanisms: MechanismKeys = Field(
        None, description="Print the text only in these mechanisms' reports (upr, cedaw, iccpr); "
                    "by default, in every report that has a version of it.")

    @model_validator(mode="after")
    def _some_text(self) -> Variants:
        given = [key for key in (VARIANT_DEFAULT, *MECHANISMS) if getattr(self, key) is not None]
        if not given:
            raise PydanticCustomError(
                "variants", "give the text: default: for every report, or upr:, cedaw:, "
                            "iccpr: for each report's own version")
        if self.mechanisms is not None:
            unused = [key for key in MECHANISMS
                      if getattr(self, key) is not None and key not in self.mechanisms]
            if unused:
                raise PydanticCustomError(
                    "variants", "{key}: a version for a report that 'mechanisms' leaves out "
                                "(mechanisms: {listed})",
                    {"key": unused[0], "listed": ", ".join(self.mechanisms)})
        return self

    def text_for(self, mechanism: str) -> Text | None:
        """The text a mechanism's report prints: its own, else the default; None
        where the report leaves it out."""
        if self.mechanisms is not None and mechanism not in self.mechanisms:
            return None
        own = getattr(self, mechanism)
        return own if own is not None else self.default

    @property
    def complete(self) -> bool:
        """Every mechanism's report has a text."""
        return all(self.text_for(key) is not None for key in MECHANISMS)


def _text_or_variants(value: Any) -> str:
    return "Variants" if isinstance(value, (dict, Variants)) else "Text"


def _complete(value: Any) -> Any:
    if isinstance(value, Variants) and not value.complete:
        raise PydanticCustomError(
            "variants", "every report needs this text: give default:, or a version for each "
                        "of upr, cedaw and iccpr, and no mechanisms: list")
    return value


# A narrative text that may differ by mechanism: plain text, or a mapping of
# versions ({default: ..., cedaw: ...}). In a list (paragraphs), a version a
# mechanism lacks leaves the item out there; a required field needs a text for
# every mechanism (Complete).
Narrative = Annotated[Annotated[Text, Tag("Text")] | Annotated[Variants, Tag("Variants")],
                      Discriminator(_text_or_variants)]


def _complete_schema() -> dict:
    """Complete's JSON Schema: a text, or versions with a default or one for
    every mechanism (a schema may say less than validate: not the mechanisms list)."""
    variants = Variants.model_json_schema()
    variants.pop("title", None)
    return {"oneOf": [TypeAdapter(Text).json_schema(), {"allOf": [variants, {"anyOf": [
        {"required": [VARIANT_DEFAULT]}, {"required": list(MECHANISMS)}]}]}]}


Complete = Annotated[Narrative, AfterValidator(_complete), WithJsonSchema(_complete_schema())]


# --- report.yaml -----------------------------------------------------------


class Contact(Model):
    """How to reach a submitting organisation; printed on the first page."""

    name: Text | None = Field(None, description="A person or a role (Programme coordinator).")
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", json_schema_extra={
        "patternErrorMessage": "not an email address"})] | None = None
    phone: str | None = None
    address: Text | None = None


class Organisation(Model):
    """A submitting organisation: one for an individual submission, several for a joint one."""

    name: Text
    short_name: Text | None = Field(
        None, description="The acronym, used where the organisations are listed.")
    description: Narrative | None = Field(
        None, description="Who the organisation is and what it does, in two or three sentences.")
    website: Url | None = None
    contact: Contact | None = None


class Period(Model):
    """The period the report covers; each end needs a year (a month is enough)."""

    start: PartialDate
    end: PartialDate

    @field_validator("start", "end")
    @classmethod
    def _with_year(cls, value: PartialDate) -> PartialDate:
        if value.year is None:
            raise PydanticCustomError("date", "the period needs a year here")
        return value


class Document(Model):
    """A UN document the report refers to, listed on its first page."""

    symbol: Verbatim = Field(
        description="The document's symbol, as the UN writes it (A/HRC/28/10); never translated.")
    title: Text
    year: int | None = None


class MechanismSettings(Model):
    """Per-mechanism metadata of the report; absent means the mechanism is built too.

    The last group overrides the mechanism's form rules (builder.mechanisms),
    which change and are partly unconfirmed.
    """

    build: bool = Field(
        True, description="false leaves the mechanism out of 'shadow-report build'.")
    session: Text | None = Field(
        None, description="The session the report is submitted for, printed on the cover.")
    review: Text | None = Field(None, description="The date or name of the review.")
    introduction: list[Text] = Field(
        [], description="Paragraphs that open this mechanism's report, one entry per paragraph.")
    documents: list[Document] = Field(
        [], description="Reference documents: earlier reports and concluding observations.")
    submission: Literal["individual", "joint"] | None = Field(
        None, description="UPR: the kind of submission (by default, from the number of "
                          "organisations).")
    word_limit: Annotated[int, Field(gt=0)] | None = Field(
        None, description="The mechanism's word limit, instead of its default.")
    notes_count: bool | None = Field(
        None, description="Whether the words of the footnotes count toward the word limit.")
    page_limit: Annotated[int, Field(gt=0)] | None = Field(
        None, description="The mechanism's page limit, instead of its default.")
    languages: list[Language] | None = Field(
        None, description="The languages the mechanism accepts, instead of its default.")


class Mechanisms(Model):
    """One block of settings for each UN mechanism."""

    upr: MechanismSettings = Field(
        MechanismSettings(), description="The Universal Periodic Review.")
    cedaw: MechanismSettings = Field(
        MechanismSettings(),
        description="The Committee on the Elimination of Discrimination against Women.")
    iccpr: MechanismSettings = Field(
        MechanismSettings(), description="The Human Rights Committee (International Covenant "
                                         "on Civil and Political Rights).")


def _list_pattern(value: str) -> str:
    """A list pattern: the text with {0} and {1}, each once, and no other field;
    words and punctuation, no <, > or & (the joined items may be HTML links)."""
    try:
        fields = [(name, spec, conversion)
                  for _, name, spec, conversion in string.Formatter().parse(value)
                  if name is not None]
    except ValueError:
        fields = None
    if fields is None or sorted(fields) != [("0", "", None), ("1", "", None)]:
        raise PydanticCustomError(
            "list_pattern", "a list pattern holds {0} and {1}, each once, and no other "
            "{...}: not '{value}'", {"value": value})
    if re.search("[<>&]", value):
        raise PydanticCustomError(
            "list_pattern", "a list pattern is words and punctuation, without <, > or &: "
            "not '{value}'", {"value": value})
    return value


# The same rules for a JSON Schema: two fields, {0} or {1}, neither twice, no <>&.
_LIST_PATTERN = (r"^(?=[^{}]*\{[01]\}[^{}]*\{[01]\}[^{}]*$)(?!.*\{0\}.*\{0\})"
                 r"(?!.*\{1\}.*\{1\})[^<>&]*$")
ListPatternText = Annotated[str, AfterValidator(_list_pattern), WithJsonSchema({
    "type": "string", "pattern": _LIST_PATTERN,
    "patternErrorMessage": "a list pattern holds {0} and {1}, each once, and no <, > or &: "
                           "\"{0}, {1}\" or \"{0} and {1}\""})]


class ListPattern(Model):
    """How one language joins a list ("cases 2, 3 and 6"), in place of the pattern
    of the Unicode CLDR that shadow-report follows: each pattern joins two parts,
    {0} and {1}."""

    two: ListPatternText | None = Field(
        None, description="A list of two: \"{0} and {1}\".")
    start: ListPatternText | None = Field(
        None, description="The first two of three or more: \"{0}, {1}\".")
    middle: ListPatternText | None = Field(
        None, description="Each further item but the last: \"{0}, {1}\".")
    end: ListPatternText | None = Field(
        None, description="The last item of three or more: \"{0} and {1}\" (\"{0}, and {1}\" "
                          "with a serial comma).")


class Report(Model):
    """The report as a whole: its cover, who submits it, the summary, the methodology and
    the settings of each mechanism."""

    title: Text
    subtitle: Narrative | None = None
    state: Text = Field(description="The State under review (or State party).")
    date: PartialDate = Field(description="The submission date, with its day (2026-03-01): "
                                          "printed on the cover and stored in the PDF.")
    period: Period
    source_language: Language = Field("en", description="The language the content is written in.")
    languages: list[Language] = Field(
        [], description="The editions to build (default: the source language and every "
                        "language with a catalog in locales/).")
    organisations: Annotated[list[Organisation], Field(min_length=1)] = Field(
        description="The submitting organisations.")
    keywords: Annotated[list[Text], Field(min_length=1)]
    summary: Annotated[list[Narrative], Field(min_length=1)] = Field(
        description="The executive summary, one entry per paragraph; a paragraph may have a "
                    "version per mechanism ({upr: ..., cedaw: ..., iccpr: ..., default: ...}).")
    methodology: list[Narrative] = Field(
        [], description="How the information was gathered, one entry per paragraph.")
    mechanisms: Mechanisms = Mechanisms()
    list_patterns: dict[Language, ListPattern] = Field(
        {}, json_schema_extra={"additionalProperties": False},
        description="How the editions of a language join lists (\"cases 2, 3 and 6\", "
                    "\"arts. 19, 21 and 22\"), by language code, where the Unicode CLDR's "
                    "patterns are not what your readers write; for example kk: {end: \"{0} "
                    "және {1}\"}. Never translated.")
    public_words: list[str] = Field(
        [], description="Words that are public knowledge even where a confidential entry uses "
                        "them (Almaty in a confidential place): the leak check does not search "
                        "for them alone. Never printed, never sent to translators.")

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

Confidential = Annotated[bool, Field(
    description="true: the whole entry is confidential, printed in internal editions only; "
                "public text may not refer to it.")]


class Source(Model):
    """A publication the report cites with [@id], in full the first time and by its short
    title after that."""

    id: Id
    confidential: Confidential = False
    title: Published = Field(description="The title as published; an edition in another "
                                         "language prints its translation after it, in brackets.")
    official_titles: dict[Language, Official] = Field(
        {}, json_schema_extra={"additionalProperties": False},
        description="The publication's own title in other languages, as its publisher issued "
                    "it (the UN issues its documents in Arabic, Chinese, English, French, "
                    "Russian and Spanish), by language code: an edition in that language "
                    "prints it alone, in place of the title and its translation. Not a "
                    "translator's translation: that goes in the catalog.")
    short_title: Published | None = Field(
        None, description="Used by every citation after the first.")
    publisher: Published | None = None
    author: Published | None = None
    date: PartialDate | None = None
    url: Url | None = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")] | None = Field(
        None, description="The language of the publication (en, ru, kk, ...).")
    note: Text | None = Field(
        None, description="Anything a reader should know of the source, printed with it.")


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
    notes: Secret | None = Field(
        None, description="For the drafters: how to reach the people concerned, what to take "
                          "care of.")


class Case(Tagged):
    """A documented incident, in the annex of every report that concerns it; text refers to
    it with [#id]."""

    id: Id
    confidential: bool | CaseDetails = Field(
        False, description="true: the whole case is confidential. A mapping: the exact details "
                           "(place, date, ...) that only internal editions print, in place of "
                           "the public fields.")
    title: Complete
    date: PartialDate | None = Field(
        None, description="As precise as the source allows, never guessed.")
    date_end: PartialDate | None = Field(None, description="The end of an incident that lasted.")
    place: Narrative | None = Field(
        None, description="As precise as is safe for the people involved.")
    summary: Complete = Field(description="What happened, in one paragraph, with its sources.")
    affected: Complete = Field(description="Who was affected, described, never named.")
    responsible: Narrative | None = None
    response: Narrative | None = Field(
        None, description="What the authorities did, as far as is known.")
    people: list[Id] = Field(
        [], description="The people.yaml ids of the people concerned (public editions print "
                        "their pseudonyms).")
    sources: Annotated[list[Id], Field(min_length=1)] = Field(
        description="The sources.yaml ids of the case's sources.")

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

    id: Id = Field(description="An id that identifies nobody: it is printed in the catalogs.")
    pseudonym: Text = Field(description="What public editions print in place of the name.")
    description: Text | None = Field(
        None, description="Who the person is, in words that do not identify them (public).")
    role: Literal["victim", "witness", "activist", "lawyer", "relative", "other"]
    spoke_publicly: bool = Field(
        False, description="true only for someone who chose to speak publicly under their name: "
                           "public editions then print the name.")
    name: Secret = Field(description="The real name (confidential).")
    names: dict[Language, Secret] = Field(
        {}, json_schema_extra={"additionalProperties": False},
        description="The name as written in other languages, by language code (confidential).")
    aliases: list[Secret] = Field(
        [], description="Other spellings and parts of the name that must not appear in public "
                        "(confidential).")
    common_words: list[Secret] = Field(
        [], description="Parts of the name that are also ordinary words (Bota is a camel calf "
                        "in Kazakh): searched only beside another part of the name, not alone.")
    born: PartialDate | None = Field(None, description="The date of birth (confidential).")
    contact: Secret | None = Field(None, description="How to reach the person (confidential).")
    notes: Secret | None = Field(None, description="For the drafters only (confidential).")

    def name_in(self, language: str) -> str:
        return self.names.get(language, self.name)


class Statistic(Model):
    """A figure with its source; text prints it with [=id], in each language's number
    format."""

    id: Id
    confidential: Confidential = False
    label: Complete = Field(description="What the figure counts.")
    value: int | float = Field(
        description="A plain number, without separators or units (62000, not \"62,000\").")
    kind: Literal["number", "percent"] = Field(
        "number", description="percent: 48 is printed as 48 %.")
    approximate: bool = Field(
        False, description="true prints the figure as approximate (\"about 62,000\").")
    date: PartialDate | None = Field(None, description="The year or month the figure refers to.")
    source: Id = Field(description="The sources.yaml id of its source, cited with the figure.")
    note: Narrative | None = Field(
        None, description="How the figure was produced, added to its footnote.")
    mechanisms: MechanismKeys = Field(
        None, description="The reports whose key figures list it (upr, cedaw, iccpr); by default, "
                    "every report's. [=id] prints the figure in any report.")

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float) -> float:
        if value != value or value in (float("inf"), float("-inf")):
            raise PydanticCustomError("number", "not a finite number")
        if abs(value) >= 1e15:  # beyond what a report prints, and what formats exactly
            raise PydanticCustomError("number", "too large a number (at most 15 digits)")
        return value


class Section(Tagged):
    """A thematic section, part of the body of every report it is tagged for."""

    id: Id
    confidential: Confidential = False
    title: Complete
    paragraphs: Annotated[list[Narrative], Field(min_length=1)] = Field(
        description="One entry per numbered paragraph; a paragraph may have a version per "
                    "mechanism ({upr: ..., cedaw: ..., iccpr: ..., default: ...}).")
    questions: list[Narrative] = Field(
        [], description="Suggested questions, printed in the CEDAW and ICCPR reports.")
    cases: list[Id] = Field([], description="The cases the section draws on, listed with it.")


class Recommendation(Tagged):
    """What the report asks the State to do."""

    id: Id
    confidential: Confidential = False
    text: Complete
    addressee: Narrative | None = Field(
        None, description="Who must act (Government, Parliament, a ministry, ...).")
    sections: list[Id] = Field(
        [], description="The sections it answers; the first decides where the CEDAW and ICCPR "
                        "reports file it.")
    cases: list[Id] = Field([], description="The cases it responds to.")
    follows_up: list[Id] = Field(
        [], description="The previous-recommendations.yaml ids it repeats or builds on.")


class PreviousRecommendation(Model):
    """A recommendation of an earlier UPR review, with an assessment of how far it has been
    implemented."""

    id: Id
    number: Verbatim = Field(description="Its paragraph in the Working Group's report (\"124.6\").")
    document: Verbatim = Field(
        description="The symbol of the Working Group's report (\"A/HRC/28/10\").")
    cycle: int | None = Field(None, description="The UPR cycle: 1, 2, 3, 4, ...")
    session: int | None = Field(
        None, description="The session of the UPR Working Group that made it (20 for the "
                          "second review of Kazakhstan).")
    states: Annotated[list[Text], Field(min_length=1)] = Field(
        description="The recommending States.")
    text: Text = Field(description="The recommendation, word for word.")
    themes: list[str] = Field(
        [], description="Its themes as the Universal Human Rights Index lists them, for the "
                        "drafters (not printed).")
    # Left out, the response and the assessment are not known yet: the report
    # prints a placeholder and validate lists the entry (see builder.content).
    response: Literal["supported", "noted"] | None = Field(
        None, description="The State's response; left out while it is not known (the report "
                          "then shows a placeholder).")
    response_note: Narrative | None = None
    assessment: Literal["implemented", "partially-implemented", "not-implemented",
                        "worsened"] | None = Field(
        None, description="Our assessment; left out until it is made (the report then shows a "
                          "placeholder, and a release build refuses).")
    assessment_text: Complete = Field(
        description="The evidence for the assessment, with its sources.")
    evidence: list[Id] = Field([], description="The cases that show it.")


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
