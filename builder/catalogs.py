"""Gettext catalogs: extraction, merging, loading with integrity checks, statistics.

Two domains, each a POT template plus one PO file per language under
``locales/``:

* ``shadow-report``: the words of the templates and of ``builder/*.py``
  (headings, labels, article titles). The package ships its own
  (``locales/<lang>/LC_MESSAGES/shadow-report.po``); a project with its own
  ``templates/`` may keep its own, which then comes first.
* ``content``: every translatable text of a report project's content. Each
  entry's context (``msgctxt``) is ``collection/id/field`` (``report/...`` for
  report.yaml), so that the same English sentence in two places can be
  translated differently, and an edited paragraph stays the same entry: its
  translation is kept, marked fuzzy, with the previous source as ``#| msgid``.

Translators work on the PO files with any tool. Nothing here ever drops a
translation: an entry whose source disappears becomes obsolete (``#~``).
Compiled catalogs are made in memory when needed and never written.

Loading checks every entry (:func:`check_entry`); a broken, fuzzy or missing
entry is never used: the text falls back to the source language and the build
lists it (``--strict`` fails instead).
"""

from __future__ import annotations

import difflib
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from gettext import c2py
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract
from babel.messages.pofile import PoFileError, PoFileParser, denormalize

from builder import __version__, inline, pofile, terminology
from builder.confidential import (
    catalog_leaks,
    content_leaks,
    leak_matcher,
    withheld_contexts,
)
from builder.content import Content, texts, variant_note
from builder.errors import Problem, ProjectError, ValidationFailed, quoted
from builder.model import Official, Secret, Verbatim
from builder.project import (
    PACKAGE_DIR,
    Project,
    Unreadable,
    package_templates,
    read_inside,
    write_atomic,
)
from builder.sandbox import ConfinedLoader, TemplateRefused

TEMPLATES_DOMAIN = "shadow-report"
TEMPLATE_LANGUAGE = "en"  # the language the templates are written in
CONTENT_DOMAIN = "content"
DOMAINS = (TEMPLATES_DOMAIN, CONTENT_DOMAIN)

# Extraction options must match the runtime Environment (builder.render), or
# lookups silently miss; "silent: false" makes a template syntax error fail.
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "true",
                 "newstyle_gettext": "true", "silent": "false"}
PYTHON_KEYWORDS = {"N_": None, "gettext": None, "ngettext": (1, 2), "_": None,
                   "pgettext": ((1, "c"), 2), "pN_": ((1, "c"), 2),
                   "npgettext": ((1, "c"), 2, 3)}
# A comment "{# Translators: ... #}" (or "# Translators: ..." in Python) just
# before a string reaches its translators as a "#." comment.
COMMENT_TAGS = ["Translators:"]

# A fixed date keeps POT files stable between runs (their content is what matters).
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)


def package_locales() -> Path:
    """The package's own catalogs: inside the wheel, or at the top of a checkout."""
    inside = PACKAGE_DIR / "locales"
    return inside if inside.is_dir() else PACKAGE_DIR.parent / "locales"


def po_path(root: Path, language: str, domain: str) -> Path:
    return root / language / "LC_MESSAGES" / f"{domain}.po"


# --- extraction ----------------------------------------------------------------


_MARKER_HELP = {
    inline.Citation: "[@…] is a citation: keep it unchanged",
    inline.CaseRef: "[#…] refers to a case: keep it unchanged",
    inline.RecRef: "[>…] refers to a recommendation: keep it unchanged",
    inline.SectionRef: "[§…] refers to a section, printed \"(see chapter IV, ‘Title’)\" in "
                       "your language: keep it unchanged",
    inline.StatRef: "[=…] prints a figure: keep it unchanged",
    inline.PersonRef: "[%…] names a person by their pseudonym: keep it unchanged, never "
                      "write a name instead",
    inline.Placeholder: "[TBC: …] marks something still to confirm: keep the brackets",
    inline.Emphasis: "*…* marks emphasis: keep the asterisks around the translated words",
}


def content_context(collection: str, ident: str | None, keypath: tuple) -> str:
    """``sections/police-violence/paragraphs/2``, ``report/summary/0``."""
    parts = [collection] + ([ident] if ident else []) + [str(part) for part in keypath]
    return "/".join(parts)


def translatable(text: str) -> bool:
    """Whether a content text goes to the translators: any text but one that is
    never translated (a document symbol, a paragraph number), unless it is
    still a placeholder, whose words are printed in every edition; and never
    a confidential one, nor a publication's official title in a language (it
    is printed as written in that language's edition only)."""
    if isinstance(text, (Secret, Official)):
        return False
    return not isinstance(text, Verbatim) or inline.placeholders(text) > 0


def content_entries(content: Content) -> Iterator[tuple[str, str, str, tuple]]:
    """(context, text, collection, keypath in its file) of every translatable text."""
    for path, text in texts(content.report):
        if translatable(text):
            yield content_context("report", None, path), text, "report", path
    for collection in ("people", "sources", "statistics", "cases", "sections",
                       "recommendations", "previous-recommendations"):
        for number, entry in enumerate(content.collection(collection)):
            if getattr(entry, "confidential", False) is True:
                continue  # confidential entries are never sent to translators
            for path, text in texts(entry):
                if translatable(text):
                    yield (content_context(collection, entry.id, path), text, collection,
                           (number, *path))


