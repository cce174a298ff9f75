"""The whole pipeline: load and check content, plan, render, lay out, write.

It reads as the list of stages. The content and catalogs are checked before
any HTML is rendered; each edition's PDF and Word file are made from its HTML
as soon as it is rendered and checked, while the next is rendered. Each file
is written to a temporary file, read back and checked, and they are moved
into place only when every one of the build is complete: a broken reference,
template or file leaves the earlier files as they were.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from secrets import token_hex

from builder.cache import (
    BuildCache,
    CleanTexts,
    CleanVerdicts,
    catalog_times,
    package_state,
    project_state,
    read_regular,
    templates_state,
)
from builder.catalogs import catalog_files, languages_in, unique
from builder.check import EditionCheck, accepts, applied_rules, check_edition
from builder.confidential import (
    Leak,
    catalog_leaks,
    content_leaks,
    edition_leaks,
    internal_view,
    leak_matcher,
    public_view,
    redact,
    withheld_contexts,
)
from builder.content import Content, load_content
from builder.errors import (
    FootnoteLayoutError,
    LeakError,
    OutputError,
    Problem,
    ProjectError,
    RenderError,
    ValidationFailed,
)
from builder.jobs import MODULES, DocxDone, DocxJob, PdfDone, PdfJob, make_output
from builder.mechanisms import MECHANISMS, Mechanism
from builder.plan import plan_report
from builder.project import Project
from builder.render import ENTRY_IDS, PARAGRAPH, ibid_in_full, render_edition
from builder.terminology import edition_terms
from builder.translate import (
    Fallback,
    content_catalog,
    edition_language,
    template_catalog,
    translate_content,
)
from builder.variants import DEFAULT_VARIANT
from builder.workers import Workers, scratch_folder


@dataclass(frozen=True)
class Edition:
    mechanism: Mechanism
    language: str

    @property
    def name(self) -> str:
        return f"{self.mechanism.key}-{self.language}"


# The outputs a build can write, each edition in each: "pdf" (laid out by
# WeasyPrint) and "docx" (Word, builder.outputs.docx).
FORMATS = ("pdf", "docx")


def output_name(edition: str, kind: str, internal: bool = False) -> str:
    """``upr-en.pdf``, ``upr-en.docx``; ``upr-en.internal.docx`` for an
    internal edition, a name that cannot be mistaken for a public file."""
    return f"{edition}{'.internal' if internal else ''}.{kind}"


@dataclass
class Built:
    edition: Edition
    path: Path
    pages: int  # 0 for a Word file: Word lays out its pages itself
    seconds: float
    warnings: list[str] = field(default_factory=list)
    fallbacks: list[Fallback] = field(default_factory=list)
    reused: bool = False  # kept from the last build: nothing it is made from changed
    stages: tuple[tuple[str, float], ...] = ()  # seconds per stage of its layout
    kind: str = "pdf"  # one of FORMATS
    words: int | None = None  # a Word file's words, as the check counts them


@dataclass
class LeftOut:
    """An edition a release build did not build, and why."""

    edition: Edition
    reasons: list[str]
    removed: tuple[Path, ...] = ()  # its files from an earlier build, removed

    def remove_earlier(self, output: Path, names: list[str]) -> None:
        """A release folder holds the editions of this release only: an earlier
        PDF or Word file of this edition would be taken for one of them."""
        for name in names:
            earlier = output / name
            try:
                earlier.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise OutputError(f"{earlier}: an earlier file of an edition left out of "
                                  f"this release cannot be removed: {exc.strerror}") from None
            self.removed += (earlier,)


@dataclass
class BuildResult:
    built: list[Built]
    warnings: list[Problem]
    seconds: float
    checks: list[EditionCheck] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    # Seconds spent in each stage of this process (for --verbose).
    stages: list[tuple[str, float]] = field(default_factory=list)
    unchanged: bool = False  # nothing changed since the last build: nothing was done

    @property
    def submittable(self) -> bool:
        """No edition meant for submission breaks its mechanism's rules."""
        return not any(check.failed for check in self.checks)


