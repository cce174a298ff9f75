"""The whole pipeline: load and check content, plan, render, lay out, write.

It reads as the list of stages. Everything is checked and every edition's HTML
rendered before the first PDF is touched, so a broken reference or template
leaves earlier PDFs as they were; each PDF is written to a temporary file and
moved into place only when complete.
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
    CleanVerdicts,
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
from builder.jobs import PDF_MODULES, PdfJob, make_pdf
from builder.mechanisms import MECHANISMS, Mechanism
from builder.plan import plan_report
from builder.project import Project
from builder.render import ENTRY_IDS, PARAGRAPH, render_edition
from builder.translate import Fallback, edition_language, template_catalog, translate_content
from builder.variants import DEFAULT_VARIANT
from builder.workers import Workers, scratch_folder


@dataclass(frozen=True)
class Edition:
    mechanism: Mechanism
    language: str

    @property
    def name(self) -> str:
        return f"{self.mechanism.key}-{self.language}"


@dataclass
class Built:
    edition: Edition
    path: Path
    pages: int
    seconds: float
    warnings: list[str] = field(default_factory=list)
    fallbacks: list[Fallback] = field(default_factory=list)
    reused: bool = False  # kept from the last build: nothing it is made from changed
    stages: tuple[tuple[str, float], ...] = ()  # seconds per stage of its layout


@dataclass
class LeftOut:
    """An edition a release build did not build, and why."""

    edition: Edition
    reasons: list[str]
    removed: Path | None = None  # its PDF from an earlier build, removed

    def remove_earlier(self, output: Path, suffix: str) -> None:
        """A release folder holds the editions of this release only: an earlier
        PDF of this edition would be taken for one of them."""
        earlier = output / f"{self.edition.name}{suffix}"
        try:
            earlier.unlink()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise OutputError(f"{earlier}: an earlier PDF of an edition left out of this "
                              f"release cannot be removed: {exc.strerror}") from None
        self.removed = earlier


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
          internal: bool = False, force: bool = False, reuse: bool = True) -> BuildResult:
    """Build the requested editions of ``project`` into ``output``.

    ``jobs`` is how many PDFs are laid out at once (default: one per CPU);
    ``on_laid_out(edition, done)`` is called as each one is laid out, or found
    up to date (``done.reused``). A public build (the default) leaves out
    confidential data and checks every PDF for it; ``internal`` builds the
    confidential editions instead, named ``*.internal.pdf`` and marked on
    every page. A PDF whose inputs did not change since the last build into
    ``output`` is kept as it is (:mod:`builder.cache`), unless ``force``;
    ``reuse=False`` neither reads nor records the last build.
    """
    started = time.perf_counter()
    clock = _Stages(started)
    jobs = jobs or os.cpu_count() or 1
    variant = None if variant == "none" else variant
    output = output or project.root / "output"
    suffix = ".internal.pdf" if internal else ".pdf"
    cache = BuildCache(output) if reuse else None
    fingerprint = _fingerprint(project, cache, (mechanisms, languages, strict, variant,
                                                internal))
    if cache is not None and not force:
        last = cache.unchanged(fingerprint)
        if last is not None:
            return _unchanged(last, on_laid_out, started)
    clock.lap("inputs compared with the last build")

    content = load_checked(project)
    editions = select_editions(project, content, mechanisms, languages)
    with scratch_folder() as scratch, \
            Workers(min(jobs, len(editions)), scratch, PDF_MODULES) as workers:
        return _build(project, content, editions, output, workers, cache, fingerprint,
                      clock, strict=strict, languages=languages, on_laid_out=on_laid_out,
                      variant=variant, internal=internal, force=force, suffix=suffix)


def _build(project: Project, content: Content, editions: list[Edition], output: Path,
           workers: Workers, cache: BuildCache | None, fingerprint: str, clock: _Stages, *,
           strict: bool, languages: list[str] | None, on_laid_out: Callable | None,
           variant: str | None, internal: bool, force: bool, suffix: str) -> BuildResult:
    """The build's stages once the content is loaded, while the workers that
    will lay out the PDFs start (see :class:`builder.workers.Workers`)."""
    matcher = None if internal else leak_matcher(content)
    # Each warning with the language of the editions it concerns (None: all).
    concerning: list[tuple[Problem, str | None]] = [
        (warning, None) for warning in
        (content.warnings if matcher is None else redact(content.warnings, matcher))]
    clock.lap("content loaded and checked")

    localised = {}
    for code in unique(edition.language for edition in editions):
        localised[code] = localise(project, content, code)
        concerning += [(_as_warning(p), code) for p in localised[code].problems]
    clock.lap("catalogs loaded and checked")

    leaks = [] if matcher is None else project_leaks(
        project, content, matcher, unique(edition.language for edition in editions))
    clock.lap("leak check of the content and catalogs")
    rendered = []
    printed: dict[str, list[str]] = {}  # edition -> owners of values its HTML holds
    for edition in editions:
        html, fallbacks = edition_html(project, content, localised[edition.language],
                                       edition.mechanism, internal=internal)
        _check_paragraph_numbers(edition, html)
        if matcher is not None:
            printed[edition.name] = edition_leaks(html, matcher)
        rendered.append((edition, html, fallbacks))
    clock.lap(f"HTML of {len(editions)} edition(s), with its leak check")
    warnings = [_in_editions(warning, code, content, rendered) for warning, code in concerning]
    if leaks:
        raise ValidationFailed([leak.in_editions([name for name, owners in printed.items()
                                                  if leak.owner in owners])
                                for leak in leaks])
    for name, owners in printed.items():
        if owners:  # not in the content or the catalogs: the templates printed it
            raise LeakError(name, owners, "its HTML, from the templates (check the "
                                          "project's templates/ overrides)")
    required = _required(content, editions, languages)
    left_out: list[LeftOut] = []
    if strict:
        rendered, left_out = _release(rendered, list(zip(concerning, warnings, strict=True)),
                                      required)
        # What concerns only the editions left out is said in their summary.
        warnings = [warning for (_, code), warning in zip(concerning, warnings, strict=True)
                    if code is None or any(edition.language == code
                                           for edition, *_ in rendered)]

    with _only_build(output, project):
        secrets = tuple(matcher.needles) if matcher else ()
        keys = _edition_keys(project, cache, rendered, variant, internal, secrets)
        built, checks, late, done = _write_pdfs(
            project, content, output, rendered, workers, strict=strict, variant=variant,
            on_laid_out=on_laid_out, secrets=secrets, suffix=suffix, required=required,
            reusable=_reusable(cache, keys, suffix) if not force else {})
        clock.lap("PDFs laid out, written and checked")
        left_out += late
        for omitted in left_out:
            omitted.remove_earlier(output, suffix)
        result = BuildResult(built, sorted(set(warnings)), time.perf_counter() - clock.started,
                             checks, left_out, clock.stages)
        if cache is not None:
            cache.save(fingerprint, {built.path.name: (keys[built.edition.name],
                                                       done[built.edition.name])
                                     for built in built}, result)
    return result


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
    return cache.edition_key("build", state, package_state(), options)


def _unchanged(last: BuildResult, on_laid_out: Callable | None, started: float
               ) -> BuildResult:
    """The last build's result, shown again: nothing it is made from changed."""
    built = [replace(item, reused=True) for item in last.built]
    if on_laid_out:
        for item in built:
            on_laid_out(item.edition, item)
    left_out = [replace(omitted, removed=None) for omitted in last.left_out]
    seconds = time.perf_counter() - started
    return replace(last, built=built, left_out=left_out, seconds=seconds,
                   stages=[("inputs compared with the last build", seconds)], unchanged=True)