def extract_content(content: Content, project: Project) -> Catalog:
    """The content POT: one entry per translatable text, with location and guidance."""
    catalog = _new_catalog(CONTENT_DOMAIN, None)
    for context, text, collection, keypath in content_entries(content):
        located = content.files.get(collection)
        line = located.where(keypath)[0] if located else 0
        shown = project.relative(project.content / f"{collection}.yaml")
        nodes = inline.parse(text)
        kinds = {type(node) for node in inline.walk(nodes)}
        comments = [f"{_describe_place(context)}."]
        entry = content.report if collection == "report" else \
            content.collection(collection)[keypath[0]]
        note = variant_note(keypath if collection == "report" else keypath[1:], entry)
        if note:
            comments.append(note)
        if isinstance(text, Verbatim):
            comments.append("Printed as written once filled in (a symbol, a number): translate "
                            "only the words of its placeholder")
        if collection == "sources" and keypath[-1] in _PUBLISHED_HELP:
            comments.append(_PUBLISHED_HELP[keypath[-1]])
        comments += [help_text for kind, help_text in _MARKER_HELP.items() if kind in kinds]
        catalog.add(text, locations=[(shown, line)], auto_comments=comments, context=context)
    for message in catalog:
        _not_a_format(message)
    return catalog


_PUBLISHED_HELP = {
    "title": "A publication's title: write it in your language, and it is shown in "
             "brackets after the title as published; or copy it unchanged to show only "
             "the title as published",
    "short_title": "The short title every later citation uses: translate it, or copy it "
                   "unchanged",
    "publisher": "The publisher as your readers know it: translate or transliterate it, "
                 "or copy it unchanged",
    "author": "The author as your readers know them: transliterate, or copy unchanged",
}


def _not_a_format(message: Message) -> None:
    """Content is never %-formatted: Babel guesses ``python-format`` from a
    source such as "[%gay-man-bishkek]" (``%g``) or "50% of", and GNU tools
    would then check translations against a format that is not one."""
    message.flags.discard("python-format")


def _describe_place(context: str) -> str:
    """Where a text appears, for the translator: "sections.yaml, entry 'x': paragraphs 3"."""
    parts = context.split("/")
    place = [str(int(part) + 1) if part.isdigit() else part for part in parts]
    if parts[0] == "report":
        return "report.yaml: " + " ".join(place[1:])
    return f"{parts[0]}.yaml, entry '{parts[1]}': " + " ".join(place[2:])


def extract_templates(template_dirs: list[Path], python_dir: Path | None) -> Catalog:
    """The templates POT from the Jinja2 templates and the package's Python code."""
    catalog = _new_catalog(TEMPLATES_DOMAIN, None)
    sources: list[tuple[Path, Path, str]] = []
    for root in template_dirs:
        sources += [(root, path, "jinja2") for path in sorted(root.rglob("*.html"))]
    if python_dir is not None:
        sources += [(python_dir, path, "python") for path in sorted(python_dir.glob("*.py"))]
    for root, path, method in sources:
        name = path.relative_to(root).as_posix()
        shown = f"{root.name}/{name}"
        options = JINJA_OPTIONS if method == "jinja2" else {}
        if method == "jinja2":  # a project's templates are untrusted: read as the build does
            try:
                text = ConfinedLoader([(root.resolve(), f"{root.name}/")]).get_source(
                    None, name)[0]
            except TemplateRefused as exc:
                raise ProjectError(str(exc)) from None
            handle = io.BytesIO(text.encode("utf-8"))
        else:
            handle = path.open("rb")
        with handle:
            data = handle.read()
        lines = data.decode("utf-8", errors="replace").splitlines()
        for lineno, message, comments, context in extract(
                method, io.BytesIO(data), keywords=PYTHON_KEYWORDS,
                comment_tags=COMMENT_TAGS, options=options, strip_comment_tags=True):
            comments = [*comments, _where(shown, lines, lineno, message)]
            existing = catalog.get(message, context)
            flags = ("python-format",) if "%(" in str(message) else ()
            if existing is not None:
                existing.locations.append((shown, lineno))
                existing.auto_comments += [c for c in comments
                                           if c not in existing.auto_comments]
            else:
                catalog.add(message, locations=[(shown, lineno)], auto_comments=comments,
                            context=context, flags=flags)
    return catalog