def editions_languages(project: Project, content: Content) -> list[str]:
    """The languages a project builds: as listed in report.yaml, else the source
    language and every language with a content catalog."""
    report = content.report
    if report.languages:
        return unique([report.source_language, *report.languages])
    return unique([report.source_language, *languages_in(project.locales)])


def select_editions(project: Project, content: Content, mechanisms: list[str] | None,
                    languages: list[str] | None) -> list[Edition]:
    """The editions to build: those asked for, else every mechanism and language."""
    if mechanisms:
        unknown = [m for m in mechanisms if m not in MECHANISMS]
        if unknown:
            raise ProjectError(f"unknown mechanism {', '.join(unknown)}: "
                               f"choose from {', '.join(MECHANISMS)}")
        chosen = [MECHANISMS[m] for m in MECHANISMS if m in mechanisms]
    else:
        chosen = [m for m in MECHANISMS.values()
                  if getattr(content.report.mechanisms, m.key).build]
    available = editions_languages(project, content)
    if languages:
        unknown = [code for code in languages if code not in available]
        if unknown:
            raise ProjectError(f"no {', '.join(unknown)} edition: this project builds "
                               f"{', '.join(available)} (add a language with "
                               "'shadow-report i18n init LANG')")
        available = [code for code in available if code in languages]
    return [Edition(m, code) for m in chosen for code in available]


def build(project: Project, *, output: Path | None = None,
          mechanisms: list[str] | None = None, languages: list[str] | None = None,
          strict: bool = False, on_laid_out: Callable | None = None,
          jobs: int = 0, variant: str | None = DEFAULT_VARIANT,
          internal: bool = False, force: bool = False, reuse: bool = True,
          formats: tuple[str, ...] = ("pdf",)) -> BuildResult:
    """Build the requested editions of ``project`` into ``output``.

    ``formats`` are the outputs of each edition: ``pdf``, ``docx`` (Word) or
    both. ``jobs`` is how many files are made at once (default: one per CPU);
    ``on_laid_out(edition, done, path)`` is called as each one is made, or
    found up to date (``done.reused``). A public build (the default) leaves
    out confidential data and checks every file for it; ``internal`` builds
    the confidential editions instead, named ``*.internal.pdf`` and
    ``*.internal.docx`` and marked on every page. A file whose inputs did not
    change since the last build into ``output`` is kept as it is
    (:mod:`builder.cache`), unless ``force``; ``reuse=False`` neither reads
    nor records the last build.
    """
    started = time.perf_counter()
    clock = _Stages(started)
    jobs = jobs or os.cpu_count() or 1
    variant = None if variant == "none" else variant
    output = output or project.root / "output"
    unknown = [kind for kind in formats if kind not in FORMATS]
    if unknown or not formats:
        raise ProjectError(f"unknown output format {', '.join(unknown) or '(none)'}: choose "
                           f"from {', '.join(FORMATS)}")
    formats = tuple(kind for kind in FORMATS if kind in formats)
    cache = BuildCache(output) if reuse else None
    fingerprint = _fingerprint(project, cache, (mechanisms, languages, strict, variant,
                                                internal, formats))
    if cache is not None and not force:
        last = cache.unchanged(fingerprint)
        if last is not None:
            return _unchanged(last, on_laid_out, started)
    clock.lap("inputs compared with the last build")

    # The workers start before the content is loaded: they load WeasyPrint
    # meanwhile. As many as files may be made at once, at most.
    most = (len(set(mechanisms)) if mechanisms else len(MECHANISMS)) \
        * (len(set(languages)) if languages else jobs) * len(formats)
    modules = tuple(module for kind in formats for module in MODULES[kind])
    with scratch_folder() as scratch, Workers(min(jobs, most), scratch, modules) as workers:
        content = load_checked(project)
        editions = select_editions(project, content, mechanisms, languages)
        return _build(project, content, editions, output, workers, cache, fingerprint,
                      clock, strict=strict, languages=languages, on_laid_out=on_laid_out,
                      variant=variant, internal=internal, force=force, formats=formats)


