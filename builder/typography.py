"""The characters a typesetter would use, set in an edition's finished HTML.

Drafters and translators type on ordinary keyboards: straight quotes and
apostrophes, a hyphen between a numeral and its Kazakh suffix.
:func:`typeset` replaces them in the text of the HTML the templates rendered
(content and template strings alike, and whatever a translator typed), never
in markup, styles or a web address:

* **quotation marks** as each language writes them: English “…” with ‘…’
  inside; Russian and Kazakh «…» with „…“ inside; an apostrophe is ’. A
  straight quote opens after a space, an opening bracket or a dash and
  closes elsewhere; quotes already typographic count for the nesting. A
  single straight quote that opens is ‘ in every language (an English title
  cited in a Russian edition: ‘LGBT Propaganda’), elsewhere ’;
* **a UN document symbol** ("CEDAW/C/KAZ/CO/5", "A/HRC/WG.6/34/KAZ/1")
  broken only before a slash, never after one, nor inside its first two
  parts or its last two ("CEDAW/C" / "/KAZ" / "/CO/5"): a word joiner after
  each slash, a zero-width space before those in between. Kept whole, the
  symbol left a justified line of the Kazakh sample with 1.64 em spaces;
* **a percent sign** after a number as the tool prints a percentage in that
  language (CLDR's form): "9,5 %" with a no-break space in Russian, "9,5%"
  in Kazakh and "9.5%" in English, whichever a translator typed;
* **a numeral and its suffix** ("12-жағдай", "5-бап", "2-й") joined: the
  hyphen is followed by a word joiner (U+2060), so that no line breaks after
  it, while the text a reader copies or searches, in the PDF or in Word,
  still has the hyphen-minus the translator typed (the word joiner is not
  extracted; Word gets its own non-breaking hyphen, builder/outputs/docx.py);

A year and its word ("2025 жылғы") are not joined: as one unbreakable unit
they left a justified line of the Kazakh sample with 1.10 em spaces.
"""

from __future__ import annotations

import html
import re

# Tags after which a quotation cannot go on: quotes are paired within a block.
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|td|th|dd|dt|caption|title|div|section)\s*>|<br\b",
                        re.I)
_TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
# Text inside these elements is left as it is: styles, and web addresses.
_VERBATIM = re.compile(r"<(style|script)\b|<a\b[^>]*\bclass=\"url\"", re.I)
_NUMERAL_SUFFIX = re.compile(r"(?<=\d)-(?=[^\W\d_])")
_SUFFIX_AT_START = re.compile(r"^-(?=[^\W\d_])")
# A percent sign after a number, with or without a space, and each language's.
_PERCENT = re.compile(r"(?<=\d)[ \u00a0\u202f]?%")
PERCENT = {"ru": "\u00a0%", "kk": "%", "en": "%"}
# A UN document symbol: a body's capitals, then parts after slashes.
_SYMBOL_SLASH = re.compile(r"(?<![\w/])[A-Z]{1,8}(?:\u200b?/\u2060?[A-Za-z0-9.()\-]+)+")
# Quotation marks of each language (opening, closing): outside, and inside
# another quotation. English closes an inner quotation with ’, the
# apostrophe: an apostrophe does not count as a closing quote.
QUOTES = {"en": (("\u201c", "\u201d"), ("\u2018", "\u2019")),
          "ru": (("\u00ab", "\u00bb"), ("\u201e", "\u201c")),
          "kk": (("\u00ab", "\u00bb"), ("\u201e", "\u201c"))}
APOSTROPHE = "\u2019"
WORD_JOINER = "\u2060"
ZERO_WIDTH_SPACE = "\u200b"
# After these, a straight quote closes unless a letter, digit or one of
# _CLOSES_AFTER comes before it (as after "=" in rel="x").
_CLOSES_AFTER = set(".,;:!?)]}%…\u00bb\u201d\u2019\u201c")
# After these (or at the start of a block), a straight quote opens.
_OPENS_AFTER = set(" \t\n\u00a0\u202f([{\u2014\u2013-/") | {"\u00ab", "\u201e", "\u201c",
                                                              "\u2018"}


