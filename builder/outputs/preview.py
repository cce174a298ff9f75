"""``shadow-report preview``: the editions as web pages that follow the drafters' edits.

A small web server on this machine (loopback only, unless told otherwise)
shows every edition the build would make as the build renders its HTML
(:func:`builder.build.edition_html`), with a preview stylesheet so that a
browser shows it like the PDF's pages: A4-wide sheets, numbered paragraphs
and chapters, and the footnotes, which browsers do not lay out at the foot of
a page, gathered at the foot of each section with the PDF's numbers.

A thread polls the modification times of the project's ``content/``,
``locales/`` and ``templates/``; after a change the editions being viewed are
rendered again and their pages, told by Server-Sent Events, reload in place.
Problems are shown in the page, located, never with a confidential value
(the redaction the command line uses), and a public edition's HTML passes the
build's leak check before a browser gets it. A PDF of the edition is one click
away: :func:`builder.build.build` of that one edition into
``output/preview/``.

The server serves the rendered pages, the package's fonts and stylesheets
(``asset:`` URLs, mapped to ``/_asset/``) and the asset files of the project's
``templates/``, and nothing else: no raw content or catalog, no file outside
the project. Requests must name a loopback host (``Host:``), so that a web
page whose address a hostile DNS server points at 127.0.0.1 reads nothing.
"""

from __future__ import annotations

import errno
import html as html_text
import ipaddress
import json
import mimetypes
import os
import re
import socket
import sys
import threading
import time
import webbrowser
from dataclasses import dataclass, field, replace
from hashlib import sha256
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from babel import Locale

from builder.build import (
    Edition,
    Localised,
    _check_paragraph_numbers,
    _in_editions,
    build,
    edition_html,
    load_checked,
    localise,
    select_editions,
)
from builder.catalogs import catalog_files
from builder.confidential import (
    catalog_leaks,
    content_leaks,
    edition_leaks,
    leak_matcher,
    redact,
    withheld_contexts,
)
from builder.content import Content
from builder.errors import Problem, RenderError, ShadowReportError, ValidationFailed
from builder.mechanisms import MECHANISMS
from builder.project import FONTS_DIR, Project
from builder.sandbox import RefusedResource, resolve_asset

HERE = Path(__file__).resolve().parent
DEFAULT_PORT = 8000
POLL_SECONDS = 0.05  # how often the watched folders are looked at (about 1 ms each)
SETTLE_SECONDS = 0.03  # a save in several writes is seen once it has settled
KEEPALIVE_SECONDS = 5.0  # an event stream speaks this often, to notice a closed page
WATCHED = ("content", "locales", "templates")
# What a browser may load from the templates folders: stylesheets, fonts and
# pictures; never a template itself, which is source, not output.
ASSET_TYPES = {".css", ".ttf", ".otf", ".woff", ".woff2", ".png", ".jpg", ".jpeg", ".gif",
               ".svg", ".webp"}
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
PAGE_NAME = re.compile(r"(?P<mechanism>[a-z]+)-(?P<language>[a-z]{2,3})(?P<internal>\.internal)?")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")

mimetypes.add_type("font/ttf", ".ttf")
mimetypes.add_type("font/otf", ".otf")
mimetypes.add_type("font/woff2", ".woff2")


class NotFound(Exception):
    """No such page; the message says why, in words for the drafter."""


# --- what the browser gets instead of what a printer gets ------------------------------

_NOTE_OR_END = re.compile(r'<span class="footnote(?P<next> next-note)?">'
                          r"|</(?:section|header|nav|main|div|article|aside|body)>")
_SPAN = re.compile(r"<span\b|</span>")
_ASSET_URL = re.compile(r"""(\b(?:href|src)="|url\(["']?)asset:([^"')\s]*)""")


def browser_html(html: str, version: str = "") -> str:
    """An edition's HTML as a browser can show it like the PDF.

    Browsers do not lay out ``float: footnote``: each note becomes a call
    numbered as the PDF numbers it (through the whole document, in order)
    and the notes are listed, with the same numbers, at the end of the
    section, division or page part they are called in. ``asset:`` URLs
    become the server's ``/_asset/`` paths, a stylesheet's with ``version``
    (of the templates' files) in its query, so that a changed stylesheet is
    loaded again. Nothing else changes.
    """
    out: list[str] = []
    pending: list[str] = []
    number = position = 0
    while (found := _NOTE_OR_END.search(html, position)) is not None:
        out.append(html[position:found.start()])
        if found.group().startswith("<span"):
            end, body = _span_body(html, found.end())
            number += 1
            comma = "," if found["next"] else ""
            out.append(f'<a class="preview-call" id="preview-call-{number}" '
                       f'href="#preview-note-{number}">{comma}{number}</a>')
            pending.append(f'<li id="preview-note-{number}" value="{number}">'
                           f'<a class="preview-back" href="#preview-call-{number}">'
                           f"{number}.</a> {body}</li>")
            position = end
        else:
            if pending:
                out.append('<aside class="preview-notes"><ol>' + "".join(pending) +
                           "</ol></aside>")
                pending = []
            out.append(found.group())
            position = found.end()
    out.append(html[position:])
    def served(url: re.Match) -> str:
        query = f"?v={version}" if url[2].endswith(".css") else ""  # (the fonts stay cached)
        return f"{url[1]}/_asset/{url[2]}{query}"

    return _ASSET_URL.sub(served, "".join(out))