def _build(project: Project, content: Content, editions: list[Edition], output: Path,
           workers: Workers, cache: BuildCache | None, fingerprint: str, clock: _Stages, *,
           strict: bool, languages: list[str] | None, on_laid_out: Callable | None,
           variant: str | None, internal: bool, force: bool, formats: tuple[str, ...]
           ) -> BuildResult:
    """The build's stages once the content is loaded, while the workers that
    will lay out the PDFs start (see :class:`builder.workers.Workers`)."""
    matcher = None if internal else leak_matcher(content)
    # Each warning with the language of the editions it concerns (None: all).
    concerning: list[tuple[Problem, str | None]] = [
        (warning, None) for warning in
        (content.warnings if matcher is None else redact(content.warnings, matcher))]
    clock.lap("content loaded and checked")

    localised = {}
    frame = {}  # language -> its words for a Word edition's page frame
    for code in unique(edition.language for edition in editions):
        localised[code] = localise(project, content, code)
        concerning += [(_as_warning(p), code) for p in localised[code].problems]
        frame[code] = _page_words(project, localised[code], internal)
    clock.lap("catalogs loaded and checked")

    required = _required(content, editions, languages)
    # A release build makes only what it will keep: nothing if the content has
    # a problem, no edition of a language whose catalogs have one, none with
    # untranslated text (see _release, which has the last word).
    refused_languages = {code for _, code in concerning} if strict else set()
    rendered = []
    printed: dict[str, list[str]] = {}  # edition -> owners of values its HTML holds
    secrets = tuple(matcher.needles) if matcher else ()
    outputs = _Outputs(formats, internal, variant, secrets, frame)
    with contextlib.ExitStack() as held:
        made = _Made(project, output, workers, cache, outputs, force=force,
                     on_laid_out=on_laid_out,
                     hold=lambda: held.enter_context(_only_build(output, project)))
        try:
            for edition in editions:
                html, fallbacks = edition_html(project, content, localised[edition.language],
                                               edition.mechanism, internal=internal)
                _check_paragraph_numbers(edition, html)
                if matcher is not None:
                    printed[edition.name] = edition_leaks(html, matcher)
                rendered.append((edition, html, fallbacks))
                # Made while the next editions are rendered, unless its HTML holds
                # a confidential value or the build is to leave it out. (The content
                # and catalogs are searched after: a value found there fails the
                # build, which then stops its workers and removes what they wrote.
                # The HTML was searched, and each PDF is read back and searched.)
                if not printed.get(edition.name) and not (
                        None in refused_languages or edition.language in refused_languages
                        or (strict and fallbacks)):
                    made.add(edition, html)
            clock.lap(f"HTML of {len(editions)} edition(s), with its leak check")
            leaks = [] if matcher is None else project_leaks(
                project, content, matcher, unique(edition.language for edition in editions))
            clock.lap("leak check of the content and catalogs")
            warnings = [_in_editions(warning, code, content, rendered)
                        for warning, code in concerning]
            if leaks:
                raise ValidationFailed([leak.in_editions([name for name, owners
                                                          in printed.items()
                                                          if leak.owner in owners])
                                        for leak in leaks])
            for name, owners in printed.items():
                if owners:  # not in the content or the catalogs: the templates printed it
                    raise LeakError(name, owners, "its HTML, from the templates (check the "
                                                  "project's templates/ overrides)")
            left_out: list[LeftOut] = []
            if strict:
                rendered, left_out = _release(rendered,
                                              list(zip(concerning, warnings, strict=True)),
                                              required)
                # What concerns only the editions left out is said in their summary.
                warnings = [warning for (_, code), warning
                            in zip(concerning, warnings, strict=True)
                            if code is None or any(edition.language == code
                                                   for edition, *_ in rendered)]
            assert {edition.name for edition, *_ in rendered} == set(made.added)
            made.hold()
            built, checks, late = _write_outputs(content, output, rendered, made,
                                                 strict=strict, required=required)
        finally:
            made.remove_temporaries()
        clock.lap({("pdf",): "PDFs laid out, written and checked",
                   ("docx",): "Word files written and checked"}.get(
                       formats, "PDFs laid out, Word files written, all checked"))
        left_out += late
        for omitted in left_out:  # its files of every format: none is of this release
            omitted.remove_earlier(output, [output_name(omitted.edition.name, kind, internal)
                                            for kind in FORMATS])
        result = BuildResult(built, sorted(set(warnings)), time.perf_counter() - clock.started,
                             checks, left_out, clock.stages)
        if cache is not None:
            cache.save(fingerprint, {built.path.name: (made.keys[built.edition.name, built.kind],
                                                       made.done[built.edition.name, built.kind])
                                     for built in built}, result)
    return result


