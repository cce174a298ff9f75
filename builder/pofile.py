"""PO files written byte for byte as GNU gettext writes them.

Translators' tools (msgcat, msgmerge, Poedit, Weblate) write PO files the
way GNU gettext does; a catalog written any other way is rewrapped by the
first save in one of them, and rewrapped back by the next ``i18n update``:
hundreds of changed lines that are no change at all. So catalogs are written
here as ``write-po.c`` of GNU gettext writes them:

* strings are wrapped where the Unicode line breaking algorithm allows a
  break (UAX #14), at 79 columns, by the same function GNU gettext calls,
  ``ulc_width_linebreaks`` of GNU libunistring (loaded with ctypes; it is
  installed wherever gettext is). Never inside an escape sequence, a
  multibyte character or, in a ``python-format`` entry, a ``%(name)s``
  directive; a string that has a line break or does not fit on its first line
  starts with ``""``;
* comments in the order translator (``#``), extracted (``#.``), references
  (``#:``, wrapped at 79 columns, never inside one), flags (``#,``, only
  those GNU knows, ``fuzzy`` only on a translated entry), previous source
  (``#|``); extracted comments are never wrapped;
* obsolete entries at the end, and only those with a translation.

Without libunistring (a system without GNU gettext) strings are broken after
spaces only; that is the one difference the wrapping then has.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
from collections.abc import Iterable

from babel.messages.catalog import Catalog, Message

PAGE_WIDTH = 79
NO_WRAP = 2**31 - 1  # as GNU: INT_MAX columns

# libunistring's break values (unilbrk.h).
_UNDEFINED, _PROHIBITED, _POSSIBLE = 0, 1, 2

# The escapes GNU writes (the others are written as they are).
_ESCAPES = {0x07: b"a", 0x08: b"b", 0x0C: b"f", 0x0A: b"n", 0x0D: b"r", 0x09: b"t",
            0x0B: b"v", 0x5C: b"\\", 0x22: b'"'}

# The format flags GNU knows, in the order it writes them (gettext 0.21).
_FORMATS = ("c", "objc", "python", "python-brace", "java", "java-printf", "csharp",
            "javascript", "scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua",
            "pascal", "smalltalk", "qt", "qt-plural", "kde", "kde-kuit", "boost", "tcl",
            "perl", "perl-brace", "php", "gcc-internal", "gfc-internal", "ycp")
_RANGE = re.compile(r"range: \d+\.\.\d+")

# GNU header fields in the order msginit and xgettext write them.
HEADER_ORDER = ("Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date",
                "PO-Revision-Date", "Last-Translator", "Language-Team", "Language",
                "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Plural-Forms")


def _load_libunistring():
    for name in (ctypes.util.find_library("unistring"), "libunistring.so.5",
                 "libunistring.so.2", "libunistring.dylib"):
        if not name:
            continue
        try:
            library = ctypes.CDLL(name)
            function = library.ulc_width_linebreaks
        except (OSError, AttributeError):
            continue
        function.restype = ctypes.c_int
        function.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                             ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
        return function
    return None


_linebreaks_function = _load_libunistring()


def gnu_wrapping() -> bool:
    """Whether strings are wrapped exactly as GNU gettext wraps them here."""
    return _linebreaks_function is not None


def _linebreaks(portion: bytes, width: int, start: int, overrides: bytes) -> bytes:
    if _linebreaks_function is not None:
        result = ctypes.create_string_buffer(len(portion))
        _linebreaks_function(portion, len(portion), width, start, 0, overrides, b"UTF-8",
                             result)
        return result.raw
    return _linebreaks_after_spaces(portion, width, start, overrides)


def _linebreaks_after_spaces(portion: bytes, width: int, start: int,
                             overrides: bytes) -> bytes:
    """A break before a word that follows spaces and would pass ``width``."""
    breaks = bytearray(len(portion))
    text = portion.decode("utf-8")
    column, offset, last = start, 0, None  # last: offset of the last possible break
    column_at_last = 0
    for index, char in enumerate(text):
        size = len(char.encode("utf-8"))
        if index and char != " " and text[index - 1] == " " and \
                overrides[offset] != _PROHIBITED:
            last, column_at_last = offset, column
        column += 1
        if column > width and last is not None and not breaks[last]:
            breaks[last] = _POSSIBLE
            column -= column_at_last
            last = None
        offset += size
    return bytes(breaks)


# --- python-format directives, as GNU's format-python.c finds them ---------------

_SPEC = re.compile(rb"[-+ #0]*(?:\*|[0-9]*)(?:\.(?:\*|[0-9]*))?[hlL]?")


def _python_directives(data: bytes) -> bytearray:
    """Per byte: 1 inside a valid directive after its first byte (no break
    there), else 0. Scanning stops at the first invalid directive, as GNU's."""
    inside = bytearray(len(data))
    i, n = 0, len(data)
    named = unnamed = 0  # named and unnamed arguments are exclusive
    while i < n:
        if data[i] != 0x25:  # '%'
            i += 1
            continue
        start, i = i, i + 1
        name = i < n and data[i] == 0x28
        if name:  # '(' name ')', nested parentheses allowed
            depth, i = 0, i + 1
            while i < n:
                if data[i] == 0x28:
                    depth += 1
                elif data[i] == 0x29:
                    if depth == 0:
                        break
                    depth -= 1
                i += 1
            if i >= n:
                return inside
            i += 1
        spec = _SPEC.match(data, i)  # flags, width, precision, length: always matches
        stars = spec.group(0).count(b"*")
        if stars and named:
            return inside
        unnamed += stars
        i = spec.end()
        if i >= n or data[i] not in b"%csridouxXeEfgG":
            return inside
        if name:
            if unnamed:
                return inside
            named += 1
        elif data[i] != 0x25:
            if named:
                return inside
            unnamed += 1
        for k in range(start + 1, i + 1):
            inside[k] = 1
        i += 1
    return inside