# What each file of the package prints: the first half of a "#." comment.
_FILES = {
    "templates/base/layout.html": "Every edition (cover, contents, annexes)",
    "templates/base/macros.html": "Every edition (cases, recommendations, figures)",
    "templates/upr/report.html": "The UPR submission",
    "templates/cedaw/report.html": "The CEDAW submission",
    "templates/iccpr/report.html": "The ICCPR submission",
    "builder/mechanisms.py": "The names of the UN mechanisms and the headings of their "
                             "themes and treaty articles",
    "builder/render.py": "Words the tool writes into the text (references, figures)",
    "builder/build.py": "The page footer of every Word edition",
}
# The innermost HTML element or template macro around a string: what it is.
_ROLES = {
    "title": "the PDF's title", "h1": "a title", "h2": "a chapter heading",
    "h3": "a heading", "h4": "a heading", "th": "a table column heading",
    "caption": "a table caption", "dt": "a label before its value",
    "td": "a table cell", "label": "a label before a text", "p": "a sentence",
    "li": "an item of a list", "a": "a link", "nav": "the table of contents",
    "m.chapter": "a chapter heading", "m.opening": "the cover's title",
    "m.para": "a paragraph", "m.page_counter": "the page number in the footer",
}
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)([^>]*)>|\b(m\.\w+)\(")


def _where(shown: str, lines: list[str], lineno: int, message) -> str:
    """Where a template or code string appears, for its translators."""
    what = _FILES.get(shown, shown)
    first = message if isinstance(message, str) else message[0]
    line = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
    at = line.find(first[:20])
    stack: list[str] = []  # the elements and macro calls open before the string
    for match in _TAG.finditer(line[:at if at >= 0 else len(line)]):
        closing, tag, attributes, macro = match.groups()
        if macro:
            stack.append(macro)
        elif closing and tag in stack:
            del stack[len(stack) - 1 - stack[::-1].index(tag):]
        elif not closing and not attributes.rstrip().endswith("/"):
            stack.append("label" if 'class="label"' in attributes else tag)
    role = next((_ROLES[item] for item in reversed(stack) if item in _ROLES), None)
    return f"{what}: {role}." if role else f"{what}."


_HEADERS = {
    TEMPLATES_DOMAIN: "The words of the shadow-report templates: headings, labels, the names\n"
                      "of the UN mechanisms and of the articles they review.",
    CONTENT_DOMAIN: "The content of a report project, one entry per text. The context\n"
                    "(msgctxt) names the entry and field; keep the [@...], [#...], [=...]\n"
                    "markers and *emphasis* of the source as they are.",
}


def _new_catalog(domain: str, language: str | None) -> Catalog:
    catalog = Catalog(
        locale=language, domain=domain, project="shadow-report", version=__version__,
        creation_date=FIXED_DATE, revision_date=FIXED_DATE, fuzzy=False,
        msgid_bugs_address="", copyright_holder="", charset="utf-8",
    )
    catalog.header_comment = "\n".join(f"# {line}" for line in
                                       _HEADERS.get(domain, "").splitlines()) or "#"
    return catalog


# --- merging -------------------------------------------------------------------


def merge(po: Catalog, template: Catalog) -> Catalog:
    """``po`` brought up to ``template`` without losing a translation.

    Every translation the file holds, active or obsolete, is a candidate:

    1. Same context and source: kept as it is (an entry deleted, then
       restored, comes back with its translation from the obsolete entries).
    2. Same source under another context (a paragraph moved, reordered or
       between files, an id renamed): the translation follows the English
       text, not the position, and stays as it was.
    3. A source that changed (an edited paragraph): the translation of the
       old source at the same context, else of the most similar old source
       (as msgmerge does), marked fuzzy with the previous source as
       ``#| msgid``. Only the translations of sources no longer used are
       candidates, so an inserted paragraph never takes its neighbour's.

    Translations of sources no longer used become obsolete (``#~``), even
    when offered to an edited source, so that restoring the old text restores
    its translation; an obsolete entry never replaces a translated one, and
    none duplicates an active entry.
    """
    merged = _new_catalog(po.domain or template.domain, str(po.locale) if po.locale else None)
    merged.header_comment = po._header_comment  # as written (the property substitutes)
    merged.revision_date = po.revision_date
    merged.last_translator = po.last_translator
    merged.language_team = po.language_team
    merged.fuzzy = po.fuzzy
    raw = getattr(po, "raw_header", None)
    if raw is not None:  # the translators' header, as msgmerge: only the POT's date changes
        created = pofile.header_field(pofile.header_text(template), "POT-Creation-Date")
        if created is not None and pofile.header_field(raw, "POT-Creation-Date") is not None:
            raw = pofile.set_header_field(raw, "POT-Creation-Date", created)
        merged.raw_header = raw
    known = _known_translations(po)
    by_key = {(message.context, _key(message.id)): message for message in reversed(known)}
    by_source: dict[str, Message] = {}
    for message in reversed(known):  # the first known (active, not fuzzy) wins
        if not message.fuzzy:
            by_source[_key(message.id)] = message
    live = {_key(message.id) for message in template if message.id}
    # Translations of sources no longer in the template: the only candidates
    # for an edited entry.
    dead = [message for message in known if _key(message.id) not in live]
    claimed: set[int] = set()
    for new in template:
        if not new.id:
            continue
        message = _copy(new)
        exact = by_key.get((new.context, _key(new.id)))
        same = by_source.get(_key(new.id))
        if exact is not None:
            _take(message, exact, fuzzy=exact.fuzzy)
        elif same is not None:
            _take(message, same, fuzzy=False)
        else:
            previous = _closest(new, dead, claimed)
            if previous is not None:
                claimed.add(id(previous))
                _take(message, previous, fuzzy=True)
                message.previous_id = list(previous.id) if isinstance(previous.id, tuple) \
                    else [previous.id]
        merged[message.id] = message
    kept: set[tuple] = set()
    for message in dead:
        key = (message.context, _key(message.id))
        # A translation offered to an edited source stays, as obsolete, the
        # translation of its own source too (unless it was fuzzy: then it was
        # never the translation of that source).
        if key in kept or (id(message) in claimed and message.fuzzy):
            continue
        kept.add(key)
        merged.obsolete[merged._key_for(message.id, message.context)] = message
    return merged


def _known_translations(po: Catalog) -> list[Message]:
    """Every translated entry of ``po``: active ones first, then obsolete ones."""
    return [message for message in [*po, *po.obsolete.values()]
            if message.id and not _empty(message)]


def _empty(message: Message) -> bool:
    return not any(_strings(message.string))


def _key(msgid) -> str:
    return msgid if isinstance(msgid, str) else "\x00".join(msgid)


def _copy(message: Message) -> Message:
    copy = Message(message.id, "" if isinstance(message.id, str) else ("",),
                   locations=list(message.locations),
                   auto_comments=list(message.auto_comments), context=message.context)
    copy.flags = set(message.flags) - {"fuzzy"}  # not Babel's guess (see _not_a_format)
    return copy


def _take(message: Message, previous: Message, *, fuzzy: bool) -> None:
    message.string = previous.string
    message.user_comments = list(previous.user_comments)
    if fuzzy:
        message.flags.add("fuzzy")
        if previous.previous_id and not message.previous_id:
            message.previous_id = list(previous.previous_id)


def _closest(new: Message, candidates: list[Message], claimed: set[int]) -> Message | None:
    """The old translation to offer, fuzzy, for a new or edited source: that of
    the same context if its source is gone, else of the most similar old source."""
    free = [message for message in candidates if id(message) not in claimed
            and isinstance(message.id, str) == isinstance(new.id, str)]
    if new.context:
        for message in free:
            if message.context == new.context:
                return message
    by_source = {_key(message.id): message for message in reversed(free)}
    match = difflib.get_close_matches(_key(new.id), list(by_source), n=1, cutoff=0.75)
    return by_source[match[0]] if match else None


# --- reading, checking ----------------------------------------------------------


@dataclass
class LoadedCatalog:
    """A PO file read and checked: usable entries, and what is wrong with the others."""

    path: Path
    shown: str
    catalog: Catalog
    data: bytes = b""  # the file as read
    usable: dict[tuple, Message] = field(default_factory=dict)
    broken: set[tuple] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)

    def lookup(self, msgid, context: str | None = None) -> Message | None:
        return self.usable.get((context, _key(msgid)))

    def is_broken(self, msgid, context: str | None = None) -> bool:
        return (context, _key(msgid)) in self.broken