class _Made:
    """The files of a build, each edition in each format, handed to the
    workers as soon as the edition's HTML is rendered and checked, or found
    up to date in the output folder.

    Each file is written by the worker that makes it to a temporary file in
    the output folder (which the worker removes if it is stopped), moved into
    place only when every file of the build is ready (:func:`_write_outputs`).
    ``hold`` takes the output folder for the build: done before the first
    file is started.
    """

    def __init__(self, project: Project, output: Path, workers: Workers,
                 cache: BuildCache | None, outputs: _Outputs, *, force: bool,
                 on_laid_out: Callable | None, hold: Callable[[], None]) -> None:
        self.project, self.output, self.workers, self.cache = project, output, workers, cache
        self.outputs, self.force, self.on_laid_out, self._hold = outputs, force, on_laid_out, hold
        self.held = False
        self.added: list[str] = []
        self.keys: dict[tuple[str, str], str] = {}  # (edition, format) -> rebuild key
        self.done: dict[tuple[str, str], PdfDone | DocxDone] = {}  # what making it gave
        self.temporaries: dict[tuple[str, str], Path] = {}
        templates = templates_state(project) if cache is not None and cache.usable else None
        # No cache, or an unreadable template: nothing is reused.
        self._common = None if templates is None else (
            package_state(), templates, outputs.internal,
            tuple(sorted(repr(needle) for needle in outputs.secrets)))
        self._saved = catalog_times(project) if self._common is not None else {}

    def hold(self) -> None:
        if not self.held:
            self._hold()
            self.held = True

    def add(self, edition: Edition, html: str) -> None:
        """Start making ``edition`` in every format, except a file up to date."""
        self.hold()
        self.added.append(edition.name)
        outputs = self.outputs
        for kind in outputs.formats:
            target = self.output / output_name(edition.name, kind, outputs.internal)
            # The file's HTML and everything else it is made from: the format, the
            # package's code, fonts and stylesheets, the project's templates, the
            # options, a Word edition's page words, the confidential values it is
            # checked against, and when its language's catalogs were saved.
            self.keys[edition.name, kind] = key = "" if self._common is None else \
                self.cache.edition_key(
                    "edition", edition.name, kind, html.encode("utf-8"), self._common,
                    outputs.variant if kind == "pdf" else outputs.frame[edition.language],
                    self._saved.get(edition.language, ()))
            reused = None if self.force or not key else \
                self.cache.reusable(target.name, key)
            if reused is not None:
                self.done[edition.name, kind] = replace(reused, reused=True)
                if self.on_laid_out:
                    self.on_laid_out(edition, self.done[edition.name, kind], target)
                continue
            temporary = self.output / f".{edition.name}.{os.getpid()}-{token_hex(4)}.part"
            self.temporaries[edition.name, kind] = temporary
            # Shared out so that the workers finish at about the same time: by
            # how long the file took last time, else by the length of its HTML
            # (the quick Word files count as nothing).
            self.workers.submit((edition, kind), make_output,
                                outputs.job(kind, edition, html, self.project, temporary),
                                size=len(html) if kind == "pdf" else 0,
                                expected=None if self.cache is None
                                else self.cache.last_seconds(target.name))

    def finish(self) -> dict[tuple[str, str], PdfDone | DocxDone]:
        """Wait for every file started; what making each gave."""
        for (edition, kind), result in self.workers.finished():
            self.done[edition.name, kind] = result
            if self.on_laid_out:
                self.on_laid_out(edition, result, self.output / output_name(
                    edition.name, kind, self.outputs.internal))
        return self.done

    def remove_temporaries(self) -> None:
        for temporary in self.temporaries.values():
            temporary.unlink(missing_ok=True)