# --- strings -------------------------------------------------------------------


def _utf8_length(lead: int) -> int:
    if lead < 0xE0:
        return 2
    return 3 if lead < 0xF0 else 4


def wrap(name: str, value: str, *, prefix: str = "", page_width: int = PAGE_WIDTH,
         wrapped: bool = True, python_format: bool = False) -> list[str]:
    """The lines of ``name "value"`` (``msgid``, ``msgstr[0]``...), as GNU writes them."""
    data = value.encode("utf-8")
    directives = _python_directives(data) if python_format and data else None
    after_break = len(prefix) + 1
    width = (page_width if wrapped else NO_WRAP) - 1 - after_break
    lines: list[str] = []
    first = True
    start = 0
    while True:
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end + 1
        portion, overrides = bytearray(), bytearray()
        i = start
        while i < end:
            byte = data[i]
            brk = _PROHIBITED if directives is not None and directives[i] else _UNDEFINED
            if byte in _ESCAPES:
                portion += b"\\" + _ESCAPES[byte]
                overrides += bytes((brk, _PROHIBITED))
                i += 1
            elif byte >= 0x80:
                size = _utf8_length(byte)
                portion += data[i:i + size]
                overrides += bytes((brk,)) + bytes((_PROHIBITED,)) * (size - 1)
                i += size
            else:
                portion.append(byte)
                overrides.append(brk)
                i += 1
        if end > start and data[end - 1] == 0x0A:  # never break right before a final \n
            overrides[-2] = _PROHIBITED
        while True:
            column = len(prefix) + (len(name) + 1 if first else 0) + 1 - after_break
            breaks = _linebreaks(bytes(portion), width, column, bytes(overrides)) \
                if portion else b""
            if first and portion and (end < len(data) or column > width
                                      or _POSSIBLE in breaks):
                lines.append(f'{prefix}{name} ""')
                first = False
                continue
            break
        line = f"{prefix}{name} " if first else prefix
        first = False
        begin = 0
        for at, kind in enumerate(breaks):
            if kind == _POSSIBLE:
                lines.append(f'{line}"{portion[begin:at].decode("utf-8")}"')
                line, begin = prefix, at
        lines.append(f'{line}"{portion[begin:].decode("utf-8")}"')
        start = end
        if start >= len(data):
            return lines


# --- entries -------------------------------------------------------------------


def _flags(message: Message, translated: bool, obsolete: bool) -> str | None:
    """The ``#,`` line: fuzzy (if translated), formats, range, no-wrap, in GNU's order."""
    flags = message.flags
    shown = []
    if "fuzzy" in flags and (translated or obsolete):
        shown.append("fuzzy")
    for language in _FORMATS:
        for form in (f"{language}-format", f"possible-{language}-format",
                     f"no-{language}-format"):
            if form in flags:
                shown.append(form)
                break
    if not obsolete:
        shown += sorted(flag for flag in flags if _RANGE.fullmatch(flag))
    if "no-wrap" in flags:
        shown.append("no-wrap")
    return "#, " + ", ".join(shown) if shown else None


def _python_format(message: Message) -> bool:
    return bool({"python-format", "possible-python-format"} & set(message.flags))


def _references(locations: Iterable[tuple[str, int | None]], page_width: int,
                with_lines: bool) -> list[str]:
    seen: list[str] = []
    for filename, lineno in locations:
        while filename.startswith("./"):
            filename = filename[2:]
        shown = f"{filename}:{lineno}" if with_lines and lineno is not None else filename
        if shown not in seen:
            seen.append(shown)
    lines: list[str] = []
    line, column = "#:", 2
    for shown in seen:
        size = len(shown) + 1
        if column > 2 and column + size > page_width:
            lines.append(line)
            line, column = "#:", 2
        line += " " + shown
        column += size
    if seen:
        lines.append(line)
    return lines


def _comment(marker: str, text: str) -> list[str]:
    return [f"{marker} {line}" if line else marker for line in text.split("\n")]


