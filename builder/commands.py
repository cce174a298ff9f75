"""The commands behind ``shadow-report``: each parses nothing, calls one stage
and prints its result (:mod:`builder.cli` parses the options and handles
errors). Imported only once the command line is parsed, so that ``--version``
and ``--help`` are quick and an interrupt while the stages load is clean.
"""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from babel import Locale, UnknownLocaleError

from builder import catalogs
from builder.build import (
    build,
    catalog_warnings,
    catalogs_leaks,
    editions_languages,
    load_checked,
    project_leaks,
)
from builder.check import format_table
from builder.confidential import leak_matcher, redact
from builder.errors import OutputError, ValidationFailed
from builder.project import PACKAGE_DIR, open_project
from builder.schema import content_schemas


def _split(values: list[str] | None) -> list[str] | None:
    """``--lang en,ru --lang kk`` -> ``['en', 'ru', 'kk']``."""
    if not values:
        return None
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _print_problems(problems, args: argparse.Namespace | None = None) -> None:
    """Problems on stderr: with --quiet, the errors only."""
    for problem in problems:
        if args is None or args.verbosity > 0 or problem.severity == "error":
            print(problem, file=sys.stderr)


def _note(args: argparse.Namespace, text: str) -> None:
    """A line on stderr that is not an error: left out with --quiet."""
    if args.verbosity > 0:
        print(text, file=sys.stderr)


def _note_list(args: argparse.Namespace, heading: str, items: list, more: str = "") -> None:
    """A heading and its items, the first ten of them unless --verbose."""
    _note(args, heading)
    shown = items if args.verbosity > 1 else items[:FALLBACKS_SHOWN]
    for item in shown:
        _note(args, f"  {item}")
    if len(items) > len(shown):
        _note(args, f"  ... and {len(items) - len(shown)} more (-v lists them all{more})")


def _validate(args: argparse.Namespace) -> int:
    project = open_project(args.project)
    content = load_checked(project)
    matcher = leak_matcher(content)
    warnings = redact(content.warnings, matcher)
    languages = editions_languages(project, content)
    leaks = project_leaks(project, content, matcher, languages)
    if leaks:
        raise ValidationFailed(warnings + [leak.problem for leak in leaks])
    warnings += catalog_warnings(project, content, languages)
    _print_problems(warnings, args)
    print(
        f"{project.relative(project.content)}/ is valid: "
        f"{len(content.sections)} sections, {len(content.cases)} cases, "
        f"{len(content.recommendations)} recommendations, "
        f"{len(content.previous)} previous recommendations, {len(content.sources)} sources"
        + (f"; {len(warnings)} warning(s)" if warnings else "")
    )
    return 0