def read_catalog(path: Path, shown: str, language: str) -> tuple[LoadedCatalog | None,
                                                                 list[Problem]]:
    """Read a PO file; syntax errors are problems, never exceptions."""
    try:
        data = read_inside(path, None, MAX_CATALOG_BYTES)
    except Unreadable as exc:
        return None, [Problem(shown, 0, 0, f"the catalog {exc}")]
    try:
        catalog = read_po(data, language, CONTENT_DOMAIN if path.stem == CONTENT_DOMAIN
                          else None)
    except PoFileError as exc:
        # Babel numbers the lines of its syntax errors from 0 (and its
        # messages' lines from 1): a test pins both.
        match = re.search(r" on (?:line )?(\d+)", str(exc))
        line = int(match.group(1)) + 1 if match else 0
        return None, [Problem(shown, line, 0, f"PO syntax error: {_po_error(exc)}")]
    except (UnicodeDecodeError, ValueError) as exc:
        return None, [Problem(shown, 0, 0, f"not a readable PO file: {exc}")]
    loaded = LoadedCatalog(path, shown, catalog, data)
    try:
        c2py(catalog.plural_expr)
    except (ValueError, SyntaxError, RecursionError):
        loaded.problems.append(Problem(shown, 0, 0, "the Plural-Forms header is not a plural "
                                       "rule (C syntax, as in 'nplurals=2; plural=(n != 1);'): "
                                       f"the rule of {language} is used instead"))
        catalog._num_plurals = catalog._plural_expr = None  # Babel then takes the locale's
    for message in catalog.obsolete.values():
        _restore_previous(message)
    for message in catalog:
        if not message.id:
            continue
        _restore_previous(message)
        problems = check_entry(message, catalog)
        key = (message.context, _key(message.id))
        if problems:
            loaded.broken.add(key)
            loaded.problems += [Problem(shown, message.lineno or 0, 0, text)
                                for text in problems]
        elif not message.fuzzy and _translated(message):
            loaded.usable[key] = message
    return loaded, loaded.problems


class _ReadCatalog(Catalog):
    """A catalog that keeps its file's header as written: every field a
    translator or a tool set (``X-Generator``, ``Project-Id-Version``...),
    in its order, where Babel keeps only the fields it knows."""

    raw_header: str | None = None

    def __setitem__(self, id, message: Message) -> None:
        if id == "" and message.context is None:
            self.raw_header = message.string if isinstance(message.string, str) else None
        super().__setitem__(id, message)