def _span_body(html: str, start: int) -> tuple[int, str]:
    """Where the span opened just before ``start`` ends, and what it holds."""
    depth = 1
    for tag in _SPAN.finditer(html, start):
        depth += 1 if tag.group() == "<span" else -1
        if depth == 0:
            return tag.end(), html[start:tag.start()]
    return len(html), html[start:]


# --- the state of a preview: what was loaded, rendered, built ------------------------------


@dataclass(frozen=True)
class Page:
    """A page as served; ``etag`` changes when what it shows changes."""

    body: bytes
    etag: str


@dataclass
class PdfStatus:
    """Where the PDF of an edition is: building, done or failed."""

    state: str = "idle"
    generation: int = -1  # of the files it was built from
    started: float = 0.0
    seconds: float = 0.0
    pages: int = 0
    path: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    version: int = 0  # counts the changes of this status

    def as_json(self, current: int) -> str:
        return json.dumps({
            "state": self.state, "pages": self.pages, "seconds": round(self.seconds, 1),
            "elapsed": round(time.monotonic() - self.started, 1) if self.started else 0,
            "stale": self.state == "done" and self.generation != current,
            "problems": [str(problem) for problem in self.problems]})


@dataclass
class _Loaded:
    """The content at one generation of the watched files, or why it failed."""

    generation: int
    content: Content | None
    problems: list[Problem]
    matcher: object | None
    editions: list[Edition]
    localised: dict[str, Localised] = field(default_factory=dict)
    leaks: dict[str, list] = field(default_factory=dict)  # language -> leaks