@dataclass(frozen=True)
class _Outputs:
    """What each edition is made into, and how."""

    formats: tuple[str, ...]
    internal: bool
    variant: str | None  # the PDF standard
    secrets: tuple  # the needles a public file is checked against
    frame: dict[str, tuple[str, str]]  # language -> a Word edition's page words

    def job(self, kind: str, edition: Edition, html: str, project: Project,
            temporary: Path) -> PdfJob | DocxJob:
        if kind == "docx":
            label, mark = self.frame[edition.language]
            return DocxJob(html, temporary, self.secrets, edition.name, label, mark)
        return PdfJob(html, project.root, temporary, self.variant, self.secrets, edition.name)


def _page_words(project: Project, localised: Localised, internal: bool) -> tuple[str, str]:
    """"Page {page} of {pages}" and, for an internal edition, "CONFIDENTIAL",
    in the edition's language, as its PDF prints them in the page margins."""
    language = edition_language(project, localised.language, localised.catalog)
    label = language.gettext("Page %(page)s of %(pages)s")
    try:
        label = label % {"page": "{page}", "pages": "{pages}"}
    except (KeyError, ValueError, TypeError):
        label = "{page} / {pages}"
    return label, language.gettext("CONFIDENTIAL") if internal else ""


class _Stages:
    """The seconds each stage of a build took, for --verbose."""

    def __init__(self, started: float) -> None:
        self.started = self.last = started
        self.stages: list[tuple[str, float]] = []

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages.append((stage, now - self.last))
        self.last = now


def _fingerprint(project: Project, cache: BuildCache | None, options: tuple) -> str:
    """Everything a build is made from, as one signed digest ("" when the
    cache cannot be used or a file cannot be read)."""
    if cache is None or not cache.usable:
        return ""
    state = project_state(project)
    if state is None:
        return ""
    return cache.edition_key("build", state, catalog_times(project), package_state(), options)


def _unchanged(last: BuildResult, on_laid_out: Callable | None, started: float
               ) -> BuildResult:
    """The last build's result, shown again: nothing it is made from changed."""
    built = [replace(item, reused=True) for item in last.built]
    if on_laid_out:
        for item in built:
            on_laid_out(item.edition, item, item.path)
    left_out = [replace(omitted, removed=()) for omitted in last.left_out]
    seconds = time.perf_counter() - started
    return replace(last, built=built, left_out=left_out, seconds=seconds,
                   stages=[("inputs compared with the last build", seconds)], unchanged=True)


def _required(content: Content, editions: list[Edition], languages: list[str] | None
              ) -> set[str]:
    """The editions a release must build complete: those a mechanism accepts
    for submission, and every edition of a language asked for by name."""
    return {edition.name for edition in editions
            if (languages is not None and edition.language in languages)
            or accepts(applied_rules(edition.mechanism, content), edition.language)}


def _release(rendered: list, warnings: list, required: set[str]) -> tuple[list, list]:
    """A release build's verdict before layout: refuse every problem of the
    content and of the editions it must build; leave out an advocacy edition
    whose translation is unfinished or broken, without blocking the others.
    ``warnings`` pairs each (warning, language or None) with its shown form."""
    refused = [_as_error(shown) for (_, code), shown in warnings if code is None]
    kept, left_out = [], []
    for item in rendered:
        edition, _, fallbacks = item
        problems = [_as_error(shown) for (_, code), shown in warnings
                    if code == edition.language]
        if edition.name in required:
            refused += problems + [
                Problem(f"{edition.name}.pdf", 0, 0, f"no usable translation: {fallback}")
                for fallback in fallbacks]
        if edition.name not in required and (problems or fallbacks):
            left_out.append(LeftOut(edition, _reasons(problems, fallbacks)))
        else:
            kept.append(item)
    if refused:  # a catalog's problem is listed once, not once per edition
        raise ValidationFailed(list(dict.fromkeys(refused)))
    return kept, left_out