def typeset(document: str, language: str) -> str:
    """``document`` (HTML) with its text set in ``language``'s characters."""
    outer, inner = QUOTES.get(language, QUOTES["en"])
    out: list[str] = []
    verbatim: str | None = None  # the closing tag awaited
    state = _Quotes(outer, inner)
    for index, piece in enumerate(_TAG.split(document)):
        if index % 2:  # a tag
            out.append(piece)
            if verbatim is not None:
                if piece.lower().startswith(verbatim):
                    verbatim = None
                continue
            opened = _VERBATIM.match(piece)
            if opened:
                verbatim = f"</{opened.group(1) or 'a'}".lower()
            elif _BLOCK_END.match(piece):
                state.reset()
            continue
        if verbatim is not None or not piece:
            out.append(piece)
            continue
        text = html.unescape(piece)
        if state.before.isdigit():  # "<a ...>8</a>-жағдай": the numeral in the element before
            text = _SUFFIX_AT_START.sub("-" + WORD_JOINER, text)
        text = _NUMERAL_SUFFIX.sub("-" + WORD_JOINER, state.set(text))
        if "/" in text:
            text = _SYMBOL_SLASH.sub(_glued, text)
        if "%" in text:
            text = _PERCENT.sub(PERCENT.get(language, "%"), text)
        out.append(html.escape(text, quote=False))
    return "".join(out)


def _glued(symbol: re.Match) -> str:
    parts = symbol.group().replace(ZERO_WIDTH_SPACE, "").replace(WORD_JOINER, "").split("/")
    glued = "/" + WORD_JOINER
    if len(parts) < 4:
        return glued.join(parts)
    return (glued.join(parts[:2]) + ZERO_WIDTH_SPACE + glued
            + (ZERO_WIDTH_SPACE + glued).join(parts[2:-1]) + glued + parts[-1])


class _Quotes:
    """Straight quotes replaced in the text of one block after another."""

    def __init__(self, outer: tuple[str, str], inner: tuple[str, str]) -> None:
        self.outer, self.inner = outer, inner
        # “ opens in English, and closes a quotation inside another in Russian.
        self.opens_after = _OPENS_AFTER - {outer[1], inner[1]}
        # What set() looks at: a text without any is left as it is.
        self.marks = re.compile("[" + re.escape("\"'" + "".join(outer + inner)) + "]")
        self.reset()

    def reset(self) -> None:
        self.before = " "  # the last character of the block's text so far
        self.depth = 0  # quotations open

    def set(self, text: str) -> str:
        if not self.marks.search(text):
            self.before = text[-1:] or self.before
            return text
        out = []
        for position, char in enumerate(text):
            if char == '"':
                following = text[position + 1:position + 2]
                if self.before in self.opens_after or (
                        not self.before.isalnum() and self.before not in _CLOSES_AFTER
                        and following and not following.isspace()):
                    char = (self.outer if self.depth == 0 else self.inner)[0]
                else:
                    char = (self.outer if self.depth <= 1 else self.inner)[1]
            elif char == "'":
                following = text[position + 1:position + 2]
                opens = self.before in self.opens_after and following.isalpha()
                # ‘quoted’; otherwise an apostrophe (Kazakhstan’s, O’Brien).
                char = "\u2018" if opens else APOSTROPHE
                if char == APOSTROPHE:
                    out.append(char)
                    self.before = char
                    continue
            elif char == APOSTROPHE:  # typed as such: an apostrophe
                out.append(char)
                self.before = char
                continue
            # Quotes typed as such, and those just set, nest.
            if char in (self.outer[0], self.inner[0]):
                self.depth += 1
            elif char in (self.outer[1], self.inner[1]) and self.depth:
                self.depth -= 1
            out.append(char)
            self.before = char
        return "".join(out)