class Preview:
    """The rendered pages of a project, kept up to date with its files.

    Thread-safe: the web server's threads ask for pages, the watcher thread
    calls :meth:`poll`. Pages are rendered when asked for, once per
    generation of the files, so only the editions being viewed are rendered
    again after a change.
    """

    def __init__(self, project: Project, *, internal: bool = False,
                 pdf_folder: Path | None = None):
        self.project = project
        self.internal = internal
        self.pdf_folder = pdf_folder or project.root / "output" / "preview"
        self.generation = 0
        self.changes = 0  # counts every change a page may want to hear of
        self._signature = self._files()
        self._changed = threading.Condition()
        self._closing = False
        self._render_lock = threading.RLock()
        self._pdf_lock = threading.Lock()
        self._loaded: _Loaded | None = None
        self._known: tuple[list[Edition], object | None] = ([], None)  # last good load
        self._pages: dict[str, tuple[tuple[int, int], Page]] = {}
        self._good: dict[str, tuple[str, str]] = {}  # last good HTML and its time
        self._leaks_lock = threading.Lock()
        self._leaks_found = 0  # pages shown before leaks were found are rendered again
        self._later: list[tuple[_Loaded, str]] = []
        self._started: set[tuple[int, str]] = set()  # (generation, language) searched
        self._catalog_leaks: dict[tuple, list] = {}
        self._catalog_values: tuple | None = None  # the values they were searched for
        self._pdfs: dict[str, PdfStatus] = {}
        self._helpers: list[threading.Thread] = []  # the watcher and leak searches

    # -- watching ----------------------------------------------------------------------

    def _files(self) -> tuple:
        """Every watched file with its modification time, size and inode."""
        entries = []
        for name in WATCHED:
            for folder, subfolders, files in os.walk(self.project.root / name):
                subfolders[:] = sorted(d for d in subfolders if not d.startswith((".", "__")))
                for file in sorted(files):
                    if file.startswith(".") or file.endswith("~"):
                        continue  # an editor's swap and backup files
                    try:
                        info = os.stat(os.path.join(folder, file))
                    except OSError:
                        continue
                    entries.append((folder, file, info.st_mtime_ns, info.st_size, info.st_ino))
        return tuple(entries)

    def _templates_version(self) -> str:
        """Changes when a file of the project's templates/ does."""
        folder = str(self.project.templates)
        return sha256(repr([entry for entry in self._signature
                            if entry[0].startswith(folder)]).encode()).hexdigest()[:8]

    def poll(self) -> bool:
        """Look at the watched files; after a change, start a new generation
        (once the files have settled) and wake the pages. True if changed."""
        signature = self._files()
        if signature == self._signature:
            return False
        while True:  # an editor may save in several writes
            time.sleep(SETTLE_SECONDS)
            settled = self._files()
            if settled == signature:
                break
            signature = settled
        self._signature = signature
        with self._changed:
            self.generation += 1
            self.changes += 1
            self._changed.notify_all()
        return True

    def watch(self) -> None:
        """Poll until :meth:`close` (the watcher thread's loop)."""
        while not self._closing:
            self.poll()
            time.sleep(POLL_SECONDS)

    def wait(self, seen: int, timeout: float) -> int:
        """Wait until something changed since ``seen`` (a value of
        :attr:`changes`) or ``timeout``; the new value."""
        with self._changed:
            self._changed.wait_for(lambda: self.changes != seen or self._closing, timeout)
            return self.changes

    def close(self) -> None:
        with self._changed:
            self._closing = True
            self._changed.notify_all()

    @property
    def closing(self) -> bool:
        return self._closing

    # -- loading -----------------------------------------------------------------------

    def _load(self) -> _Loaded:
        """The content of the current generation, loaded once."""
        loaded = self._loaded
        if loaded is not None and loaded.generation == self.generation:
            return loaded
        generation = self.generation
        editions, matcher = self._known
        try:
            content = load_checked(self.project)
        except ValidationFailed as failed:
            # load_checked redacted what the broken content holds; the last
            # good content's values are kept out too.
            problems = redact(failed.problems, matcher) if matcher else failed.problems
            loaded = _Loaded(generation, None, problems, matcher, editions)
        except ShadowReportError as exc:
            loaded = _Loaded(generation, None, [_problem(str(exc))], matcher, editions)
        else:
            fresh = leak_matcher(content)
            if matcher is None or fresh.needles != matcher.needles:
                matcher = fresh
            editions = select_editions(self.project, content, None, None)
            self._known = (editions, matcher)
            loaded = _Loaded(generation, content, [], matcher, editions)
        self._loaded = loaded
        return loaded

    def _localised(self, loaded: _Loaded, language: str) -> Localised:
        if language not in loaded.localised:
            loaded.localised[language] = localise(self.project, loaded.content, language)
        return loaded.localised[language]

    def _leaks(self, loaded: _Loaded, language: str, *, wait: bool) -> list | None:
        """The build's leak check of the content and of the language's
        catalogs (located leaks) for the current files: found now when
        ``wait``, else later (``None`` meanwhile: see :meth:`_find_later`).

        The page's own HTML is checked before it is shown in any case; this
        check locates leaks and finds those in files the page does not show,
        and takes longer (a large catalog, 0.4 s) than a page may wait."""
        with self._leaks_lock:
            if language in loaded.leaks:
                return loaded.leaks[language]
            if not wait:
                self._later.append((loaded, language))
                return None
        return self._find_leaks(loaded, language)

    def _find_later(self) -> None:
        """Find the leaks that pages rendered meanwhile did not wait for, in a
        thread started once they are rendered (not to slow them down)."""
        with self._leaks_lock:
            later, self._later = self._later, []
            self._started = {key for key in self._started if key[0] >= self.generation}
            starting = []
            for loaded, language in later:
                if (loaded.generation, language) not in self._started:
                    self._started.add((loaded.generation, language))
                    starting.append((loaded, language))
        for loaded, language in starting:
            self.helper(self._find_leaks, loaded, language, name="preview-leaks")

    def helper(self, target, *args, name: str) -> threading.Thread:
        """Start a thread of the preview's own, which :meth:`join` waits for."""
        thread = threading.Thread(target=target, args=args, daemon=True, name=name)
        with self._leaks_lock:
            self._helpers = [each for each in self._helpers if each.is_alive()] + [thread]
        thread.start()
        return thread

    def join(self, timeout: float) -> None:
        """Wait (up to ``timeout`` seconds in all) for the preview's threads,
        once :meth:`close` has told them to stop: the program then exits with
        none of them in the middle of loading a module or writing out, which
        could hold the interpreter's exit."""
        deadline = time.monotonic() + timeout
        with self._leaks_lock:
            helpers = list(self._helpers)
        for thread in helpers:
            if thread is not threading.current_thread():
                thread.join(max(0.0, deadline - time.monotonic()))

    def _find_leaks(self, loaded: _Loaded, language: str) -> list:
        """Find the leaks; if there are any, the pages shown meanwhile are
        rendered again. A catalog is searched again only when it or the
        confidential values change."""
        content, matcher = loaded.content, loaded.matcher
        withheld = withheld_contexts(content)
        values = (tuple(matcher.needles), tuple(sorted(withheld.items())))
        found = content_leaks(content, matcher)
        for path in catalog_files(self.project, [language]):
            try:
                info = path.stat()
                stamp = (str(path), info.st_mtime_ns, info.st_size, info.st_ino)
            except OSError:
                stamp = (str(path),)
            with self._leaks_lock:
                if values != self._catalog_values:
                    self._catalog_values, self._catalog_leaks = values, {}
                known = self._catalog_leaks.get(stamp)
            if known is None:
                known = catalog_leaks(path, self.project.relative(path), matcher, withheld)
                with self._leaks_lock:
                    if values == self._catalog_values:
                        self._catalog_leaks[stamp] = known
            found += known
        with self._leaks_lock:
            known = loaded.leaks.setdefault(language, found)
        if found and known is found:
            with self._changed:
                self._leaks_found += 1
                self.changes += 1
                self._changed.notify_all()
        return found

    # -- pages -------------------------------------------------------------------------

    def edition(self, name: str) -> tuple[Edition | None, bool]:
        """The edition a page name (``upr-en``, ``upr-en.internal``) shows, and
        whether it is the internal one. ``None`` while the content has never
        loaded (the page then shows the problems); :class:`NotFound` if there
        is no such edition."""
        parts = PAGE_NAME.fullmatch(name)
        if parts is None or parts["mechanism"] not in MECHANISMS:
            raise NotFound(f"no edition {name!r}")
        internal = bool(parts["internal"])
        if internal and not self.internal:
            raise NotFound("internal editions are shown only by 'shadow-report preview "
                           "--internal'")
        with self._render_lock:
            editions = self._load().editions
        for edition in editions:
            if edition.name == f"{parts['mechanism']}-{parts['language']}":
                return edition, internal
        if editions:
            raise NotFound(f"no edition {name!r}: this project makes "
                           f"{', '.join(edition.name for edition in editions)}")
        return None, internal

    def page(self, name: str) -> Page:
        """The page ``name`` (``index`` or an edition's), rendered for the
        current generation of the files."""
        if name != "index":
            self.edition(name)  # NotFound first
        with self._render_lock:
            generation = (self.generation, self._leaks_found)
            cached = self._pages.get(name)
            if cached is not None and cached[0] == generation:
                return cached[1]
            page = self._index() if name == "index" else self._edition_page(name)
            if cached is not None and cached[1].etag == page.etag:
                page = cached[1]  # the same page: its time stays as it was
            self._pages[name] = (generation, page)
        self._find_later()
        return page

    def _edition_page(self, name: str) -> Page:
        edition, internal = self.edition(name)
        loaded = self._load()
        errors = [problem for problem in loaded.problems if problem.severity == "error"]
        warnings = [problem for problem in loaded.problems if problem.severity != "error"]
        untranslated, html = [], None
        if loaded.content is not None and edition is not None:
            try:
                html, errors, warnings, untranslated = self._render(loaded, edition, internal)
            except ShadowReportError as exc:  # a template's error, a refused override
                errors = [_problem(str(exc))]
        if not internal and loaded.matcher is not None:
            errors, warnings = (redact(errors, loaded.matcher),
                                redact(warnings, loaded.matcher))
            untranslated = [text for text in untranslated if not loaded.matcher.find(text)]
        if html is not None:
            self._good[name] = (browser_html(html, self._templates_version()),
                                time.strftime("%H:%M:%S"))
        shown, when = self._good.get(name, (None, ""))
        banner = _banner(errors, warnings, untranslated,
                         f"the page below is the last good rendering ({when})"
                         if html is None and shown else "")
        if shown is None:
            shown = _empty_document(name, "Nothing to show until the problems above are "
                                          "fixed." if errors else "")
        etag = sha256((banner + shown).encode()).hexdigest()[:16]
        bar = self._bar(name, etag, internal)
        return Page(_inject(shown, bar + banner).encode(), etag)

    def _render(self, loaded: _Loaded, edition: Edition, internal: bool
                ) -> tuple[str | None, list[Problem], list[Problem], list[str]]:
        """The edition's HTML as the build renders it (``None`` if it may not
        be shown), its errors, its warnings and its untranslated texts."""
        content = loaded.content
        localised = self._localised(loaded, edition.language)
        html, fallbacks = edition_html(self.project, content, localised, edition.mechanism,
                                       internal=internal)
        _check_paragraph_numbers(edition, html)
        rendered = [(edition, html, fallbacks)]
        concerning = [(warning, None) for warning in content.warnings] + [
            (replace(problem, severity="warning"), edition.language)
            for problem in localised.problems]
        warnings = [shown for shown in (_in_editions(warning, code, content, rendered)
                                        for warning, code in concerning)
                    if not shown.message.startswith("in no edition")]
        errors: list[Problem] = []
        if not internal:
            owners = edition_leaks(html, loaded.matcher)
            leaks = self._leaks(loaded, edition.language, wait=bool(owners)) or []
            errors = [leak.in_editions([edition.name]) if leak.owner in owners
                      else leak.problem for leak in leaks]
            unlocated = [owner for owner in owners
                         if not any(leak.owner == owner for leak in leaks)]
            if unlocated:
                errors.append(_problem(
                    f"{edition.name}: confidential data of {', '.join(unlocated)} found in its "
                    "HTML, from the templates (check the project's templates/ overrides)"))
            if owners:
                html = None  # never shown
        return html, errors, warnings, [str(fallback) for fallback in fallbacks]

    def _index(self) -> Page:
        loaded = self._load()
        rows = []
        for mechanism in dict.fromkeys(edition.mechanism for edition in loaded.editions):
            cells = []
            for edition in loaded.editions:
                if edition.mechanism != mechanism:
                    continue
                language = html_text.escape(_language_name(edition.language))
                links = [f'<a href="/{edition.name}.html">{language}</a> '
                         f'(<a href="/{edition.name}.pdf" target="_blank">PDF</a>)']
                if self.internal:
                    links.append(f'<a class="internal" href="/{edition.name}.internal.html">'
                                 f'internal</a> (<a href="/{edition.name}.internal.pdf" '
                                 'target="_blank">PDF</a>)')
                cells.append(f'<td title="{edition.name}">' + "<br>".join(links) + "</td>")
            rows.append(f"<tr><th>{html_text.escape(mechanism.name)}</th>{''.join(cells)}</tr>")
        body = (f"<h1>{html_text.escape(self.project.root.name)}: editions</h1>"
                + (f'<table class="preview-index">{"".join(rows)}</table>' if rows else "")
                + ('<p class="preview-internal-note">Internal editions print the real names and '
                   "confidential details: never share them.</p>" if self.internal else ""))
        banner = _banner([problem for problem in loaded.problems if problem.severity == "error"],
                         [], [], "")
        etag = sha256((banner + body).encode()).hexdigest()[:16]
        return Page(_inject(_empty_document("index", body, title="Editions"),
                            self._bar("index", etag, False) + banner).encode(), etag)

    def _bar(self, name: str, etag: str, internal: bool) -> str:
        """The preview's tool bar: the editions, the PDF link, the connection."""
        editions = self._load().editions
        suffix = ".internal" if internal else ""
        links = " ".join(
            f'<a href="/{edition.name}{suffix}.html"'
            f'{" aria-current=page" if f"{edition.name}{suffix}" == name else ""}>'
            f"{edition.name}</a>" for edition in editions)
        pdf = ("" if name == "index" else
               f'<a id="preview-pdf" href="/{name}.pdf" target="_blank">PDF</a>'
               '<span id="preview-pdf-status" role="status"></span>')
        mark = ('<strong class="preview-confidential">CONFIDENTIAL: internal edition'
                "</strong>" if internal else "")
        return (f'<div id="preview-bar" data-preview data-page="{html_text.escape(name)}" '
                f'data-etag="{etag}"><a href="/">All editions</a> {mark}'
                f'<span class="preview-editions">{links}</span>{pdf}'
                '<span id="preview-live" role="status">connecting…</span></div>')

    # -- PDFs --------------------------------------------------------------------------

    def pdf(self, name: str) -> PdfStatus:
        """The PDF of edition ``name`` for the current files: built now (one
        at a time) unless the last one is still current."""
        edition, internal = self.edition(name)
        if edition is None:
            return PdfStatus("failed", problems=self._load().problems)
        with self._pdf_lock:
            generation = self.generation
            status = self._pdfs.get(name)
            if (status is not None and status.state == "done" and
                    status.generation == generation and status.path and status.path.is_file()):
                return status
            self._set_pdf(name, PdfStatus("building", generation, time.monotonic()))
            status = PdfStatus("failed", generation)
            try:
                result = build(self.project, output=self.pdf_folder,
                               mechanisms=[edition.mechanism.key],
                               languages=[edition.language], internal=internal, jobs=1)
            except ValidationFailed as failed:  # its errors: the page lists the warnings
                status.problems = [problem for problem in failed.problems
                                   if problem.severity == "error"] or failed.problems
            except ShadowReportError as exc:
                status.problems = [_problem(str(exc))]
            else:
                built = result.built[0]
                status = PdfStatus("done", generation, 0.0, built.seconds, built.pages,
                                   built.path)
            matcher = self._known[1]
            if not internal and matcher is not None:
                status.problems = redact(status.problems, matcher)
            self._set_pdf(name, status)
            return status

    def pdf_status(self, name: str) -> PdfStatus:
        return self._pdfs.get(name) or PdfStatus()

    def _set_pdf(self, name: str, status: PdfStatus) -> None:
        with self._changed:
            status.version = self.pdf_status(name).version + 1
            self._pdfs[name] = status
            self.changes += 1
            self._changed.notify_all()