def read_po(data: bytes, language: str | None, domain: str | None = None) -> Catalog:
    """A PO file read with Babel, its header kept as written (see ``_ReadCatalog``)."""
    catalog = _ReadCatalog(locale=language, charset="utf-8")
    # Babel cannot read the previous source of an obsolete entry (``#~|``, as
    # msgmerge writes it): it is read as that of an active one (``#|``), a
    # comment Babel keeps and _restore_previous turns back into it.
    data = re.sub(rb"^#~\|", b"#|", data, flags=re.M)
    PoFileParser(catalog, False, abort_invalid=True).parse(io.BytesIO(data))
    if domain == CONTENT_DOMAIN:
        for message in [*catalog, *catalog.obsolete.values()]:
            _not_a_format(message)
    return catalog


def _restore_previous(message: Message) -> None:
    """Babel reads ``#| msgid`` lines as user comments: make them the previous msgid."""
    lines = [comment[1:].strip() for comment in message.user_comments
             if comment.startswith("|")]
    if not lines:
        return
    message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    parts: dict[str, list[str]] = {"msgid": [], "msgid_plural": []}
    current = None
    for line in lines:
        keyword, _, rest = line.partition(" ")
        if keyword in parts:
            current, line = keyword, rest
        elif keyword == "msgctxt":
            current = None
            continue
        if current is not None:
            parts[current].append(line)
    message.previous_id = [denormalize("\n".join(parts[key]))
                           for key in ("msgid", "msgid_plural") if parts[key]]


def _po_error(exc: Exception) -> str:
    return re.sub(r"\s*on (line )?\d+.*$", "", str(exc), flags=re.S).strip() or "invalid entry"


def _translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return all(strings) and bool(strings)


_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w+)\}")


def _markers(text: str) -> Counter:
    """The references in a text that a translation must keep exactly."""
    nodes = inline.parse(text)
    found = Counter()
    for node in inline.walk(nodes):
        if isinstance(node, (inline.Citation, inline.CaseRef, inline.RecRef, inline.StatRef,
                             inline.PersonRef, inline.SectionRef)):
            found[inline.marker_text(node) + "]"] += 1
    return found


def check_entry(message: Message, catalog: Catalog) -> list[str]:
    """What is wrong with one translated entry (empty: it may be used)."""
    strings = [message.string] if isinstance(message.string, str) else list(message.string)
    if not any(strings):  # untranslated: missing, not broken
        return []
    problems: list[str] = []
    sources = [message.id] if isinstance(message.id, str) else list(message.id)
    strings = [message.string] if isinstance(message.string, str) else list(message.string)
    if isinstance(message.id, (list, tuple)):
        forms = sum(1 for string in strings if string)
        if len(strings) != catalog.num_plurals or 0 < forms < catalog.num_plurals:
            problems.append(f"plural entry {sources[0]!r} has {forms} translated forms; "
                            f"{catalog.locale} needs {catalog.num_plurals}")
    source_placeholders = Counter(m.group(0) for m in _PLACEHOLDER.finditer(sources[-1]))
    what = message.context or quoted(sources[0])
    for string in strings:
        if not string:
            continue
        if len(string) > 20 * len(sources[-1]) + 2000:
            problems.append(f"translation of {what} is far longer than its source "
                            f"({len(string)} characters): pasted by mistake?")
            continue
        if message.context is None and _breaks_formatting(string, sources):
            problems.append(f"translation of {what} {_formatting_problem(string, sources)}")
            continue
        placeholders = Counter(m.group(0) for m in _PLACEHOLDER.finditer(string))
        wanted = set(source_placeholders)
        if isinstance(message.id, (list, tuple)):
            placeholders = Counter(set(placeholders))
            wanted = set(Counter(m.group(0) for s in sources for m in _PLACEHOLDER.finditer(s)))
            # a plural form may leave out the count ("one case") but nothing else
            wanted_required = wanted - {"%(num)s", "%(count)s"}
            if not wanted_required <= set(placeholders) or not set(placeholders) <= wanted:
                problems.append(_placeholder_message(message, wanted, set(placeholders)))
            continue
        if placeholders != source_placeholders:
            problems.append(_placeholder_message(message, wanted, set(placeholders)))
        if message.context is not None:  # content: the inline syntax
            try:
                translated = _markers(string)
            except inline.InlineError as exc:
                problems.append(f"translation of {message.context}: {exc.message}")
                continue
            dropped = inline.placeholders(sources[0]) - inline.placeholders(string)
            if dropped > 0:
                problems.append(f"translation of {message.context} leaves out {dropped} "
                                "[TBC: ...] placeholder(s) of the source: an unconfirmed "
                                "fact would read as confirmed")
            if translated != _markers(sources[0]):
                problems.append(f"translation of {message.context} changes its references: "
                                f"source has {_listed(_markers(sources[0]))}, "
                                f"translation has {_listed(translated)}")
    return problems