def _build(args: argparse.Namespace) -> int:
    project = open_project(args.project)

    def laid_out(edition, result, path) -> None:
        """A line as each file is made (they are moved into place together at
        the end, when every one is complete and checked), or found up to date:
        a PDF's pages, a Word file's words."""
        shown = project.relative(path)
        took = "unchanged" if result.reused else f"{result.seconds:.1f} s"
        notes = getattr(result, "notes", None)  # a Word file's: Word counts its pages
        size = f"{result.pages:>4} pages" if notes is None else f"{notes:>4} notes"
        print(f"{shown:<28} {size} {took:>9}", flush=True)
        if args.verbosity > 1 and not result.reused:
            print("    " + ", ".join(f"{stage} {seconds:.2f} s"
                                     for stage, seconds in result.stages), flush=True)

    result = build(project, output=args.output, mechanisms=_split(args.mechanism),
                   languages=_split(args.lang), strict=args.strict, on_laid_out=laid_out,
                   jobs=args.jobs, variant=args.pdf_variant, internal=args.internal,
                   force=args.force, formats=tuple(args.format))
    _print_problems(result.warnings, args)
    listed = set()  # an edition's untranslated texts, listed once for its files
    for built in result.built:
        shown = project.relative(built.path)
        for message in built.warnings:
            _note(args, f"{shown}: warning: renderer: {message}")
        if built.fallbacks and built.edition.name not in listed:
            listed.add(built.edition.name)
            _note_list(args, f"{shown}: {len(built.fallbacks)} text(s) shown untranslated, "
                             "tinted blue:", built.fallbacks,
                       "; 'shadow-report i18n stats' counts them")
    for omitted in result.left_out:
        _note_list(args, f"{omitted.edition.name}: left out of this release: an advocacy "
                         "edition that is not ready:", omitted.reasons)
        for removed in omitted.removed:
            _note(args, f"  {project.relative(removed)}, from an earlier build, was removed")
    pages = sum(b.pages for b in result.built)
    warnings = len(result.warnings) + sum(len(b.warnings) for b in result.built)
    fallbacks = sum(len(b.fallbacks) for b in {b.edition.name: b for b in result.built}.values())
    left_out = [omitted.edition.name for omitted in result.left_out]
    if args.verbosity > 1:
        for stage, seconds in result.stages:
            _note(args, f"{seconds:7.2f} s  {stage}")
    made = [built for built in result.built if not built.reused]
    kept = len(result.built) - len(made)
    kinds = {built.kind for built in result.built}
    pages = f", {pages} pages" if "pdf" in kinds else ""
    if result.unchanged:
        done = (f"nothing changed since the last build: {_files(result.built, kinds)} up to "
                f"date{pages}")
    else:
        done = f"built {_files(made, kinds)}" + (f", {kept} up to date" if kept else "") + pages
    print(f"{done}, in {result.seconds:.1f} s"
          + (f"; {warnings} warning(s)" if warnings else "")
          + (f"; {fallbacks} untranslated text(s)" if fallbacks else "")
          + (f"; left out {len(left_out)} advocacy edition(s) not ready: "
             f"{', '.join(left_out)}" if left_out else ""))
    print()
    _print_checks(result)
    return 0


def _files(built: list, kinds: set[str]) -> str:
    """"9 PDF(s)", "9 Word file(s)", "9 PDF(s) and 9 Word file(s)": the files
    of each kind the build writes."""
    names = {"pdf": "PDF(s)", "docx": "Word file(s)"}
    return " and ".join(f"{sum(1 for item in built if item.kind == kind)} {name}"
                        for kind, name in names.items() if kind in kinds or not kinds and
                        kind == "pdf")


def _print_checks(result) -> None:
    for line in format_table(result.checks):
        print(line)
    failing = [check.name for check in result.checks if check.failed and check.for_submission]
    if failing:
        print(f"not ready for submission: {', '.join(failing)}")
    asked = [check.name for check in result.checks if check.failed and not check.for_submission]
    if asked:
        print(f"not ready (advocacy editions asked for with --lang): {', '.join(asked)}")
    unready = [check.name for check in result.checks if check.not_ready and not check.failed]
    if unready:
        print(f"advocacy editions not ready: {', '.join(unready)}")


def _check(args: argparse.Namespace) -> int:
    project = open_project(args.project)
    with tempfile.TemporaryDirectory(prefix="shadow-report-check-") as scratch:
        result = build(project, output=Path(scratch), mechanisms=_split(args.mechanism),
                       languages=_split(args.lang), reuse=False, formats=tuple(args.format))
    _print_problems(result.warnings, args)
    _print_checks(result)
    return 0 if result.submittable else 1


def _preview(args: argparse.Namespace) -> int:
    from builder.outputs.preview import serve  # its web server, only for this command

    return serve(open_project(args.project), host=args.host, port=args.port,
                 internal=args.internal, browser=not args.no_browser,
                 verbose=args.verbosity > 1)


FALLBACKS_SHOWN = 10


