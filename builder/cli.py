"""The ``shadow-report`` command: thin wrappers that parse options and call one stage.

Exit status: 0 success, 1 problems in the user's files or the build, 2 wrong
usage, 3 an internal error (a bug of ours), 130 interrupted (143 on SIGTERM). No traceback
reaches the user for anything wrong in their files; an unexpected internal
error says so, and ``--debug`` shows its traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from builder import INTERRUPTED, __version__
from builder.errors import ShadowReportError, ValidationFailed
from builder.variants import DEFAULT_VARIANT, VARIANTS
from builder.workers import install_termination


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shadow-report",
        description="Build UN shadow reports (UPR, CEDAW, ICCPR) from structured evidence.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _output_options(parser, parser.add_argument_group("output"))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    # The same options after the command (shadow-report build --debug): their
    # defaults are left to the main parser, so that one given before the
    # command is not reset by the command's parser.
    common = argparse.ArgumentParser(add_help=False)
    _output_options(common, common.add_argument_group("output"), argparse.SUPPRESS)
    project = argparse.ArgumentParser(add_help=False, parents=[common])
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
    sub.add_argument("--force", action="store_true",
                     help="lay out every PDF again, even those whose inputs did not change "
                          "since the last build into the output folder")
    sub.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                     help="PDFs laid out at once (default: one per CPU)")
    sub.add_argument("--internal", action="store_true",
                     help="build the confidential internal editions (*.internal.pdf, "
                          "marked on every page) instead of the public ones")
    _format_option(sub, "the files to write for each edition: pdf (the default), docx "
                        "(Word), or both: pdf,docx")
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
    _format_option(sub, "the files to make and count: pdf (the default), docx (Word: its "
                        "words counted in the file), or both")

    commands.add_parser("validate", parents=[project],
                        help="check the content and the catalogs without rendering",
                        description="Check every content file and every catalog and report "
                                    "all problems.")

    sub = commands.add_parser(
        "preview", parents=[project], help="show the editions in a web browser as you edit",
        description="Serve every edition as a web page on this machine; a page follows "
                    "your edits of content/, locales/ and templates/ within a second.")
    sub.add_argument("--port", type=int, metavar="N",
                     help="the port (default 8000, or any free port if it is taken; "
                          "0: any free port)")
    sub.add_argument("--host", metavar="H",
                     help="the address to listen on (default 127.0.0.1: this machine only; "
                          "another address lets others read the report)")
    sub.add_argument("--internal", action="store_true",
                     help="also serve the internal editions (real names and confidential "
                          "details)")
    sub.add_argument("--no-browser", action="store_true", help="do not open a web browser")

    i18n = commands.add_parser("i18n", parents=[common],
                               help="translation catalogs: extract, update, init, stats",
                               description="Work with the gettext catalogs in locales/.")
    actions = i18n.add_subparsers(dest="action", required=True, metavar="ACTION")
    # How catalogs are written, as msgmerge and pybabel take it (GNU's defaults).
    layout = argparse.ArgumentParser(add_help=False)
    group = layout.add_argument_group("how the files are written (as msgmerge and pybabel)")
    group.add_argument("--width", "-w", type=_width, default=79, metavar="COLUMNS",
                       help="wrap strings and references at this width (default 79)")
    group.add_argument("--no-wrap", action="store_true",
                       help="do not wrap strings (a line break in a string still starts a "
                            "new line)")
    group.add_argument("--add-location", choices=("file", "full", "never"), default="file",
                       help="references (#:) with the file only (the default: no churn when "
                            "lines move), file and line, or none")
    group.add_argument("--no-location", dest="add_location", action="store_const",
                       const="never", help="write no references (#:)")
    actions.add_parser("extract", parents=[project, layout],
                       help="write the POT templates (locales/*.pot) from the content "
                            "and templates")
    sub = actions.add_parser("update", parents=[project, layout],
                             help="extract, then merge into every PO file (changed sources "
                                  "become fuzzy; nothing is lost)")
    sub.add_argument("--check", action="store_true",
                     help="write nothing; exit 1 if any catalog is not what update would "
                          "write, naming each entry (for CI)")
    sub.add_argument("--lang", "-l", action="append", metavar="CODE",
                     help="only the catalogs of these languages (the templates, POT, "
                          "are always written)")
    sub = actions.add_parser("init", parents=[project, layout],
                             help="start catalogs for a new language")
    sub.add_argument("language", help="a language code: ru, kk, fr, ...")
    sub = actions.add_parser("stats", parents=[project],
                             help="translated, fuzzy and missing entries per language "
                                  "and catalog")
    sub.add_argument("--lang", "-l", action="append", metavar="CODE",
                     help="only these languages")
    sub.add_argument("--strict", action="store_true",
                     help="exit 1 unless every entry is translated, none fuzzy or broken")
    sub.add_argument("--by-file", action="store_true",
                     help="also count the entries of each content file and template")

    sub = commands.add_parser(
        "schema", parents=[project], help="write the JSON Schemas of the content files, for "
                                          "editors",
        description="Write a JSON Schema of each content file into the project's schemas/ "
                    "folder, where the first line of each content file points an editor "
                    "(VS Code with the YAML extension, any YAML language server).")
    sub.add_argument("--output", "-o", metavar="DIR", type=Path,
                     help="where to write them (default: DIR/schemas)")
    sub.add_argument("--check", action="store_true",
                     help="write nothing; exit 1 if a schema there is missing or not what this "
                          "version of shadow-report writes")

    importer = commands.add_parser(
        "import", parents=[common], help="add entries from another database's export",
        description="Add previous UPR recommendations from the Universal Human Rights Index, "
                    "or cases from an Uwazi database, to the content; entries already there "
                    "keep the drafters' words (--update refreshes what the export gives).")
    sources = importer.add_subparsers(dest="source", required=True, metavar="SOURCE")
    sub = sources.add_parser("uhri", parents=[project],
                             help="previous UPR recommendations: uhri.ohchr.org's export "
                                  "(.xlsx or .json)")
    sub.add_argument("file", type=Path, metavar="FILE", help="the export (.xlsx or .json)")
    sub.add_argument("--state", required=True,
                     help="the State under review, as Countries Concerned names it")
    sub.add_argument("--cycle", type=int, metavar="N", help="only the recommendations of this "
                     "UPR cycle (1-4; worked out from the session)")
    sub.add_argument("--update", action="store_true", help="refresh the entries already there "
                     "with the export's text, States, response, session and themes")
    sub = sources.add_parser("uwazi", parents=[project],
                             help="cases: an Uwazi database's CSV export, with a mapping")
    sub.add_argument("file", type=Path, metavar="FILE", help="the export (.csv)")
    sub.add_argument("--map", required=True, type=Path, metavar="MAPPING.yaml",
                     dest="mapping", help="which column fills which field of a case")
    sub.add_argument("--update", action="store_true", help="refresh the cases already there "
                     "(by title) and their translations with the export's")

    sub = commands.add_parser("new", parents=[common],
                              help="start a new report project in a folder",
                              description="Create a report project with example content "
                                          "to replace.")
    sub.add_argument("folder", type=Path, help="the folder to create (must not exist yet)")
    return parser


def _output_options(parser: argparse.ArgumentParser, group, default=None) -> None:
    """--debug, --quiet and --verbose, accepted before or after the command."""
    def given(value):
        return value if default is None else default

    group.add_argument("--debug", action="store_true", default=given(False),
                       help="show the full Python traceback of an internal error")
    loudness = group.add_mutually_exclusive_group()
    loudness.add_argument("--quiet", "-q", dest="verbosity", action="store_const", const=0,
                          default=given(1), help="print errors only")
    loudness.add_argument("--verbose", "-v", dest="verbosity", action="store_const", const=2,
                          default=given(1),
                          help="print more: every untranslated text, every reason an "
                               "edition is left out, and the time of each stage")


def _format_option(parser: argparse.ArgumentParser, text: str) -> None:
    parser.add_argument("--format", "-f", type=_formats, default=["pdf"], metavar="FORMATS",
                        help=text)


def _formats(text: str) -> list[str]:
    """``pdf``, ``docx``, ``pdf,docx``: the outputs of each edition."""
    chosen = [item.strip().lower() for item in text.split(",") if item.strip()]
    unknown = [item for item in chosen if item not in ("pdf", "docx")]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or repr(text)}: choose pdf, docx or pdf,docx")
    return list(dict.fromkeys(chosen))


def _width(text: str) -> int:
    try:
        width = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of columns: {text!r}") from None
    if width < 20:
        raise argparse.ArgumentTypeError("at least 20 columns")
    return width


# What a command that stopped on errors in the user's files has left undone,
# for its closing line ("2 error(s); nothing was built."): each checks every
# file before it writes one. validate and i18n stats write nothing anyway.
UNDONE = {("build", None): "nothing was built", ("check", None): "nothing was built",
          ("i18n", "update"): "no catalog was written",
          ("i18n", "init"): "no catalog was written",
          ("i18n", "extract"): "no template (.pot) was written"}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    restore = install_termination()
    try:
        from builder.commands import COMMANDS  # the stages, loaded now: see commands.py

        if args.verbosity == 0:  # --quiet: errors only, and they go to stderr
            with open(os.devnull, "w") as nowhere, contextlib.redirect_stdout(nowhere):
                return COMMANDS[args.command](args)
        return COMMANDS[args.command](args)
    except ValidationFailed as failed:
        for problem in failed.problems:
            print(problem, file=sys.stderr)
        errors = sum(1 for p in failed.problems if p.severity == "error")
        undone = UNDONE.get((args.command, getattr(args, "action", None)))
        print(f"{errors} error(s)" + (f"; {undone}." if undone else "."), file=sys.stderr)
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
    except KeyboardInterrupt as exc:
        print(INTERRUPTED, file=sys.stderr)
        return getattr(exc, "exit_status", 130)  # 143 for Terminated (SIGTERM)
    finally:
        restore()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