def _strings(message: Message) -> list[str]:
    if isinstance(message.string, (list, tuple)):
        return [text or "" for text in message.string] or [""]
    return [message.string or ""]


def entry_lines(message: Message, *, obsolete: bool = False, page_width: int = PAGE_WIDTH,
                wrapped: bool = True, locations: str = "file") -> list[str]:
    """The lines of one entry (without the blank line before it)."""
    strings = _strings(message)
    translated = bool(strings[0])
    wrapped = wrapped and "no-wrap" not in message.flags
    options = {"page_width": page_width, "wrapped": wrapped,
               "python_format": _python_format(message)}
    lines: list[str] = []
    for comment in message.user_comments:
        lines += _comment("#", comment)
    lines += [f"#. {comment}" if comment else "#." for comment in message.auto_comments]
    if locations != "never":
        lines += _references(message.locations, page_width, locations == "full")
    flags = _flags(message, translated, obsolete)
    if flags:
        lines.append(flags)
    previous = getattr(message, "previous_id", None) or []
    for keyword, text in zip(("msgid", "msgid_plural"), previous, strict=False):
        lines += wrap(keyword, text, prefix="#~| " if obsolete else "#| ", **options)
    prefix = "#~ " if obsolete else ""
    if message.context is not None:
        lines += wrap("msgctxt", message.context, prefix=prefix, **options)
    if isinstance(message.id, (list, tuple)):
        lines += wrap("msgid", message.id[0], prefix=prefix, **options)
        lines += wrap("msgid_plural", message.id[1], prefix=prefix, **options)
        for number, text in enumerate(strings):
            lines += wrap(f"msgstr[{number}]", text, prefix=prefix, **options)
    else:
        lines += wrap("msgid", message.id, prefix=prefix, **options)
        lines += wrap("msgstr", strings[0], prefix=prefix, **options)
    return lines


# --- the header ------------------------------------------------------------------


def header_text(catalog: Catalog) -> str:
    """The header entry's text: the file's own, as read (every field a
    translator or a tool set, in its order), else one made in GNU's order."""
    raw = getattr(catalog, "raw_header", None)
    if raw is not None:
        return raw
    fields = dict(catalog.mime_headers)
    fields.pop("Generated-By", None)  # changes with Babel's version: churn
    if catalog.locale is None:
        fields.setdefault("Language", "")  # a template's, as xgettext writes it
    if "Content-Type" in fields:
        fields["Content-Type"] = re.sub(r"charset=utf-8\b", "charset=UTF-8",
                                        fields["Content-Type"], flags=re.I)
    ordered = [name for name in HEADER_ORDER if name in fields]
    ordered += [name for name in fields if name not in HEADER_ORDER]
    return "".join(f"{name}: {fields[name]}\n" for name in ordered)


def set_header_field(text: str, name: str, value: str) -> str:
    """``text`` with the field ``name`` set to ``value`` where it is (else added)."""
    pattern = re.compile(rf"^{re.escape(name)}:[^\n]*$", re.M | re.I)
    if pattern.search(text):
        return pattern.sub(lambda _: f"{name}: {value}", text, count=1)
    return text + ("" if not text or text.endswith("\n") else "\n") + f"{name}: {value}\n"


def header_field(text: str, name: str) -> str | None:
    match = re.search(rf"^{re.escape(name)}:[ \t]*([^\n]*)$", text, re.M | re.I)
    return match.group(1).rstrip() if match else None


def _header_lines(catalog: Catalog, page_width: int, wrapped: bool) -> list[str]:
    lines = []
    comment = getattr(catalog, "_header_comment", None) or ""
    for line in comment.split("\n"):
        if line.startswith("#"):
            lines.append(line.rstrip() if line.strip() == "#" else line)
    text = header_text(catalog)
    if catalog.fuzzy and text:
        lines.append("#, fuzzy")
    options = {"page_width": page_width, "wrapped": wrapped}
    return lines + wrap("msgid", "", **options) + wrap("msgstr", text, **options)


# --- files -------------------------------------------------------------------------


def dump(catalog: Catalog, *, page_width: int = PAGE_WIDTH, wrapped: bool = True,
         locations: str = "file") -> str:
    """The PO or POT file of ``catalog``, as GNU gettext writes it.

    ``locations``: ``"full"`` (file and line), ``"file"`` (file only, the
    project's choice: a line added elsewhere in a file changes no reference)
    or ``"never"``.
    """
    blocks = ["\n".join(_header_lines(catalog, page_width, wrapped))]
    options = {"page_width": page_width, "wrapped": wrapped, "locations": locations}
    blocks += ["\n".join(entry_lines(message, **options)) for message in catalog
               if message.id]
    blocks += ["\n".join(entry_lines(message, obsolete=True, **options))
               for message in catalog.obsolete.values()
               if message.id and _strings(message)[0]]
    return "\n\n".join(blocks) + "\n"