def _reasons(problems: list[Problem], fallbacks: list[Fallback]) -> list[str]:
    """Why an edition is not ready, in a few lines: its untranslated texts
    counted by catalog and reason, then the problems of its catalogs."""
    counts = Counter((fallback.catalog, fallback.reason.split(":")[0])
                     for fallback in fallbacks)
    return [f"{catalog}: {count} text(s) {reason}"
            for (catalog, reason), count in counts.items()] + [
        f"{problem.path}:{problem.line}: {problem.message}" if problem.line
        else f"{problem.path}: {problem.message}" for problem in problems]


def load_checked(project: Project) -> Content:
    """The content, as :func:`load_content` reads it; when it has errors, the
    leak check still runs on its valid part, so that every problem is listed
    at once, and no message repeats a confidential value."""
    try:
        return load_content(project)
    except ValidationFailed as failed:
        partial = getattr(failed, "partial", None)
        if partial is None:
            raise
        matcher = leak_matcher(partial)
        leaks = project_leaks(project, partial, matcher, editions_languages(project, partial))
        raise ValidationFailed(redact(failed.problems, matcher)
                               + [leak.problem for leak in leaks]) from None


def project_leaks(project: Project, content: Content, matcher, languages: list[str]
                  ) -> list[Leak]:
    """Confidential values in the content's public text and ids, and in every
    catalog of ``languages`` (history included), each with its file and line.

    A text found clean before, with the same confidential values and the same
    package, is not searched again (:class:`CleanTexts`)."""
    clean = CleanTexts((sorted(repr(needle) for needle in matcher.needles), package_state()))
    leaks = content_leaks(content, _Remembering(matcher, clean))
    clean.save()
    return leaks + catalogs_leaks(project, content, matcher, languages)


class _Remembering:
    """A leak matcher that searches only the texts not found clean before."""

    def __init__(self, matcher, clean: CleanTexts) -> None:
        self.matcher, self.clean = matcher, clean

    def find(self, text: str) -> list:
        if self.clean.clean(text):
            return []
        hits = self.matcher.find(text)
        if not hits:
            self.clean.record(text)
        return hits

    def __getattr__(self, name: str):
        return getattr(self.matcher, name)


def catalogs_leaks(project: Project, content: Content, matcher, languages: list[str]
                   ) -> list[Leak]:
    """Confidential values in every catalog of ``languages``, history included.

    A catalog found clean before, with the same bytes, the same confidential
    values and the same package, is not searched again (:class:`CleanVerdicts`).
    """
    withheld = withheld_contexts(content)
    verdicts = CleanVerdicts()
    searched_for = (sorted(repr(needle) for needle in matcher.needles),
                    sorted(withheld.items()), package_state())
    found = []
    for path in catalog_files(project, languages):
        data = read_regular(path)
        token = None if data is None else verdicts.token("catalog", searched_for, data)
        if verdicts.clean(token):
            continue
        raw = None if data is None else \
            data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
        leaks = catalog_leaks(path, project.relative(path), matcher, withheld, raw,
                              ours=project.holds(path))
        if not leaks:
            verdicts.record(token)
        found += leaks
    return found