def _problem(message: str) -> Problem:
    """A problem without a file: a template's error, a refused override."""
    return Problem("", 0, 0, message)


def _language_name(code: str) -> str:
    try:
        return Locale.parse(code).get_display_name(Locale.parse(code)) or code
    except (ValueError, LookupError):
        return code


def _located(problem: Problem) -> str:
    """A problem as a list item: its place, then what is wrong."""
    text = str(problem)
    if not problem.path:
        return f"<li>{html_text.escape(problem.message)}</li>"
    where, _, what = text.partition(": ")
    return f"<li><code>{html_text.escape(where)}</code> {html_text.escape(what)}</li>"


def _banner(errors: list[Problem], warnings: list[Problem], untranslated: list[str],
            note: str) -> str:
    """The problems of a page, errors first, located."""
    parts = []
    if errors:
        parts.append(f'<section class="preview-errors" role="alert"><h2>{len(errors)} problem(s)'
                     f'{": " + html_text.escape(note) if note else ""}</h2><ul>'
                     + "".join(_located(problem) for problem in errors) + "</ul></section>")
    if warnings:
        parts.append(f'<details class="preview-warnings"><summary>{len(warnings)} warning(s)'
                     "</summary><ul>" + "".join(_located(problem) for problem in warnings)
                     + "</ul></details>")
    if untranslated:
        parts.append(f'<details class="preview-untranslated"><summary>{len(untranslated)} '
                     "text(s) shown untranslated, tinted blue</summary><ul>"
                     + "".join(f"<li>{html_text.escape(text)}</li>" for text in untranslated)
                     + "</ul></details>")
    if not parts:
        return ""
    return '<div class="preview-banner" data-preview>' + "".join(parts) + "</div>"