def _breaks_formatting(string: str, sources: list[str]) -> bool:
    """Whether a template string's translation fails Python's % formatting,
    which the templates apply to every string (a lone % in "100 % текста")."""
    names = {m.group(1) for source in sources for m in _PLACEHOLDER.finditer(source)
             if m.group(1)}
    try:
        string % dict.fromkeys(names, 1)
    except (ValueError, TypeError, KeyError):
        return True
    # "100 % sure" formats without an error ("% s" is a conversion with a
    # flag) into "100 {}ure": any % but %% and %(name)s is a mistake.
    return "%" in re.sub(r"%%|%\(\w+\)[sdif]", "", string)


# What is left of a named placeholder a translator broke: "%(state)" without
# its "s", "%(state" without its ")".
_BROKEN_NAMED = re.compile(r"%\(\s*(\w*)\s*\)?(?![sdif])")


def _formatting_problem(string: str, sources: list[str]) -> str:
    """Why a translation fails % formatting, and what to write: the English
    text's placeholder for a broken one ("%(state)" for "%(state)s"), or %%
    for a percent sign."""
    placeholders = {m.group(1): m.group(0) for source in sources
                    for m in _PLACEHOLDER.finditer(source) if m.group(1)}
    known = ", ".join(sorted(placeholders.values())) or "none"
    unknown = [m.group(0) for m in re.finditer(r"%\((\w+)\)[sdif]", string)
               if m.group(1) not in placeholders]
    if unknown:
        return f"has {unknown[0]}, which the English text does not have: it has {known}"
    broken = _BROKEN_NAMED.search(re.sub(r"%%|%\(\w+\)[sdif]", "", string))
    if broken is None:
        return "has a % that is not a placeholder: write %% for a percent sign"
    name, written = broken.group(1), broken.group(0).strip()
    if name in placeholders:
        return (f"has {written} that is not a placeholder: write {placeholders[name]} "
                "as in the English text")
    return (f"has {written} that is not a placeholder: the English text has {known} "
            "(write %% for a percent sign)")


def _placeholder_message(message: Message, wanted: set, found: set) -> str:
    what = message.context or repr(message.id if isinstance(message.id, str) else message.id[0])
    return (f"translation of {what} must keep the placeholders {sorted(wanted) or 'none'}, "
            f"not {sorted(found) or 'none'}")


def _listed(markers: Counter) -> str:
    return ", ".join(sorted(markers.elements())) or "none"


# --- statistics ------------------------------------------------------------------


@dataclass
class Stats:
    language: str
    domain: str
    shown: str
    total: int = 0
    translated: int = 0
    fuzzy: int = 0
    missing: int = 0
    broken: int = 0
    problems: list[Problem] = field(default_factory=list)
    # Translations that do not use the glossary's terms (builder.terminology),
    # and the problems of the glossary files (on a language's first catalog).
    terms: list[Problem] = field(default_factory=list)
    # The same counts for the entries of each source file (content/cases.yaml,
    # templates/base/layout.html...), by the entries' first reference.
    files: dict[str, Stats] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.translated == self.total and not self.broken

    def count(self, state: str) -> None:
        self.total += 1
        setattr(self, state, getattr(self, state) + 1)


def stats(loaded: LoadedCatalog, language: str, domain: str) -> Stats:
    result = Stats(language, domain, loaded.shown, problems=list(loaded.problems))
    for message in loaded.catalog:
        if not message.id:
            continue
        if (message.context, _key(message.id)) in loaded.broken:
            state = "broken"
        elif message.fuzzy:
            state = "fuzzy"
        elif _translated(message):
            state = "translated"
        else:
            state = "missing"
        result.count(state)
        source = message.locations[0][0] if message.locations else "(no reference)"
        result.files.setdefault(source, Stats(language, domain, source)).count(state)
    return result


# --- writing ----------------------------------------------------------------------


MAX_CATALOG_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Layout:
    """How catalogs are written: GNU gettext's defaults, or a team's choice
    (the options of msgmerge and pybabel: ``--width``, ``--no-wrap``,
    ``--no-location``, ``--add-location``)."""

    width: int = pofile.PAGE_WIDTH
    wrap: bool = True
    locations: str = "file"  # "file" (the default: no churn), "full" or "never"


def write_catalog(catalog: Catalog, path: Path, layout: Layout = Layout()) -> None:
    """Write a PO or POT file the way GNU gettext and translators' tools write it."""
    write_atomic(path, catalog_bytes(catalog, layout))


def catalog_bytes(catalog: Catalog, layout: Layout = Layout()) -> bytes:
    """The PO or POT file of ``catalog``, as :func:`write_catalog` writes it."""
    return pofile.dump(catalog, page_width=layout.width, wrapped=layout.wrap,
                       locations=layout.locations).encode("utf-8")


def new_po(template: Catalog, language: str) -> Catalog:
    """A new PO file for ``language`` from a template, with its plural forms."""
    locale = Locale.parse(language)  # raises for an unknown language code
    catalog = _new_catalog(template.domain, language)
    catalog.language_team = f"{locale.english_name} ({locale.get_display_name(locale)})"
    catalog.last_translator = "shadow-report translators"
    return merge(catalog, template)