def _write_outputs(content: Content, output: Path, rendered: list, made: _Made, *,
                   strict: bool, required: set[str] = frozenset()
                   ) -> tuple[list[Built], list[EditionCheck], list[LeftOut]]:
    """Wait for every file (each edition in each format), check them, then
    move them into place.

    The files replace earlier ones only when every file of the build is
    complete and passed its checks (with ``strict``, the submission rules too,
    and an advocacy edition that is not ready is left out). On any failure or
    interruption the temporary files are removed (by the caller) and the
    earlier files stay as they were.
    """
    try:
        done = made.finish()
    except FootnoteLayoutError as error:
        raise ValidationFailed(_footnote_problems(content, error)) from None
    formats = made.outputs.formats
    checks = []
    for edition, html, fallbacks in rendered:
        pdf, docx = done.get((edition.name, "pdf")), done.get((edition.name, "docx"))
        # The words as printed: an "Ibid." that opens a page is printed in full.
        printed_html = ibid_in_full(html, list(pdf.in_full)) if pdf else html
        checks.append(check_edition(
            edition.name, edition.language, applied_rules(edition.mechanism, content),
            content, printed_html, pdf.pages if pdf else None, pdf.anchors if pdf else {},
            fallbacks, required=edition.name in required,
            docx=docx.count if docx else None))
    left_out: list[LeftOut] = []
    if strict:
        # (An advocacy edition with untranslated text was left out before layout.)
        refused = []
        for (edition, *_), check in zip(rendered, checks, strict=True):
            problems = [f"renderer: {message}" for kind in formats
                        for message in done[edition.name, kind].warnings]
            if check.required:
                refused += [Problem(f"{edition.name}.pdf", 0, 0, problem) for problem in
                            problems + [f"not ready for submission: {reason}"
                                        for reason in check.not_ready]]
            elif problems:
                left_out.append(LeftOut(edition, problems))
        if refused:
            raise ValidationFailed(refused)
    omitted = {item.edition.name for item in left_out}
    built = []
    for (edition, _, fallbacks), check in zip(rendered, checks, strict=True):
        if edition.name in omitted:
            continue
        for kind in formats:
            target = output / output_name(edition.name, kind, made.outputs.internal)
            temporary = made.temporaries.get((edition.name, kind))
            if temporary is not None:
                try:
                    os.chmod(temporary, 0o644)
                    os.replace(temporary, target)
                except OSError as exc:
                    raise OutputError(f"{target}: cannot be written: {exc.strerror}") \
                        from None
            result = done[edition.name, kind]
            built.append(Built(edition, target, result.pages, result.seconds,
                               result.warnings, fallbacks, result.reused, result.stages,
                               kind, check.docx_counted if kind == "docx" else None))
    return built, [check for check in checks if check.name not in omitted], left_out


@dataclass
class Localised:
    """The content and the template catalog of one language, with their problems."""

    language: str
    content: Content
    catalog: object
    problems: list[Problem]


def localise(project: Project, content: Content, code: str) -> Localised:
    catalog, problems = template_catalog(project, code)
    loaded, content_problems = content_catalog(project, content, code)
    translated, _ = translate_content(content, project, code, loaded)
    terms = edition_terms(project, code, content.report.source_language, catalog, loaded)
    return Localised(code, translated, catalog, problems + content_problems + terms)


def catalog_warnings(project: Project, content: Content, languages: list[str]
                     ) -> list[Problem]:
    """The problems of each language's catalogs (broken or stale entries, the
    glossary's terms) as warnings, as a build reports them: a broken entry
    is not used, and its text shows in English."""
    return [_as_warning(problem) for code in languages
            for problem in localise(project, content, code).problems]


def edition_html(project: Project, content: Content, localised: Localised,
                 mechanism: Mechanism, *, internal: bool = False) -> tuple[str, list]:
    """One edition's HTML and the texts it shows untranslated, as the build makes them."""
    view = internal_view(localised.content) if internal else public_view(localised.content)
    language = edition_language(project, localised.language, localised.catalog,
                                content.report.list_patterns.get(localised.language))
    accepted = applied_rules(mechanism, content).languages.value
    html, content_fallbacks = render_edition(plan_report(view, mechanism), language, project,
                                             tuple(accepted), internal=internal)
    return html, content_fallbacks + language.translations.fallbacks