def _empty_document(name: str, body: str, *, title: str = "") -> str:
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html_text.escape(title or name)} – shadow-report preview</title></head>"
            f'<body class="preview-page"><main class="preview-plain">{body}</main></body></html>')


def _inject(document: str, top: str) -> str:
    """The preview's stylesheet, bar and script in a document; the rest as it is."""
    head = '<link rel="stylesheet" href="/_preview/preview.css">'
    script = '<script src="/_preview/preview.js"></script>'
    document = _insert(document, re.compile(r"</head>", re.I), head, before=True)
    document = _insert(document, re.compile(r"<body\b[^>]*>", re.I), top, before=False)
    return _insert(document, re.compile(r"</body>", re.I), script, before=True)


def _insert(document: str, where: re.Pattern, text: str, *, before: bool) -> str:
    """``text`` before the last match of ``where`` or after the first."""
    found = list(where.finditer(document))
    if not found:
        return document + text if before else text + document
    at = found[-1].start() if before else found[0].end()
    return document[:at] + text + document[at:]


# --- the web server ----------------------------------------------------------------------


def allowed_hosts(host: str) -> set[str]:
    """The names a request's Host header may give for a server listening on
    ``host``: loopback names; for another address, it and this machine's names."""
    names = set(LOOPBACK_NAMES)
    if not is_loopback(host):
        names |= {host.lower(), socket.gethostname().lower(), socket.getfqdn().lower()}
    return names


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_allowed(header: str | None, names: set[str], *, any_address: bool) -> bool:
    """Whether a request's Host header names this server: a name of ``names``,
    a loopback address, or (``any_address``) any IP address. A name that a
    hostile DNS server points at 127.0.0.1 is refused (DNS rebinding)."""
    if not header:
        return False
    host = header.strip().lower()
    if host.startswith("["):
        name, bracket, rest = host[1:].partition("]")
        if not bracket or (rest and not re.fullmatch(r":\d+", rest)):
            return False
    else:
        name, _, port = host.partition(":")
        if port and not port.isdigit():
            return False
    name = name.rstrip(".")
    if name in names:
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or any_address


