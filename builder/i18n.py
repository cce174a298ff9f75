"""Language of an edition: its translations and its locale-aware formatting.

Every word a template prints goes through gettext, from the first day, so that
adding a language is translation work, not template work. An edition in the
project's source language uses no catalog at all.

Formatting goes through Babel's CLDR data: dates (also partial ones such as a
month or a day without a year), numbers, percentages and lists each in the
language's own form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

from builder.model import PartialDate

# The CLDR locale used for formatting each edition language. English editions
# follow UN usage ("29 May 2021"), which is British, not American, order.
FORMAT_LOCALES = {"en": "en_GB", "ru": "ru", "kk": "kk"}


# Where CLDR's list patterns are not what a careful reader writes. Kazakh joins
# the last item with "және" as it joins two ("a, b және c"); CLDR 45 gives
# "a, b, c", which reads as an unfinished list. A project changes or adds
# patterns in report.yaml (list_patterns), over these: see edition_language.
# Keys as CLDR's: "2" (a list of two), "start", "middle", "end".
LIST_PATTERNS = {"kk": {"end": "{0} және {1}"}}

# Where CLDR's date forms are not what the language's own texts write, as CLDR
# patterns by precision ("day" also for a full date, "month" a month and year,
# "month-alone" a month without a year). Kazakh writes month names in lowercase,
# alone too (CLDR 45's stand-alone month is "Мамыр", its other forms "мамыр"),
# and a year before its month as "2025 жылғы" ("2025 жылғы 22 қараша", as
# official texts and the catalogs write it), where CLDR gives "2025 ж. 22 қараша".
DATE_PATTERNS = {"kk": {"day": "y 'жылғы' d MMMM", "month": "y 'жылғы' MMMM",
                        "month-alone": "MMMM"}}


@dataclass(frozen=True)
class Language:
    """An edition's language: its code, its CLDR locale and its translations."""

    code: str
    translations: object  # gettext-like: builder.translate.CatalogTranslations
    # The project's list patterns for this language (report.yaml's list_patterns),
    # as (CLDR key, pattern) pairs, over LIST_PATTERNS and CLDR's.
    list_patterns: tuple[tuple[str, str], ...] = ()

    @property
    def locale(self) -> Locale:
        return Locale.parse(FORMAT_LOCALES.get(self.code, self.code))

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self.translations.pgettext(context, message)

    def date(self, value: PartialDate | date) -> str:
        """A full or partial date in the language's own form: CLDR's, or
        DATE_PATTERNS' where the language writes it otherwise."""
        if isinstance(value, date):
            value, stand_in = PartialDate(value.year, value.month, value.day), value
        else:  # 2000 is a leap year, so that --02-29 formats too.
            stand_in = date(value.year or 2000, value.month or 1, value.day or 1)
        precision = "month-alone" if value.precision == "month" and value.year is None \
            else value.precision
        pattern = DATE_PATTERNS.get(self.code, {}).get(precision)
        if pattern is not None:
            return format_date(stand_in, pattern, locale=self.locale)
        if precision == "day":
            return format_date(stand_in, "long", locale=self.locale)
        if precision == "month-alone":
            return format_date(stand_in, "LLLL", locale=self.locale)  # stand-alone month
        skeleton = {"month": "yMMMM", "year": "y", "month-day": "MMMMd"}[precision]
        return format_skeleton(skeleton, stand_in, locale=self.locale)

    def number(self, value: float, *, percent: bool = False) -> str:
        """The value as the language writes it; a percentage with its decimals
        as given (CLDR's percent pattern has none: 9.5 would print as 10 %)."""
        if percent:
            return format_percent(Decimal(str(value)) / 100, locale=self.locale,
                                  decimal_quantization=False)
        return format_decimal(value, locale=self.locale)

    def list(self, items: list[str], style: str = "standard") -> str:
        """Items joined as the language lists them ("a, b and c"): by CLDR's
        patterns, or, for the standard style, the package's and the project's
        in their place."""
        items = list(items)
        override = {**LIST_PATTERNS.get(self.code, {}), **dict(self.list_patterns)} \
            if style == "standard" else {}
        if not override or len(items) < 2:
            return format_list(items, style=style, locale=self.locale)
        patterns = {**self.locale.list_patterns[style], **override}
        if len(items) == 2:
            return patterns["2"].format(*items)
        joined = patterns["start"].format(items[0], items[1])
        for item in items[2:-1]:
            joined = patterns["middle"].format(joined, item)
        return patterns["end"].format(joined, items[-1])