def _footnote_problems(content: Content, error: FootnoteLayoutError) -> list[Problem]:
    """The notes an edition could not place, at the content entries that call them."""
    problems = []
    for stem, ident, detail in error.entries or [("report", "", "")]:
        located = content.files.get(stem)
        line = column = 0
        if located is not None and ident:
            index = next((n for n, entry in enumerate(content.collection(stem))
                          if entry.id == ident), None)
            if index is not None:
                line, column = located.where((index, "id"))
        path = located.path if located is not None else "content/report.yaml"
        where = f"the notes of entry {ident!r}" if ident else "the notes of the report's texts"
        problems.append(Problem(
            path, line, column,
            f"{error.edition}: {where}{f' ({detail} of the edition)' if detail else ''} "
            f"could not be laid out: {'; '.join(error.problems)}. This is a fault of "
            "shadow-report's page layout, not of the content: please report it with this "
            "entry; moving a citation within the text works around it"))
    return problems


# The HTML anchor of each entry of a collection that has one.
_ANCHORS = {collection: prefix for prefix, collection in ENTRY_IDS.items()} | {
    "sources": "source-"}
_ENTRY_KEY = re.compile(r"(?P<collection>[a-z-]+)\[(?P<index>\d+)\]")


def _in_editions(warning: Problem, language: str | None, content: Content,
                 rendered: list) -> Problem:
    """The warning, naming the editions being built that it concerns: those of
    its language (a catalog's warning), those that show its entry (an entry
    with an anchor in the HTML), those of its mechanism (report.yaml's
    ``mechanisms.<key>``), else every edition being built."""
    editions = [(edition, html) for edition, html, _ in rendered
                if language in (None, edition.language)]
    entry = _ENTRY_KEY.match(warning.key)
    if entry and entry["collection"] in _ANCHORS:
        entries = content.collection(entry["collection"])
        index = int(entry["index"])
        if index < len(entries):
            anchor = f'id="{_ANCHORS[entry["collection"]]}{entries[index].id}"'
            editions = [(edition, html) for edition, html in editions if anchor in html]
    elif warning.key.startswith("mechanisms."):
        key = warning.key.split(".")[1]
        editions = [(edition, html) for edition, html in editions
                    if edition.mechanism.key == key]
    if not editions:
        where = "in no edition being built"
    elif len(editions) == len(rendered) > 1:
        where = "in every edition being built"
    else:
        where = "in " + ", ".join(edition.name for edition, _ in editions)
    return replace(warning, message=f"{where}: {warning.message}")


def _check_paragraph_numbers(edition: Edition, html: str) -> None:
    """Paragraph numbers run 1, 2, 3 ... through the body, each used once."""
    numbers = [int(n) for n in PARAGRAPH.findall(html)]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RenderError(f"{edition.name}: paragraph numbers are not 1 to {len(numbers)} "
                          "in order (a template numbers paragraphs outside m.para?)")


def _as_warning(problem: Problem) -> Problem:
    return Problem(problem.path, problem.line, problem.column, problem.message,
                   problem.key, "warning")


def _as_error(problem: Problem) -> Problem:
    return Problem(problem.path, problem.line, problem.column, problem.message,
                   problem.key, "error")


@contextlib.contextmanager
def _only_build(output: Path, project: Project) -> Iterator[None]:
    """The output folder, prepared and held for this build alone: a second
    build into the same folder is refused at once (a lock on the folder,
    released by the system even when a build is killed)."""
    _prepare(output, project)
    descriptor = os.open(output, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"{output}: another build is writing into this folder; wait "
                              "for it to finish, or build into another folder with "
                              "--output") from None
        yield
    finally:
        os.close(descriptor)


def _prepare(output: Path, project: Project) -> None:
    for protected in (project.content, project.locales, project.templates):
        if output.resolve() == protected.resolve() or \
                protected.resolve() in output.resolve().parents:
            raise OutputError(f"{output}: refusing to write output inside "
                              f"{project.relative(protected)}/")
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{output}: cannot create the output folder: {exc.strerror}") \
            from None
    if not os.access(output, os.W_OK):
        raise OutputError(f"{output}: the output folder is not writable")
    # Temporary files of a build that was killed (kill -9 leaves no chance to
    # clean up): never a PDF of ours, so safe to remove.
    for stale in output.glob(".*.part"):
        if re.fullmatch(r"\.[a-z]+-[a-z]{2,3}\.[\w-]+\.part", stale.name):
            stale.unlink(missing_ok=True)