class PreviewServer(ThreadingHTTPServer):
    """The preview's web server, with its :class:`Preview` and watcher thread."""

    daemon_threads = True

    def __init__(self, preview: Preview, host: str, port: int):
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), _Handler)
        self.preview = preview
        self.hosts = allowed_hosts(host)
        self.any_address = not is_loopback(host)
        self.verbose = False

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        if host in ("0.0.0.0", "::"):
            shown = "127.0.0.1"
        return f"http://{shown}:{port}/"

    def start(self, *, serve: bool) -> PreviewServer:
        """Start watching, and serving too (in a thread) if ``serve``."""
        self.preview.helper(self.preview.watch, name="preview-watch")
        if serve:  # (stopped within 0.1 s by close())
            threading.Thread(target=self.serve_forever, args=(0.1,), daemon=True,
                             name="preview-serve").start()
        return self

    def close(self) -> None:
        self.preview.close()
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "shadow-report-preview"
    sys_version = ""

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base's name
        if self.server.verbose:
            super().log_message(format, *args)

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's name
        self._respond(head=True)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self._respond(head=False)

    def _respond(self, *, head: bool) -> None:
        try:
            if not host_allowed(self.headers.get("Host"), self.server.hosts,
                                any_address=self.server.any_address):
                self._send(403, "text/plain", b"refused: this server answers only to "
                                              b"requests for localhost (Host header)\n")
                return
            self._route(head)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went away
        except NotFound as exc:
            self._send(404, "text/plain", f"not found: {exc}\n".encode(), head=head)
        except (RefusedResource, RenderError):  # outside the assets: said without a path
            self._send(404, "text/plain", b"not found\n", head=head)
        except Exception as exc:  # noqa: BLE001 - a bug of ours must not stop the server
            print(f"preview: internal error on {self.path}: {type(exc).__name__}: {exc}",
                  file=sys.stderr)
            self._send(500, "text/plain", b"internal error of shadow-report: see the "
                                          b"terminal\n", head=head)

    def _route(self, head: bool) -> None:
        if not self.path.startswith("/"):
            self._send(400, "text/plain", b"bad request\n")
            return
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        segments = path.split("/")[1:]
        if any(segment in (".", "..") for segment in segments) or "//" in path or \
                "\\" in path or "\x00" in path:
            self._send(400, "text/plain", b"refused: not a path this server serves\n")
            return
        preview = self.server.preview
        if path == "/favicon.ico":
            self._send(204, "text/plain", b"", head=head)
        elif path in ("/", "/index.html"):
            self._page(preview.page("index"), head)
        elif path == "/_preview/events" and not head:
            self._events(parse_qs(parts.query).get("page", ["index"])[0])
        elif path in ("/_preview/preview.css", "/_preview/preview.js"):
            file = HERE / path.rsplit("/", 1)[1]
            self._file(file, head, cache="no-cache")
        elif path.startswith("/_asset/"):
            self._asset(resolve_asset("asset:" + quote(path[len("/_asset/"):]),
                                      preview.project), head)
        elif path.startswith("/templates/"):
            self._asset(resolve_asset((preview.project.root / path[1:]).as_uri(),
                                      preview.project), head)
        elif path.endswith(".html"):
            self._page(preview.page(path[1:-len(".html")]), head)
        elif path.endswith(".pdf"):
            self._pdf(path[1:-len(".pdf")], head)
        else:
            raise NotFound(path)

    def _page(self, page: Page, head: bool) -> None:
        self._send(200, "text/html; charset=utf-8", page.body, head=head,
                   extra={"Content-Security-Policy": CSP, "ETag": f'"{page.etag}"'})

    def _asset(self, path: Path, head: bool) -> None:
        if path.suffix.lower() not in ASSET_TYPES:
            raise RefusedResource(f"not an asset: {path.name}")
        self._file(path, head, cache="max-age=3600" if path.parent == FONTS_DIR
                   else "no-cache")

    def _file(self, path: Path, head: bool, *, cache: str) -> None:
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if mime.startswith("text/") or mime in ("application/javascript",
                                                "text/javascript"):
            mime += "; charset=utf-8"
        data = path.read_bytes()
        if path.suffix == ".css":
            data = _ASSET_URL.sub(r"\1/_asset/\2", data.decode("utf-8", "replace")).encode()
        self._send(200, mime, data, head=head, cache=cache)

    def _pdf(self, name: str, head: bool) -> None:
        status = self.server.preview.pdf(name)
        if status.state == "done" and status.path is not None:
            data = status.path.read_bytes()
            self._send(200, "application/pdf", data, head=head,
                       extra={"Content-Disposition": f'inline; filename="{name}.pdf"'})
            return
        items = "".join(_located(problem) for problem in status.problems)
        body = _empty_document(name, f"<h1>{html_text.escape(name)}.pdf could not be built"
                                     f'</h1><ul class="preview-problems">{items}</ul>',
                               title=f"{name}.pdf")
        self._send(422, "text/html; charset=utf-8",
                   _inject(body, "").encode(), head=head,
                   extra={"Content-Security-Policy": CSP})

    def _events(self, name: str) -> None:
        """Server-Sent Events: the page's version whenever it changes, and
        the state of its PDF; the page reloads when its version is not its own."""
        preview = self.server.preview
        if name != "index":
            preview.edition(name)  # NotFound before the stream starts
        self.send_response(200)
        self._headers("text/event-stream", cache="no-store")
        self.end_headers()
        self.wfile.write(b"retry: 500\n\n")
        sent_page, sent_pdf = None, 0
        while not preview.closing:
            seen = preview.changes
            try:
                page = preview.page(name)
            except NotFound:  # the edition is no longer made: the page says so
                page = Page(b"", "gone")
            if page.etag != sent_page:
                self.wfile.write(f"event: page\ndata: {page.etag}\n\n".encode())
                sent_page = page.etag
            status = preview.pdf_status(name)
            if status.version != sent_pdf:
                self.wfile.write(f"event: pdf\ndata: "
                                 f"{status.as_json(preview.generation)}\n\n".encode())
                sent_pdf = status.version
            if preview.wait(seen, KEEPALIVE_SECONDS) == seen:
                self.wfile.write(b": still here\n\n")

    def _send(self, code: int, mime: str, body: bytes, *, head: bool = False,
              cache: str = "no-store", extra: dict | None = None) -> None:
        self.send_response(code)
        self._headers(mime, cache=cache, length=len(body), extra=extra)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _headers(self, mime: str, *, cache: str, length: int | None = None,
                 extra: dict | None = None) -> None:
        self.send_header("Content-Type", mime)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "DENY")
        for key, value in (extra or {}).items():
            self.send_header(key, value)