def _new(args: argparse.Namespace) -> int:
    target: Path = args.folder
    if target.exists():
        print(f"error: {target} already exists; choose a new folder", file=sys.stderr)
        return 1
    shutil.copytree(PACKAGE_DIR / "skeleton", target)
    _write_schemas(target / "schemas")
    print(f"created {target}/: an example report to replace with your own, one entry of "
          "each kind\nin content/, its Russian and Kazakh translations in locales/, and in "
          "schemas/ the JSON\nSchemas with which an editor checks and completes the content "
          "files. Next:\n"
          f"  cd {shlex.quote(str(target))}\n"
          "  shadow-report validate      # check the content; it lists the [TBC: ...] to "
          "replace\n"
          "  shadow-report build         # the PDFs in output/: UPR, CEDAW and ICCPR in "
          "English, Russian, Kazakh\n"
          "  shadow-report i18n update   # after each edit of the content, for the "
          "translators")
    return 0


def _schema(args: argparse.Namespace) -> int:
    if args.output:
        output, shown = args.output, str
    else:
        project = open_project(args.project)
        output, shown = project.root / "schemas", project.relative
    if not args.check:
        for path in _write_schemas(output):
            print(f"wrote {shown(path)}")
        return 0
    stale = [(output / name, "missing" if not (output / name).is_file() else "out of date")
             for name, data in content_schemas().items()
             if not (output / name).is_file() or (output / name).read_bytes() != data]
    for path, why in stale:
        print(f"{shown(path)}: {why}")
    if stale:
        print(f"{len(stale)} schema file(s) not what this version of shadow-report writes: "
              "run 'shadow-report schema'", file=sys.stderr)
        return 1
    print(f"every schema in {shown(output)}/ is up to date")
    return 0


def _write_schemas(folder: Path) -> list[Path]:
    """Write every content file's JSON Schema into ``folder``; return the paths."""
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in content_schemas().items():
            (folder / name).write_bytes(data)
            written.append(folder / name)
    except OSError as exc:
        raise OutputError(f"cannot write the schemas into {folder}: "
                          f"{exc.strerror or exc}") from None
    return written


def _layout(args: argparse.Namespace) -> catalogs.Layout:
    return catalogs.Layout(width=args.width, wrap=not args.no_wrap,
                           locations=args.add_location)