def _edition_keys(project: Project, cache: BuildCache | None, rendered: list,
                  variant: str | None, internal: bool, secrets: tuple) -> dict[str, str]:
    """Each edition's key: its HTML and everything else its PDF is made from
    (the package's code, fonts and stylesheets, the project's templates, the
    options, and the confidential values the PDF is checked against)."""
    templates = templates_state(project) if cache is not None and cache.usable else None
    if templates is None:  # no cache, or an unreadable template: nothing is reused
        return {edition.name: "" for edition, *_ in rendered}
    common = (package_state(), templates, variant, internal,
              tuple(sorted(repr(needle) for needle in secrets)))
    return {edition.name: cache.edition_key("edition", edition.name, html.encode("utf-8"),
                                            common)
            for edition, html, _ in rendered}


def _reusable(cache: BuildCache | None, keys: dict[str, str], suffix: str) -> dict:
    """The editions whose PDF in the output folder is up to date, with what
    its layout gave."""
    if cache is None:
        return {}
    found = {name: cache.reusable(f"{name}{suffix}", key) for name, key in keys.items()}
    return {name: done for name, done in found.items() if done is not None}


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
    catalog of ``languages`` (history included), each with its file and line."""
    return content_leaks(content, matcher) + catalogs_leaks(project, content, matcher,
                                                            languages)


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
        leaks = catalog_leaks(path, project.relative(path), matcher, withheld, raw)
        if not leaks:
            verdicts.record(token)
        found += leaks
    return found


def _write_pdfs(project: Project, content: Content, output: Path, rendered: list,
                workers: Workers, *, strict: bool, variant: str | None,
                secrets: tuple = (),
                suffix: str = ".pdf", required: set[str] = frozenset(),
                on_laid_out: Callable | None = None, reusable: dict | None = None
                ) -> tuple[list[Built], list[EditionCheck], list[LeftOut], dict]:
    """Lay out and check every PDF in parallel processes, then move them into place.

    PDFs are written to temporary files; they replace earlier ones only when
    every PDF of the build is complete and passed its checks (with ``strict``,
    the submission rules too, and an advocacy edition that is not ready is
    left out). On any failure or interruption the temporary files are removed
    and the earlier PDFs stay as they were. An edition in ``reusable`` (its
    name and what its layout gave) is up to date in the output folder: it is
    checked as the others, and not laid out again. Returns, besides, what
    each edition's layout gave.
    """
    reusable = reusable or {}
    temporaries: list[Path] = []
    try:
        work, done = [], {}
        for edition, html, fallbacks in rendered:
            if edition.name in reusable:
                done[edition.name] = replace(reusable[edition.name], reused=True)
                if on_laid_out:
                    on_laid_out(edition, done[edition.name])
                work.append((edition, html, fallbacks, None))
                continue
            # Written by the worker that lays the edition out (which removes it if
            # it is stopped), moved into place here when every PDF is ready.
            temporary = output / f".{edition.name}.{os.getpid()}-{token_hex(4)}.part"
            temporaries.append(temporary)
            work.append((edition, html, fallbacks,
                         PdfJob(html, project.root, temporary, variant, secrets,
                                edition.name)))
        # The longest first: the workers then finish at about the same time.
        todo = sorted((item for item in work if item[3] is not None),
                      key=lambda item: len(item[1]), reverse=True)
        try:
            for index, result in workers.run(make_pdf, [job for *_, job in todo]):
                done[todo[index][0].name] = result
                if on_laid_out:
                    on_laid_out(todo[index][0], result)
        except FootnoteLayoutError as error:
            raise ValidationFailed(_footnote_problems(content, error)) from None
        checks = [check_edition(edition.name, edition.language,
                                applied_rules(edition.mechanism, content), content, html,
                                done[edition.name].pages, done[edition.name].anchors,
                                fallbacks, required=edition.name in required)
                  for edition, html, fallbacks, _ in work]
        left_out: list[LeftOut] = []
        if strict:
            # (An advocacy edition with untranslated text was left out before layout.)
            refused = []
            for (edition, *_), check in zip(work, checks, strict=True):
                problems = [f"renderer: {message}" for message in done[edition.name].warnings]
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
        for edition, _, fallbacks, job in work:
            if edition.name in omitted:
                continue
            target = output / f"{edition.name}{suffix}"
            if job is not None:
                try:
                    os.chmod(job.target, 0o644)
                    os.replace(job.target, target)
                except OSError as exc:
                    raise OutputError(f"{target}: cannot be written: {exc.strerror}") \
                        from None
            result = done[edition.name]
            built.append(Built(edition, target, result.pages, result.seconds,
                               result.warnings, fallbacks, result.reused, result.stages))
        return (built, [check for check in checks if check.name not in omitted], left_out,
                done)
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)


@dataclass
class Localised:
    """The content and the template catalog of one language, with their problems."""

    language: str
    content: Content
    catalog: object
    problems: list[Problem]


def localise(project: Project, content: Content, code: str) -> Localised:
    catalog, problems = template_catalog(project, code)
    translated, _, content_problems = translate_content(content, project, code)
    return Localised(code, translated, catalog, problems + content_problems)


def edition_html(project: Project, content: Content, localised: Localised,
                 mechanism: Mechanism, *, internal: bool = False) -> tuple[str, list]:
    """One edition's HTML and the texts it shows untranslated, as the build makes them."""
    view = internal_view(localised.content) if internal else public_view(localised.content)
    language = edition_language(project, localised.language, localised.catalog)
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