def template_catalog_path(project: Project, language: str) -> Path:
    """The project's own templates catalog if it has one, else the package's."""
    own = po_path(project.locales, language, TEMPLATES_DOMAIN)
    return own if own.is_file() else po_path(package_locales(), language, TEMPLATES_DOMAIN)


def catalog_files(project: Project, languages: list[str]) -> list[Path]:
    """Every catalog a project's editions in ``languages`` use or its
    translators receive: the templates (POT) and each language's PO files."""
    root = project.locales
    files = sorted(root.glob("*.pot")) if root.is_dir() else []
    for language in languages:
        files += [path for path in (po_path(root, language, CONTENT_DOMAIN),
                                    template_catalog_path(project, language))
                  if path.is_file()]
    return unique_paths(files)


def unique_paths(paths: Iterable[Path]) -> list[Path]:
    return list(dict.fromkeys(path.resolve() for path in paths))


def languages_in(root: Path) -> list[str]:
    """The languages that have catalogs under a ``locales/`` folder."""
    if not root.is_dir():
        return []
    return sorted(path.parent.parent.name for path in root.glob("*/LC_MESSAGES/*.po"))


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def template_dirs(project: Project) -> list[Path]:
    """The template folders whose strings belong in a project's templates catalog."""
    dirs = [package_templates()]
    if project.templates.is_dir() and project.templates.resolve() != dirs[0].resolve():
        dirs.append(project.templates)
    return dirs


# --- what the i18n commands do for a project -------------------------------------


def project_templates(project: Project) -> Catalog | None:
    """The templates catalog a project maintains: only one with its own templates/."""
    if not project.templates.is_dir():
        return None
    return extract_templates(template_dirs(project), PACKAGE_DIR)


def extract_project(project: Project, content: Content, layout: Layout = Layout()
                    ) -> dict[str, Catalog]:
    """Write ``locales/<domain>.pot`` for every domain the project maintains
    (refused, with each location, if public text holds a confidential value)."""
    _refuse_leaks(project, content)
    return _extract(project, content, layout=layout)


def _extract(project: Project, content: Content, *, write: bool = True,
             layout: Layout = Layout()) -> dict[str, Catalog]:
    templates = {CONTENT_DOMAIN: extract_content(content, project)}
    own = project_templates(project)
    if own is not None:
        templates[TEMPLATES_DOMAIN] = own
    if write:
        for domain, catalog in templates.items():
            write_catalog(catalog, project.locales / f"{domain}.pot", layout)
    return templates


@dataclass
class Update:
    """What ``i18n update`` changes (or, checking, would change) in one file."""

    path: Path
    counts: Counter
    # Each changed entry: (where, what): the content or PO location and the change.
    entries: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.counts.values())


def update_project(project: Project, content: Content, *, check: bool = False,
                   layout: Layout = Layout(), languages: list[str] | None = None
                   ) -> list[Update]:
    """Extract, then merge every PO file of every language; return what changed.

    With ``check``, nothing is written: the result says what an update would
    change, entry by entry (like ``pybabel update --check``).

    Nothing confidential is ever written: content whose public text holds a
    confidential value, or a translation or translator's comment that holds
    one, is refused with its location before any file is touched; what the
    tools kept of earlier versions (previous sources, obsolete entries) is
    removed where it holds one.
    """
    matcher = _refuse_leaks(project, content)
    present = unique(languages_in(project.locales))
    unknown = [code for code in languages or [] if code not in present]
    if unknown:
        raise ProjectError(f"no catalogs for {', '.join(unknown)} under "
                           f"{project.relative(project.locales)}/ (start one with "
                           f"'shadow-report i18n init {unknown[0]}')")
    paths = [(language, domain, po_path(project.locales, language, domain))
             for language in (present if languages is None else languages)
             for domain in DOMAINS]
    paths = [(language, domain, path) for language, domain, path in paths if path.is_file()]
    withheld = withheld_contexts(content)
    written = [leak for _, _, path in paths
               for leak in catalog_leaks(path, project.relative(path), matcher, withheld,
                                         ours=project.holds(path))
               if not leak.history]
    if written:
        raise ValidationFailed([leak.problem for leak in written])
    templates = _extract(project, content, write=False, layout=layout)
    # Every catalog read before any file is written: one that cannot be read
    # stops the update with the others as they were.
    read, problems = [], []
    for language, domain, path in paths:
        if domain in templates:
            loaded, found = read_catalog(path, project.relative(path), language)
            problems += found if loaded is None else []
            read.append((domain, path, loaded))
    if problems:
        raise ValidationFailed(problems)
    report = []
    for domain, catalog in templates.items():
        path = project.locales / f"{domain}.pot"
        if not check:
            write_catalog(catalog, path, layout)
        elif not path.is_file() or path.read_bytes() != catalog_bytes(catalog, layout):
            report.append(Update(path, Counter({"rewritten (out of date)": 1})))
    for domain, path, loaded in read:
        merged = merge(loaded.catalog, templates[domain])
        removed = scrub(merged, matcher, tuple(withheld))
        after = catalog_bytes(merged, layout)
        if not check:
            write_atomic(path, after)
        update = _changes(path, loaded.catalog, merged, project.relative(path))
        update.counts["confidential value(s) removed from history"] = removed
        if not update.changed and after != loaded.data:
            update.counts["rewritten (wrapping, references or header)"] = 1
        report.append(update)
    return report