def start_server(project: Project, *, host: str | None = None, port: int | None = None,
                 internal: bool = False, background: bool = False) -> PreviewServer:
    """A preview server for ``project``, bound and watching; serving in a
    thread if ``background`` (else call its ``serve_forever``).

    ``host`` defaults to 127.0.0.1; ``port`` to 8000, or any free port when
    8000 is taken (0 asks for any free port).
    """
    preview = Preview(project, internal=internal)
    address = host or "127.0.0.1"
    try:
        server = PreviewServer(preview, address, DEFAULT_PORT if port is None else port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE and port is None:
            server = PreviewServer(preview, address, 0)
        elif exc.errno == errno.EADDRINUSE:
            raise ShadowReportError(f"port {port} is in use (another preview?): choose "
                                    "another with --port N, or --port 0 for any free "
                                    "port") from None
        else:
            raise ShadowReportError(f"cannot listen on {address}:{port}: "
                                    f"{exc.strerror or exc}") from None
    return server.start(serve=background)


def serve(project: Project, *, host: str | None = None, port: int | None = None,
          internal: bool = False, browser: bool = True, verbose: bool = False) -> int:
    """Run the preview until Ctrl-C (the ``preview`` command)."""
    server = start_server(project, host=host, port=port, internal=internal)
    server.verbose = verbose
    if host is not None and not is_loopback(host):
        print(f"warning: listening on {host}, not only on this machine: anyone who can "
              f"reach it on port {server.server_address[1]} can read the draft report"
              + (", the internal editions with the real names and confidential details "
                 "included" if internal else "")
              + ". Leave out --host to keep it on this machine.", file=sys.stderr)
    print(f"Live preview of {project.root} at {server.url}", flush=True)
    if internal:
        print("Internal editions (real names, confidential details) are served too: "
              f"{server.url}<edition>.internal.html", flush=True)
    print("The pages follow your edits of content/, locales/ and templates/. Ctrl-C stops "
          "the preview.", flush=True)
    if browser and _has_display():
        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt as exc:  # Ctrl-C ends a preview; SIGTERM exits 143
        print("preview stopped", file=sys.stderr)
        return getattr(exc, "exit_status", 0)
    finally:
        server.preview.close()
        server.preview.join(timeout=10)
        server.server_close()
    return 0


def _has_display() -> bool:
    """Whether a browser can open a window: on Linux, without X or Wayland,
    :mod:`webbrowser` would start a text browser in this terminal."""
    if sys.platform.startswith(("darwin", "win")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
