"""Importers: content entries from the exports of other databases.

* :mod:`~builder.importers.uhri`: previous UPR recommendations from the UN's
  Universal Human Rights Index (an Excel or JSON export).
* :mod:`~builder.importers.uwazi`: cases from an Uwazi database (a CSV
  export), with a mapping of its fields to ours; translated columns become
  translations in the content catalogs.

Both read the export (:mod:`~builder.importers.tables`), refuse it with
located messages (row and column) if anything cannot be imported, and merge
the entries into the content file (:mod:`~builder.importers.contentfile`):
checked by the project's own loader and leak check before anything is
written, the drafters' comments, order and words kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from builder.content import Content, load_content
from builder.errors import Problem, ProjectError, ValidationFailed
from builder.importers import contentfile, uhri, uwazi
from builder.importers.contentfile import Merge
from builder.importers.tables import BadInput, Refused, Table, read_table
from builder.project import Project


@dataclass
class Outcome:
    """What an import read, and what it did."""

    table: Table
    merge: Merge
    read: str  # one line: what the export held
    written: bool
    notes: list[Problem] = field(default_factory=list)  # warnings about rows and columns
    warnings: int = 0  # validate's warnings on the project as imported
    translations: list[uwazi.Written] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # columns not imported


def import_uhri(project: Project, path: Path, *, state: str, cycle: int | None = None,
                update: bool = False) -> Outcome:
    """Add (or, with ``update``, refresh) the previous UPR recommendations to
    ``state`` of a UHRI export to ``previous-recommendations.yaml``."""
    _valid(project)
    table = read_table(path, str(path), uhri.is_header, uhri.WANTED)
    incoming, problems, report = uhri.recommendations(table, state, cycle)
    if not report.matched and not report.other_cycles and report.concerned:
        named = ", ".join(f"{name} ({rows})" for name, rows in report.concerned.most_common(5))
        raise BadInput(f"{table.shown}: no row concerns {state!r} (Countries Concerned); "
                       f"its rows concern {named}")
    _refuse(problems)
    merged = contentfile.merge(
        project, uhri.STEM, incoming, key=uhri.key, new_id=uhri.new_id, imported=uhri.IMPORTED,
        update=update, heading=f"Imported from the Universal Human Rights Index "
                               f"({path.name}): recommendations to {state}. Each awaits "
                               "its assessment: write assessment and assessment_text.")
    _, warnings = contentfile.check(project, [merged], table)
    parts = [f"{report.matched} to {state}" + (f" (cycle {cycle})" if cycle else "")]
    for number, what in ((report.other_cycles, "of another cycle"),
                         (report.other_states, "for other States"),
                         (report.no_state, "naming no State"),
                         (report.not_upr, "not from the UPR (Recommending Body)"),
                         (report.repeated, "repeated")):
        if number:
            parts.append(f"{number} {what}")
    return Outcome(table, merged, f"{table.shown}: {report.rows} row(s): {', '.join(parts)}",
                   contentfile.write(project, merged), report.notes + problems,
                   len(warnings), left_out=report.unused)


def import_uwazi(project: Project, path: Path, *, mapping: Path,
                 update: bool = False) -> Outcome:
    """Add (or, with ``update``, refresh) the cases of an Uwazi export to
    ``cases.yaml``, and their translations to the content catalogs."""
    before = _valid(project)
    rules = uwazi.read_mapping(mapping, str(mapping))
    is_header, wanted = uwazi.header_test(rules)
    table = read_table(path, str(path), is_header, wanted)
    columns, problems = uwazi.sort_columns(table, rules, before.report.source_language)
    incoming, translations, more = uwazi.cases(table, columns, rules,
                                               {source.id for source in before.sources})
    problems += more + uwazi.check_translations(translations, before, table)
    _refuse(problems)
    uwazi.refuse_leaky_catalogs(project, before, translations)
    merged = contentfile.merge(
        project, uwazi.STEM, incoming, key=uwazi.key, new_id=uwazi.new_id,
        imported=uwazi.IMPORTED, update=update,
        heading=f"Imported from an Uwazi export ({path.name}) with {mapping.name}. Check "
                "each case for details that could identify the people concerned before "
                "building a public edition.")
    _, warnings = contentfile.check(project, [merged], table)
    written = contentfile.write(project, merged)
    notes = [problem for problem in problems if problem.severity != "error"]
    outcome = Outcome(table, merged, f"{table.shown}: {len(table.rows)} row(s), "
                                     f"{len(incoming)} case(s)", written, notes, len(warnings),
                      left_out=columns.left_out)
    if translations:
        ids = {id(item): ident for ident, item in merged.added + merged.unchanged}
        ids |= {id(change.incoming): change.ident for change in merged.changed}
        outcome.translations = uwazi.write_translations(project, load_content(project),
                                                        translations, ids, update)
    return outcome


def report(outcome: Outcome, verbose: bool = False) -> list[str]:
    """What an import did, in lines for the terminal."""
    merge, table = outcome.merge, outcome.table
    lines = [outcome.read]
    done = [f"{len(merge.added)} added"] if merge.added else []
    if merge.unchanged:
        done.append(f"{len(merge.unchanged)} already there, unchanged")
    if merge.changed:
        done.append(f"{len(merge.changed)} updated" if merge.updated else
                    f"{len(merge.changed)} would change (--update refreshes them)")
    lines.append(f"{merge.shown}: {', '.join(done) or 'nothing to import'}"
                 + ("" if outcome.written else "; nothing written"))
    if verbose:
        lines += [f"  {ident}: {table.where(item.row)}" for ident, item in merge.added]
    for change in merge.changed:
        lines.append(f"  {merge.shown}:{change.line}: {change.ident} "
                     f"({table.where(change.incoming.row)}): "
                     f"{'updated' if merge.updated else 'would change'} "
                     f"{', '.join(change.fields)}")
    for written in outcome.translations:
        done = [f"{count} {what}" for count, what in (
            (written.added, "translation(s) added"), (written.unchanged, "unchanged"),
            (len(written.changed), "updated"),
            (len(written.would_change), "would change (--update replaces them)")) if count]
        if done:
            lines.append(f"{written.shown}: {', '.join(done)}")
        lines += [f"  {context}: would change" for context in written.would_change]
        if written.no_catalog:
            lines.append(f"{written.shown}: no such catalog: {written.no_catalog} "
                         f"translation(s) into {written.language} left out (start it with "
                         f"'shadow-report i18n init {written.language}', then import again)")
        lines += [f"  left out: {item}" for item in written.left_out]
    if outcome.left_out:
        lines.append(f"columns not imported: {', '.join(outcome.left_out)}")
    if outcome.warnings:
        lines.append(f"{outcome.warnings} warning(s) in the content as imported (placeholders "
                     "to fill): 'shadow-report validate' lists them")
    if outcome.written:
        lines.append("next: 'shadow-report i18n update' gives the translators the new texts")
    return lines


def _valid(project: Project) -> Content:
    """The project's content; an import into a project with errors is refused,
    so that every problem it then reports is the import's."""
    try:
        return load_content(project)
    except ValidationFailed as failed:
        errors = sum(1 for problem in failed.problems if problem.severity == "error")
        raise ProjectError(f"{project.relative(project.content)}/ has {errors} error(s) "
                           "already: run 'shadow-report validate' and correct them before "
                           "importing") from None


def _refuse(problems: list[Problem]) -> None:
    if any(problem.severity == "error" for problem in problems):
        raise Refused(problems)


__all__ = ["BadInput", "Outcome", "import_uhri", "import_uwazi", "report"]