def _refuse_leaks(project: Project, content: Content):
    """The report's leak matcher; refuse content whose public text leaks."""
    matcher = leak_matcher(content)
    leaks = content_leaks(content, matcher)
    if leaks:
        raise ValidationFailed(content.warnings + [leak.problem for leak in leaks])
    return matcher


def scrub(catalog: Catalog, matcher, withheld: tuple[str, ...] = ()) -> int:
    """Remove the previous sources (``#|``) and obsolete entries (``#~``)
    that hold a confidential value, or the text of an entry now marked
    confidential (its context begins with one of ``withheld``); return how many."""
    removed = 0
    for message in catalog:
        if message.previous_id and any(matcher.find(text) for text in message.previous_id):
            message.previous_id = []
            removed += 1
    for name, message in list(catalog.obsolete.items()):
        parts = [*_strings(message.id), *_strings(message.string), message.context or "",
                 *message.previous_id, *message.user_comments, *message.auto_comments]
        if (message.context or "").startswith(withheld or ("\x00",)) or \
                any(matcher.find(text) for text in parts if text):
            del catalog.obsolete[name]
            removed += 1
    return removed


def _strings(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value or ())


def init_language(project: Project, content: Content, language: str,
                  layout: Layout = Layout()) -> list[Path]:
    """Start the catalogs of a new language; existing files are left alone."""
    templates = extract_project(project, content, layout)
    written = []
    for domain, template in templates.items():
        path = po_path(project.locales, language, domain)
        if path.exists():
            continue
        write_catalog(new_po(template, language), path, layout)
        written.append(path)
    return written


def project_stats(project: Project, languages: list[str], source_language: str = "en"
                  ) -> list[Stats]:
    """Statistics of every catalog an edition in each language uses, with the
    translations that do not use the glossary's terms (the content's are
    found in ``source_language``, the templates' in English)."""
    glossaries = {code: terminology.load_glossary(project, code)
                  for code in unique([*languages, source_language])}
    results = []
    for language in languages:
        first = len(results)
        for domain in (TEMPLATES_DOMAIN, CONTENT_DOMAIN):
            path = (template_catalog_path(project, language) if domain == TEMPLATES_DOMAIN
                    else po_path(project.locales, language, domain))
            shown = project.relative(path)
            if not path.is_file():
                missing = Stats(language, domain, shown)
                missing.problems.append(Problem(shown, 0, 0, "no such catalog: run "
                                                f"'shadow-report i18n init {language}'"))
                results.append(missing)
                continue
            loaded, problems = read_catalog(path, shown, language)
            if loaded is None:
                broken = Stats(language, domain, shown, problems=problems)
                results.append(broken)
                continue
            row = stats(loaded, language, domain)
            source = TEMPLATE_LANGUAGE if domain == TEMPLATES_DOMAIN else source_language
            row.terms = terminology.check_catalog(loaded, glossaries[language],
                                                  glossaries[source], source)
            files = {message.lineno: message.locations[0][0] if message.locations
                     else "(no reference)" for message in loaded.catalog if message.id}
            for problem in row.terms:
                row.files[files[problem.line]].terms.append(problem)
            results.append(row)
        results[first].terms[:0] = glossaries[language].problems  # the check's own files
    return results


def _changes(path: Path, before: Catalog, after: Catalog, shown: str) -> Update:
    update = Update(path, Counter())
    old = {(m.context, _key(m.id)): m for m in before if m.id}
    for message in after:
        if not message.id:
            continue
        if (message.context, _key(message.id)) in old:
            continue
        if message.fuzzy:
            kind = "fuzzy (source changed)"
        elif _translated(message):
            kind = "translation carried (moved, renamed or restored)"
        else:
            kind = "new"
        update.counts[kind] += 1
        where = ":".join(str(part) for part in message.locations[0]) if message.locations \
            else shown
        update.entries.append((where, f"{message.context or _key(message.id)[:60]!r}: {kind}"))
    gone = {(m.context, _key(m.id)) for m in after if m.id}
    contexts = {m.context for m in after if m.id and m.context}
    obsolete = {(m.context, _key(m.id)) for m in after.obsolete.values() if m.id}
    sources = {_key(m.id) for m in after if m.id}
    for key, message in old.items():
        if key in gone or (key not in obsolete and key[1] in sources):
            continue  # unchanged, or moved or renamed: counted above where it went
        if key not in obsolete:
            kind = "removed (untranslated, no longer used)"
        elif message.context in contexts:
            kind = "its previous English, kept with its translation as obsolete (#~)"
        else:
            kind = "obsolete (no longer in the content or templates), kept as #~"
        update.counts["removed" if key not in obsolete else "obsolete"] += 1
        update.entries.append((f"{shown}:{message.lineno}",
                               f"{message.context or key[1][:60]!r}: {kind}"))
    return update