def _i18n(args: argparse.Namespace) -> int:
    project = open_project(args.project)
    content = load_checked(project)
    if args.action == "extract":
        for domain, catalog in catalogs.extract_project(project, content,
                                                        _layout(args)).items():
            shown = project.relative(project.locales / f"{domain}.pot")
            print(f"{shown}: {len(catalog)} entries")
        return 0
    if args.action == "update":
        check = args.check
        updates = catalogs.update_project(project, content, check=check,
                                          layout=_layout(args), languages=_split(args.lang))
        for update in updates:
            if check and not update.changed:
                continue
            what = ", ".join(kind if kind.startswith("rewritten") else f"{n} {kind}"
                             for kind, n in update.counts.items() if n) or "no change"
            print(f"{project.relative(update.path)}: {'would change: ' if check else ''}"
                  f"{what}")
            if check:
                for where, change in update.entries:
                    print(f"  {where}: {change}")
        if not updates:
            print("no PO files yet: start a language with 'shadow-report i18n init LANG'")
        stale = [update for update in updates if update.changed]
        if check and stale:
            print(f"{len(stale)} catalog file(s) out of date with the content and templates: "
                  "run 'shadow-report i18n update'", file=sys.stderr)
            return 1
        if check:
            print("every catalog is up to date")
        return 0
    if args.action == "init":
        problem = _language_problem(args.language)
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return 2
        written = catalogs.init_language(project, content, args.language, _layout(args))
        for path in written:
            print(f"created {project.relative(path)}")
        if not written:
            print(f"{args.language}: the catalogs exist already; "
                  "'shadow-report i18n update' brings them up to date")
        report = content.report
        if report.languages and args.language not in report.languages:
            print(f"add {args.language} to 'languages' in content/report.yaml to build it")
        return 0
    languages = _split(args.lang) or [code for code in editions_languages(project, content)
                                      if code != content.report.source_language]
    rows = catalogs.project_stats(project, languages, content.report.source_language)
    print(f"{'language':<9} {'catalog':<42} {'translated':>10} {'fuzzy':>6} "
          f"{'missing':>8} {'broken':>7} {'terms':>6}")
    for row in rows:
        print(f"{row.language:<9} {row.shown:<42} {row.translated:>5}/{row.total:<4} "
              f"{row.fuzzy:>6} {row.missing:>8} {row.broken:>7} {len(row.terms):>6}")
        if args.by_file:
            for name, part in sorted(row.files.items()):
                print(f"{'':<9}   {name:<40} {part.translated:>5}/{part.total:<4} "
                      f"{part.fuzzy:>6} {part.missing:>8} {part.broken:>7} "
                      f"{len(part.terms):>6}")
    problems = [problem for row in rows for problem in row.problems]
    _print_problems(problems)
    # Translations that do not use the glossary's name of a mechanism or document.
    terms = [problem for row in rows for problem in row.terms]
    _print_problems([replace(problem, severity="error") for problem in terms] if args.strict
                    else terms)
    if terms:
        print(f"{len(terms)} term problem(s): translations that do not use the glossary's "
              "terms (builder/glossary/ and the project's locales/glossary/)", file=sys.stderr)
    leaks = [leak.problem
             for leak in catalogs_leaks(project, content, leak_matcher(content), languages)]
    _print_problems(leaks)
    if leaks:
        print(f"{len(leaks)} confidential value(s) in the catalogs", file=sys.stderr)
        return 1
    # A catalog that 'i18n update' would change is out of date: a source
    # edited since shows in English however complete the file looks.
    # (Entries only: a file that update would merely rewrap is not stale.)
    present = set(catalogs.languages_in(project.locales))
    stale = [update for update in catalogs.update_project(
                 project, content, check=True,
                 languages=[code for code in languages if code in present])
             if update.entries]
    for update in stale:
        for where, change in update.entries:
            print(f"{where}: {'error' if args.strict else 'warning'}: stale in "
                  f"{project.relative(update.path)}: {change}", file=sys.stderr)
    if stale:
        print("the catalogs are out of date with the content: run 'shadow-report i18n "
              "update'", file=sys.stderr)
    incomplete = [row for row in rows if not row.complete]
    if args.strict and (incomplete or stale or terms):
        print(f"{len(incomplete)} catalog(s) not complete, {len(stale)} out of date, "
              f"{len(terms)} term problem(s)", file=sys.stderr)
        return 1
    return 0


def _language_problem(code: str) -> str | None:
    """Why ``code`` cannot name a new language's catalogs (None: it can)."""
    if not re.fullmatch(r"[a-z]{2,3}", code):
        return (f"{code!r} is not a language code: write two or three lowercase letters "
                "such as fr, es or uz")
    try:
        Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return f"unknown language code {code!r} (write en, ru, kk, fr, ...)"
    return None


def _import(args: argparse.Namespace) -> int:
    from builder import importers  # ruamel.yaml and openpyxl: loaded for an import only

    project = open_project(args.project)
    try:
        if args.source == "uhri":
            outcome = importers.import_uhri(project, args.file, state=args.state,
                                            cycle=args.cycle, update=args.update)
        else:
            outcome = importers.import_uwazi(project, args.file, mapping=args.mapping,
                                             update=args.update)
    except importers.BadInput as exc:
        print(f"error: {exc}; nothing was written", file=sys.stderr)
        return 2
    except ValidationFailed as failed:
        _print_problems(failed.problems)
        errors = sum(1 for problem in failed.problems if problem.severity == "error")
        print(f"{errors} error(s); nothing was written", file=sys.stderr)
        return 1
    for line in importers.report(outcome, verbose=args.verbosity > 1):
        print(line)
    _print_problems(outcome.notes, args)
    return 0


COMMANDS = {"build": _build, "check": _check, "validate": _validate, "new": _new,
            "i18n": _i18n, "schema": _schema, "preview": _preview, "import": _import}
