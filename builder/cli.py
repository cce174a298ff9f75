"""The ``shadow-report`` command: thin wrappers that parse options and call one stage.

Exit status: 0 success, 1 problems in the user's files or the build, 2 wrong
usage, 3 an internal error (a bug of ours), 130 interrupted. No traceback
reaches the user for anything wrong in their files; an unexpected internal
error says so, and ``--debug`` shows its traceback.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

from babel import Locale, UnknownLocaleError

from builder import __version__, catalogs
from builder.build import (
    DEFAULT_VARIANT,
    VARIANTS,
    Built,
    build,
    editions_languages,
    load_checked,
    project_leaks,
)
from builder.check import format_table
from builder.confidential import catalog_leaks, leak_matcher, redact, withheld_contexts
from builder.errors import ShadowReportError, ValidationFailed
from builder.project import PACKAGE_DIR, open_project


def _split(values: list[str] | None) -> list[str] | None:
    """``--lang en,ru --lang kk`` -> ``['en', 'ru', 'kk']``."""
    if not values:
        return None
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shadow-report",
        description="Build UN shadow reports (UPR, CEDAW, ICCPR) from structured evidence.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show the full Python traceback of an internal error")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    project = argparse.ArgumentParser(add_help=False)
    project.add_argument("--project", "-p", metavar="DIR", default=".",
                         help="the report project folder (default: the current folder)")

    sub = commands.add_parser("build", parents=[project], help="validate, then build the PDFs",
                              description="Validate the project, then build one PDF per "
                                          "mechanism and language into the output folder.")
    sub.add_argument("--output", "-o", metavar="DIR", type=Path,
                     help="where to write the PDFs (default: DIR/output)")
    sub.add_argument("--mechanism", "-m", action="append", metavar="NAME",
                     help="build only these mechanisms: upr, cedaw, iccpr "
                          "(repeat or separate with commas)")
    sub.add_argument("--lang", "-l", action="append", metavar="CODE",
                     help="build only these languages (repeat or separate with commas)")
    sub.add_argument("--strict", action="store_true",
                     help="treat warnings (placeholders, unused sources, missing or fuzzy "
                          "translations, renderer warnings) as errors: for release builds")
    sub.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                     help="PDFs laid out at once (default: one per CPU)")
    sub.add_argument("--internal", action="store_true",
                     help="build the confidential internal editions (*.internal.pdf, "
                          "marked on every page) instead of the public ones")
    sub.add_argument("--pdf-variant", choices=VARIANTS, default=DEFAULT_VARIANT,
                     help=f"the PDF standard to follow (default: {DEFAULT_VARIANT}, tagged "
                          "and accessible; pdf/a-3b for archiving; none for plain PDF)")

    sub = commands.add_parser(
        "check", parents=[project], help="word counts, page counts and mechanism rules",
        description="Build every edition in a temporary folder and check it against its "
                    "mechanism's rules; exit 1 if an edition meant for submission breaks one.")
    sub.add_argument("--mechanism", "-m", action="append", metavar="NAME",
                     help="only these mechanisms")
    sub.add_argument("--lang", "-l", action="append", metavar="CODE",
                     help="only these languages")

    commands.add_parser("validate", parents=[project],
                        help="check the content without rendering",
                        description="Check every content file and report all problems.")

    i18n = commands.add_parser("i18n", help="translation catalogs: extract, update, init, "
                                             "stats",
                               description="Work with the gettext catalogs in locales/.")
    actions = i18n.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("extract", parents=[project],
                       help="write the POT templates (locales/*.pot) from the content "
                            "and templates")
    actions.add_parser("update", parents=[project],
                       help="extract, then merge into every PO file (changed sources "
                            "become fuzzy; nothing is lost)")
    sub = actions.add_parser("init", parents=[project], help="start catalogs for a new language")
    sub.add_argument("language", help="a language code: ru, kk, fr, ...")
    sub = actions.add_parser("stats", parents=[project],
                             help="translated, fuzzy and missing entries per language "
                                  "and catalog")
    sub.add_argument("--lang", "-l", action="append", metavar="CODE",
                     help="only these languages")
    sub.add_argument("--strict", action="store_true",
                     help="exit 1 unless every entry is translated, none fuzzy or broken")

    sub = commands.add_parser("new", help="start a new report project in a folder",
                              description="Create a report project with example content "
                                          "to replace.")
    sub.add_argument("folder", type=Path, help="the folder to create (must not exist yet)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except ValidationFailed as failed:
        _print_problems(failed.problems)
        errors = sum(1 for p in failed.problems if p.severity == "error")
        print(f"{errors} error(s); nothing was built.", file=sys.stderr)
        return 1
    except ShadowReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        if getattr(args, "debug", False):
            raise
        print(f"internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in shadow-report, not in your files. Run the same command "
              "with --debug to see the details, and report them.", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("interrupted; finished PDFs are complete, none was half-written",
              file=sys.stderr)
        return 130


def _print_problems(problems) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _validate(args: argparse.Namespace) -> int:
    project = open_project(args.project)
    content = load_checked(project)
    matcher = leak_matcher(content)
    warnings = redact(content.warnings, matcher)
    leaks = project_leaks(project, content, matcher, editions_languages(project, content))
    if leaks:
        raise ValidationFailed(warnings + [leak.problem for leak in leaks])
    _print_problems(warnings)
    print(
        f"{project.relative(project.content)}/ is valid: "
        f"{len(content.sections)} sections, {len(content.cases)} cases, "
        f"{len(content.recommendations)} recommendations, "
        f"{len(content.previous)} previous recommendations, {len(content.sources)} sources"
        + (f"; {len(content.warnings)} warning(s)" if content.warnings else "")
    )
    return 0


def _build(args: argparse.Namespace) -> int:
    project = open_project(args.project)

    def report(built: Built) -> None:
        shown = project.relative(built.path)
        print(f"{shown:<28} {built.pages:>4} pages {built.seconds:>6.1f} s", flush=True)

    result = build(project, output=args.output, mechanisms=_split(args.mechanism),
                   languages=_split(args.lang), strict=args.strict, on_built=report,
                   jobs=args.jobs, variant=args.pdf_variant, internal=args.internal)
    _print_problems(result.warnings)
    for built in result.built:
        shown = project.relative(built.path)
        for message in built.warnings:
            print(f"{shown}: warning: renderer: {message}", file=sys.stderr)
        if built.fallbacks:
            print(f"{shown}: {len(built.fallbacks)} text(s) shown untranslated, tinted "
                  "blue in the PDF:", file=sys.stderr)
            for fallback in built.fallbacks[:FALLBACKS_SHOWN]:
                print(f"  {fallback}", file=sys.stderr)
            if len(built.fallbacks) > FALLBACKS_SHOWN:
                print(f"  ... and {len(built.fallbacks) - FALLBACKS_SHOWN} more "
                      "('shadow-report i18n stats' lists the catalogs)", file=sys.stderr)
    pages = sum(b.pages for b in result.built)
    warnings = len(result.warnings) + sum(len(b.warnings) for b in result.built)
    fallbacks = sum(len(b.fallbacks) for b in result.built)
    print(f"built {len(result.built)} PDF(s), {pages} pages, in {result.seconds:.1f} s"
          + (f"; {warnings} warning(s)" if warnings else "")
          + (f"; {fallbacks} untranslated text(s)" if fallbacks else ""))
    print()
    _print_checks(result)
    return 0


def _print_checks(result) -> None:
    for line in format_table(result.checks):
        print(line)
    if not result.submittable:
        failing = [check.name for check in result.checks if check.failed]
        print(f"not ready for submission: {', '.join(failing)}")


def _check(args: argparse.Namespace) -> int:
    project = open_project(args.project)
    with tempfile.TemporaryDirectory(prefix="shadow-report-check-") as scratch:
        result = build(project, output=Path(scratch), mechanisms=_split(args.mechanism),
                       languages=_split(args.lang))
    _print_problems(result.warnings)
    _print_checks(result)
    return 0 if result.submittable else 1


FALLBACKS_SHOWN = 10


def _new(args: argparse.Namespace) -> int:
    target: Path = args.folder
    if target.exists():
        print(f"error: {target} already exists; choose a new folder", file=sys.stderr)
        return 1
    shutil.copytree(PACKAGE_DIR / "skeleton", target)
    print(f"created {target}/content/: edit the YAML files there, then run "
          f"'shadow-report validate --project {target}'")
    return 0


def _i18n(args: argparse.Namespace) -> int:
    project = open_project(args.project)
    content = load_checked(project)
    if args.action == "extract":
        for domain, catalog in catalogs.extract_project(project, content).items():
            shown = project.relative(project.locales / f"{domain}.pot")
            print(f"{shown}: {len(catalog)} entries")
        return 0
    if args.action == "update":
        changed = catalogs.update_project(project, content)
        for path, counts in changed:
            what = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) or "no change"
            print(f"{project.relative(path)}: {what}")
        if not changed:
            print("no PO files yet: start a language with 'shadow-report i18n init LANG'")
        return 0
    if args.action == "init":
        problem = _language_problem(args.language)
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return 2
        written = catalogs.init_language(project, content, args.language)
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
    rows = catalogs.project_stats(project, languages)
    print(f"{'language':<9} {'catalog':<42} {'translated':>10} {'fuzzy':>6} "
          f"{'missing':>8} {'broken':>7}")
    for row in rows:
        print(f"{row.language:<9} {row.shown:<42} {row.translated:>5}/{row.total:<4} "
              f"{row.fuzzy:>6} {row.missing:>8} {row.broken:>7}")
    problems = [problem for row in rows for problem in row.problems]
    _print_problems(problems)
    matcher = leak_matcher(content)
    withheld = withheld_contexts(content)
    leaks = [leak.problem for path in catalogs.catalog_files(project, languages)
             for leak in catalog_leaks(path, project.relative(path), matcher, withheld)]
    _print_problems(leaks)
    if leaks:
        print(f"{len(leaks)} confidential value(s) in the catalogs", file=sys.stderr)
        return 1
    incomplete = [row for row in rows if not row.complete]
    if args.strict and incomplete:
        print(f"{len(incomplete)} catalog(s) not complete", file=sys.stderr)
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


_COMMANDS = {"build": _build, "check": _check, "validate": _validate, "new": _new,
             "i18n": _i18n}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
