"""Load a report project's content and check all of it, reporting every problem at once.

``load_content(project)`` reads ``content/report.yaml`` and the collection
files (``sources.yaml``, ``cases.yaml``, ...), validates each entry against
:mod:`builder.model`, then checks what no single entry can: unique ids,
references that resolve (structured fields and the inline markers of every
narrative text), dates not after the report date. Problems are located as
``content/cases.yaml:42:7`` with the key path; warnings (an unused source, a
``[TBC: ...]`` placeholder) are returned with the content, errors raise
:class:`~builder.errors.ValidationFailed`.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from builder import inline
from builder.errors import Problem, ValidationFailed
from builder.loader import Located, keypath_text, load_yaml
from builder.mechanisms import MECHANISMS
from builder.model import (
    COLLECTIONS,
    VARIANT_DEFAULT,
    Model,
    Report,
    Secret,
    Text,
    Variants,
)
from builder.project import Project

REPORT_FILE = "report"


@dataclass
class Content:
    """A whole, valid report project's content."""

    report: Report
    people: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    cases: list = field(default_factory=list)
    statistics: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    recommendations: list = field(default_factory=list)
    previous: list = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # Each file as read, with locations: file stem -> Located.
    files: dict[str, Located] = field(default_factory=dict)

    def index(self, collection: str) -> dict[str, Any]:
        return {entry.id: entry for entry in self.collection(collection)}

    def collection(self, name: str) -> list:
        return getattr(self, ATTRIBUTES[name])

    def for_mechanism(self, mechanism: str) -> Content:
        """The content as one mechanism's report reads it: each text given per
        mechanism (:class:`~builder.model.Variants`) replaced by that report's
        version; a paragraph the report has no version of is left out."""
        report = _resolved(self.report, mechanism)
        collections = {ATTRIBUTES[name]: _resolved(self.collection(name), mechanism)
                       for name in COLLECTIONS}
        return dataclasses.replace(self, report=report, **collections)


def _resolved(value: Any, mechanism: str) -> Any:
    """``value`` with every :class:`Variants` inside it resolved for
    ``mechanism``; the same object where there is none (most entries)."""
    if isinstance(value, Variants):
        return value.text_for(mechanism)
    if isinstance(value, Model):
        changed = {}
        for name in type(value).model_fields:
            item = getattr(value, name, None)
            if isinstance(item, (Model, list)):
                new = _resolved(item, mechanism)
                if new is not item:
                    changed[name] = new
        return value.model_copy(update=changed) if changed else value
    if isinstance(value, list):
        items = [_resolved(item, mechanism) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        # A paragraph a report has no version of is not in that report.
        return [new for new, old in zip(items, value, strict=True)
                if new is not None or old is None]
    return value


def variant_note(keypath: tuple, entry: Any) -> str:
    """For a text at ``keypath`` inside ``entry`` that is one version of a text
    given per mechanism, which reports print it ("" for any other text)."""
    found = _variant_at(entry, keypath)
    if found is None:
        return ""
    variants, key = found
    shown = [MECHANISMS[mech].short_name for mech in MECHANISMS
             if variants.text_for(mech) is getattr(variants, key)]
    if key != VARIANT_DEFAULT:
        return f"The {shown[0]} report's own version of this text, printed only there"
    if not shown:
        return ("The default version of a text given per mechanism; every report has "
                "its own version, so none prints it at present")
    return (f"The default version of a text given per mechanism, printed in the "
            f"{_joined(shown)} report{'s' if len(shown) > 1 else ''}")


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


# File stem -> attribute of Content.
ATTRIBUTES = {name: name for name in COLLECTIONS} | {"previous-recommendations": "previous"}


class _Checker:
    """Collects located problems while the content is read."""

    def __init__(self, project: Project | None, *, keys_as_written: bool = False):
        self.project = project
        # Capitalised keys stay in key paths (a mapping's column names), where
        # the content's are read as pydantic's names of union branches.
        self.keys_as_written = keys_as_written
        self.problems: list[Problem] = []
        self.files: dict[str, Located] = {}
        # Files that could not be read: references into them are not checked,
        # or every reference would repeat the one real problem.
        self.unreadable: set[str] = set()
        # (file stem, key path) of entries with errors, kept in part for the
        # reference checks.
        self.partial_entries: set[tuple] = set()
        # [>recommendation] and [§section] references, printed or not by each
        # mechanism's report: (file, stem, key path, node).
        self.edition_refs: list[tuple] = []

    def add(self, located: Located | str, keypath: tuple, message: str, *,
            at_key: bool = False, needle: str = "", severity: str = "error",
            prefix: str = "") -> None:
        if isinstance(located, str):
            self.problems.append(Problem(located, 0, 0, message, severity=severity))
            return
        if needle:
            line, col = located.locate_text(keypath, needle)
        else:
            line, col = located.where(keypath, key=at_key)
        if _confidential_place(located, prefix, tuple(keypath)):
            message = _redacted(message)
        key = keypath_text(((prefix,) if prefix else ()) + tuple(keypath))
        self.problems.append(Problem(located.path, line, col, message, key, severity))

    def read(self, stem: str, *, required: bool) -> Located | None:
        path = self.project.content / f"{stem}.yaml"
        shown = self.project.relative(path)
        if not os.path.lexists(path):
            if required:
                self.add(shown, (), "file not found: every report project needs it")
            return None
        located, problems = load_yaml(path, shown, self.project.root)
        self.problems.extend(problems)
        if located is None:
            self.unreadable.add(stem)
        else:
            self.files[stem] = located
        return located

    def model(self, located: Located, model: type[BaseModel], data: Any, keypath: tuple,
              prefix: str) -> BaseModel | None:
        """The validated entry; for an invalid one, a partial entry of its valid fields.

        The partial entry only serves the reference checks, so that a type error
        in one field does not hide a dangling reference in another.
        """
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for error in _readable_errors(exc.errors(), model, self.keys_as_written):
                self.pydantic_problem(located, keypath, error, prefix, model)
        if not isinstance(data, dict):
            return None
        self.partial_entries.add((prefix, keypath))
        valid = {}
        for name, info in model.model_fields.items():
            if name in data:
                try:
                    valid[name] = _adapter(model, name).validate_python(data[name])
                except ValidationError:
                    continue
            elif not info.is_required():
                valid[name] = info.get_default(call_default_factory=True)
        return model.model_construct(**valid)

    def pydantic_problem(self, located: Located, base: tuple, error: dict, prefix: str,
                         model: type[BaseModel]) -> None:
        loc = tuple(part for part in error["loc"]
                    if not _is_union_branch(part, self.keys_as_written))
        keypath = base + loc
        kind = error["type"]
        if kind == "extra_forbidden":
            known = _fields_at(model, loc[:-1])
            name = str(loc[-1])
            message = f"unknown field {name!r}"
            if VARIANT_DEFAULT in known and "mechanisms" in known:
                # A text given per mechanism: the keys are the mechanisms' names.
                known = [VARIANT_DEFAULT, *MECHANISMS]
                message = (f"unknown mechanism {name!r} in a text given per mechanism "
                           f"(write {', '.join(known)}, or mechanisms: [...])")
                close = difflib.get_close_matches(name, known, n=1)
                if close:
                    message += f" (did you mean {close[0]!r}?)"
                self.add(located, keypath, message, at_key=True, prefix=prefix)
                return
            close = difflib.get_close_matches(name, known, n=1)
            if close:
                message += f" (did you mean {close[0]!r}?)"
            elif known:
                message += f"; fields here: {', '.join(known)}"
            self.add(located, keypath, message, at_key=True, prefix=prefix)
            return
        if kind == "missing":
            self.add(located, keypath[:-1], f"missing required field {str(loc[-1])!r}",
                     prefix=prefix)
            return
        self.add(located, keypath, _message(error), prefix=prefix)


def check_file(located: Located, model: type[BaseModel]) -> tuple[BaseModel | None,
                                                                 list[Problem]]:
    """A file that is not part of the content (an importer's mapping) checked
    against ``model``, with the same messages and locations as the content."""
    check = _Checker(None, keys_as_written=True)
    entry = check.model(located, model, located.data, (), "")
    return (None if check.problems else entry), check.problems


_PERSON_SECRETS = {"name", "names", "aliases", "common_words", "born", "contact", "notes"}


def _confidential_place(located: Located, stem: str, keypath: tuple) -> bool:
    """Whether a value at ``keypath`` is confidential, so that no message may
    repeat it: a person's name and details, a case's confidential details,
    any field of an entry marked confidential: true."""
    if not keypath or not isinstance(keypath[0], int):
        return False
    if stem == "people" and len(keypath) > 1 and keypath[1] in _PERSON_SECRETS:
        return True
    if "confidential" in keypath[1:]:
        return True
    data = located.data
    entry = data[keypath[0]] if isinstance(data, list) and keypath[0] < len(data) else None
    return isinstance(entry, dict) and entry.get("confidential") is True


def _redacted(message: str) -> str:
    """A message without the value it is about (a confidential value must not
    reach a terminal or a CI log)."""
    message = re.sub(r"\[TBC:[^\]]*\]", "[TBC: ...]", message)
    message = re.sub(r"got .*$", "got a value of another kind", message)
    message = re.sub(r"'[^']*'", "(value not shown: confidential)", message)
    return message


@functools.cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter:
    info = model.model_fields[name]
    annotation = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
    return TypeAdapter(annotation)


def _readable_errors(errors: list[dict], model: type[BaseModel],
                     keys_as_written: bool = False) -> list[dict]:
    """Pydantic's errors as a drafter should read them.

    One error per location (``int | float`` fails once per branch: say "a
    number" once), and no "missing field 'title'" beside "unknown field
    'titel' (did you mean 'title'?)": the typo explains both.
    """
    by_place: dict[tuple, dict] = {}
    for error in errors:
        if error["type"] == "bool_type" and isinstance(error.get("input"), dict):
            continue  # true, or a mapping (a case's confidential details): the mapping
        loc = tuple(part for part in error["loc"] if not _is_union_branch(part, keys_as_written))
        error = {**error, "loc": loc}
        if loc in by_place:
            kinds = {by_place[loc]["type"], error["type"]}
            if kinds <= {"int_type", "float_type"}:
                by_place[loc] = {**error, "type": "float_type"}
            continue
        by_place[loc] = error
    misspelt = set()
    for loc, error in by_place.items():
        if error["type"] == "extra_forbidden":
            close = difflib.get_close_matches(str(loc[-1]), _fields_at(model, loc[:-1]), n=1)
            if close:
                misspelt.add((*loc[:-1], close[0]))
    return [error for loc, error in by_place.items()
            if not (error["type"] == "missing" and loc in misspelt)]


def _is_union_branch(part: Any, keys_as_written: bool = False) -> bool:
    # pydantic names the branch of an optional or union type inside the location
    return isinstance(part, str) and (
        part in {"str", "int", "float", "bool", "list", "none", "is-instance[Text]"}
        or "[" in part or part.startswith("function-")
        or (part[:1].isupper() and not keys_as_written)  # a model
    )


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names of the (nested) model at ``loc``, for did-you-mean."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        current = _model_in(info.annotation)
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    for arg in getattr(annotation, "__metadata__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    return _model_in(origin) if origin not in (None, list, dict) else None


_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list (lines starting with '- ')",
    "model_type": "a mapping (lines of 'key: value')",
    "dict_type": "a mapping (lines of 'key: value')",
    "model_attributes_type": "a mapping (lines of 'key: value')",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (write it in quotes if it is text)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def _message(error: dict) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind in _TYPE_NAMES:
        return f"expected {_TYPE_NAMES[kind]}, got {_describe(value)}"
    if kind == "literal_error":
        return f"must be one of {error['ctx']['expected']}, not {_describe(value)}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return "must list at least one entry"
    if kind == "string_pattern_mismatch":
        pattern = error["ctx"]["pattern"]
        if pattern.startswith("^https?"):
            return f"not a web address: {_describe(value)} (write it in full, with https://)"
        if "@" in pattern:
            return f"not an email address: {_describe(value)}"
        if pattern.startswith("^[a-z]{2,3}"):
            return f"not a language code such as en, ru or kk: {_describe(value)}"
        return f"not in the expected form: {_describe(value)}"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    return error["msg"]


def texts(entry: Any, keypath: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every narrative :class:`Text` inside a model, with its key path."""
    if isinstance(entry, Text):
        yield keypath, entry
    elif isinstance(entry, Model):
        for name in type(entry).model_fields:
            yield from texts(getattr(entry, name, None), (*keypath, name))
    elif isinstance(entry, (list, tuple)):
        for number, item in enumerate(entry):
            yield from texts(item, (*keypath, number))
    elif isinstance(entry, dict):  # by language: a source's official titles, a name's spellings
        for name, item in entry.items():
            yield from texts(item, (*keypath, name))


# Which collection each structured reference field points into.
_REFERENCE_FIELDS = {
    "sources": "sources",
    "source": "sources",
    "cases": "cases",
    "people": "people",
    "evidence": "cases",
    "sections": "sections",
    "follows_up": "previous-recommendations",
}
_INLINE_TARGET = {inline.Citation: ("sources", "source"), inline.CaseRef: ("cases", "case"),
                  inline.RecRef: ("recommendations", "recommendation"),
                  inline.StatRef: ("statistics", "statistic"),
                  inline.PersonRef: ("people", "person"),
                  inline.SectionRef: ("sections", "section")}
_SINGULAR = {"people": "person", "sources": "source", "cases": "case", "statistics": "statistic",
             "sections": "section", "recommendations": "recommendation",
             "previous-recommendations": "previous recommendation"}


def load_content(project: Project) -> Content:
    """Read and check the whole content of ``project``; raise on any error."""
    check = _Checker(project)
    report_file = check.read(REPORT_FILE, required=True)
    report = None
    if report_file is not None:
        if isinstance(report_file.data, dict):
            report = check.model(report_file, Report, report_file.data, (), "")
        else:
            check.add(report_file, (), "report.yaml must be a mapping of 'key: value' lines")

    entries: dict[str, list] = {}
    for stem, model in COLLECTIONS.items():
        entries[stem] = []
        located = check.read(stem, required=False)
        if located is None or located.data is None:
            continue
        if not isinstance(located.data, list):
            check.add(located, (), f"{stem}.yaml must be a list of entries, each starting "
                                   f"with '- id: ...'")
            check.unreadable.add(stem)
            continue
        for number, item in enumerate(located.data):
            entry = check.model(located, model, item, (number,), stem)
            if entry is not None:
                entries[stem].append((number, entry))

    _unknown_files(check)
    _date_order(check, entries, report)
    ids = _unique_ids(check, entries)
    _references(check, entries, ids, report)
    _not_yet_known(check, entries)
    problems = check.problems
    content = None
    if report is not None and ("", ()) not in check.partial_entries:
        content = Content(report=report, warnings=sorted(problems), files=check.files)
        for stem, listed in entries.items():
            setattr(content, ATTRIBUTES[stem], [
                entry for number, entry in listed
                if (stem, (number,)) not in check.partial_entries])
    if content is not None and check.edition_refs:
        _unprinted_refs(check, content)
        content.warnings = sorted(problems)
    if any(p.severity == "error" for p in problems) or content is None:
        failed = ValidationFailed(problems)
        # The valid part, so that the leak check can still run (every problem at once).
        failed.partial = content
        raise failed
    return content


def _unprinted_refs(check: _Checker, content: Content) -> None:
    """A warning for each ``[>recommendation]`` or ``[§section]`` that a
    mechanism's report shows in text but cannot print, because that report
    leaves the recommendation or section out (it has no chapter there): the
    reference is left out of that report. A text given per mechanism is
    shown only in the reports that print that version."""
    from builder.plan import plan_report

    reports = []  # (the mechanism, the entries its report shows, its plan)
    for mechanism in MECHANISMS.values():
        plan = plan_report(content, mechanism)
        shown = {("report", None)} | {("sections", s) for s in plan.section_chapters}
        shown |= {("recommendations", r.id) for r in plan.recommendations}
        shown |= {("cases", c.id) for c in plan.cases}
        shown |= {("previous-recommendations", p.id) for p in plan.previous}
        reports.append((mechanism, shown, plan))
    for located, stem, path, node in check.edition_refs:
        entry = ("report", None) if not stem else (stem, located.data[path[0]].get("id"))
        model = content.report if not stem else content.index(stem).get(entry[1])
        version = _variant_at(model, path if not stem else path[1:])
        if isinstance(node, inline.RecRef):
            what, ref = "recommendation", node.recommendation
        else:
            what, ref = "section", node.section
        left_out = [mechanism.short_name for mechanism, shown, plan in reports
                    if entry in shown and (version is None or version[0].text_for(
                        mechanism.key) is getattr(version[0], version[1]))
                    and ref not in (plan.recommendation_numbers if what == "recommendation"
                                    else plan.section_chapters)]
        if left_out:
            which = (f"{left_out[0]} report leaves" if len(left_out) == 1 else
                     f"{', '.join(left_out[:-1])} and {left_out[-1]} reports leave")
            check.add(located, path, f"refers to the {what} {ref!r}, which the {which} out: "
                      f"the reference is not printed there",
                      needle=inline.marker_text(node), severity="warning", prefix=stem)


def _variant_at(entry: Any, keypath: tuple) -> tuple[Variants, str] | None:
    """The text given per mechanism that the text at ``keypath`` inside
    ``entry`` is a version of, with its key; None for any other text."""
    if not keypath or keypath[-1] not in (VARIANT_DEFAULT, *MECHANISMS):
        return None
    parent = entry
    for part in keypath[:-1]:
        if isinstance(part, int):
            parent = parent[part] if isinstance(parent, list) and part < len(parent) else None
        else:
            parent = getattr(parent, part, None)
    return (parent, keypath[-1]) if isinstance(parent, Variants) else None


def _unknown_files(check: _Checker) -> None:
    known = [REPORT_FILE, *COLLECTIONS]
    try:
        paths = sorted(check.project.content.iterdir())
    except OSError as exc:
        check.add(check.project.relative(check.project.content), (),
                  f"the content folder cannot be read: {exc.strerror}")
        return
    for path in paths:
        if path.suffix in (".yaml", ".yml") and path.stem not in known or path.suffix == ".yml":
            hint = difflib.get_close_matches(path.stem, known, n=1)
            message = "not a content file, so it is ignored"
            if path.suffix == ".yml" and path.stem in known:
                message += f" (name it {path.stem}.yaml)"
            elif hint:
                message += f" (did you mean {hint[0]}.yaml?)"
            check.add(check.project.relative(path), (), message, severity="warning")


def _date_order(check: _Checker, entries: dict[str, list], report: Report | None) -> None:
    """An end before its start, located at the end."""
    period = getattr(report, "period", None)
    if period is not None and period.end.latest() < period.start.earliest():
        check.add(check.files[REPORT_FILE], ("period", "end"),
                  f"the period ends ({period.end}) before it starts ({period.start})")
    for number, case in entries["cases"]:
        end, start = getattr(case, "date_end", None), getattr(case, "date", None)
        if end is None:
            continue
        if start is None:
            check.add(check.files["cases"], (number, "date_end"),
                      "date_end is given without a date", prefix="cases")
        elif end.latest() and start.earliest() and end.latest() < start.earliest():
            check.add(check.files["cases"], (number, "date_end"),
                      f"date_end {end} is before date {start}", prefix="cases")


def _unique_ids(check: _Checker, entries: dict[str, list]) -> dict[str, set[str]]:
    """Report duplicate ids; return every id given, valid entry or not.

    Ids are read from the raw data, so that one mistake in an entry neither
    hides a duplicate nor reports every reference to that entry as dangling.
    """
    ids: dict[str, set[str]] = {}
    for stem in entries:
        located = check.files.get(stem)
        raw = located.data if located is not None and isinstance(located.data, list) else []
        first: dict[str, int] = {}
        for number, item in enumerate(raw):
            ident = item.get("id") if isinstance(item, dict) else None
            if not isinstance(ident, str):
                continue
            if ident in first:
                line = located.where((first[ident], "id"))[0]
                check.add(located, (number, "id"),
                          f"duplicate id {ident!r} (first used on line {line})", prefix=stem)
            else:
                first[ident] = number
        ids[stem] = set(first)
    return ids


def _references(check: _Checker, entries: dict[str, list], ids: dict[str, set[str]],
                report: Report | None) -> None:
    used_sources: set[str] = set()
    report_date = getattr(report, "date", None)
    report_date = report_date.earliest() if report_date else None
    all_texts: list[tuple[Located, str, tuple, str, bool]] = []
    # Confidential entries, by collection: public text must not refer to them.
    withheld = {stem: {entry.id for _, entry in listed
                       if getattr(entry, "confidential", False) is True}
                for stem, listed in entries.items()}

    for stem, listed in entries.items():
        located = check.files.get(stem)
        for number, entry in listed:
            for name, target in _REFERENCE_FIELDS.items():
                if name not in type(entry).model_fields:
                    continue
                value = getattr(entry, name, None)
                if value is None:
                    continue
                refs = value if isinstance(value, list) else [value]
                for position, ref in enumerate(refs):
                    path = (number, name, position) if isinstance(value, list) else (number, name)
                    if target == "sources":
                        used_sources.add(ref)
                    if ref not in ids[target] and target not in check.unreadable:
                        check.add(located, path, _dangling(target, ref, ids[target]),
                                  prefix=stem)
                    elif target == "sources" and ref in withheld["sources"] and \
                            getattr(entry, "confidential", False) is not True:
                        check.add(located, path, _withheld("sources", ref), prefix=stem)
            for field_name in ("date", "date_end"):
                value = getattr(entry, field_name, None)
                if value is not None and report_date and value.earliest() and \
                        value.earliest() > report_date:
                    check.add(located, (number, field_name),
                              f"date {value} is after the report's date {report.date}",
                              prefix=stem)
            public = getattr(entry, "confidential", False) is not True
            all_texts.extend((located, stem, path, text, public)
                             for path, text in texts(entry, (number,)))
    if report is not None:
        all_texts.extend((check.files[REPORT_FILE], "", path, text, True)
                         for path, text in texts(report))

    for located, stem, path, text, public in all_texts:
        try:
            nodes = inline.parse(text)
        except inline.InlineError as exc:
            needle = text[exc.offset:].split(maxsplit=1)[0] if text[exc.offset:].strip() else ""
            check.add(located, path, exc.message, needle=needle, prefix=stem)
            continue
        for node in inline.walk(nodes):
            if isinstance(node, inline.Placeholder):
                check.add(located, path, f"placeholder to confirm: [TBC: {node.text}]",
                          needle=inline.marker_text(node), severity="warning", prefix=stem)
                continue
            target = _INLINE_TARGET.get(type(node))
            if target is None:
                continue
            collection, attr = target
            ref = getattr(node, attr)
            if collection == "sources":
                used_sources.add(ref)
            if ref not in ids[collection] and collection not in check.unreadable:
                check.add(located, path, _dangling(collection, ref, ids[collection]),
                          needle=inline.marker_text(node), prefix=stem)
            elif public and ref in withheld.get(collection, ()) and not _secret(path, text):
                check.add(located, path, _withheld(collection, ref),
                          needle=inline.marker_text(node), prefix=stem)
            elif collection in ("recommendations", "sections"):
                check.edition_refs.append((located, stem, path, node))

    sources = check.files.get("sources")
    for number, entry in entries["sources"]:
        if entry.id not in used_sources:
            check.add(sources, (number, "id"), f"source {entry.id!r} is never cited",
                      severity="warning", prefix="sources")


def _not_yet_known(check: _Checker, entries: dict[str, list]) -> None:
    """A previous recommendation whose response or assessment is left out (not
    known yet, as an import leaves them): a warning, as a placeholder is, so that
    a release build refuses. An assessment_text with a [TBC: ...] is reminder
    enough of a missing assessment."""
    stem = "previous-recommendations"
    for number, entry in entries[stem]:
        if (stem, (number,)) in check.partial_entries:
            continue
        if entry.response is None:
            check.add(check.files[stem], (number,), "the State's response is not given: "
                      "write response: supported or noted once it is known",
                      severity="warning", prefix=stem)
        if entry.assessment is None and not any(
                inline.placeholders(text) for _, text in texts(entry.assessment_text)):
            check.add(check.files[stem], (number,), "not assessed yet: write assessment: "
                      "implemented, partially-implemented, not-implemented or worsened",
                      severity="warning", prefix=stem)


def _withheld(collection: str, ref: str) -> str:
    what = _SINGULAR[collection]
    return (f"public text refers to the confidential {what} {ref!r}: a public edition "
            f"would have to leave it out; refer to it only from confidential text")


def _secret(path: tuple, text: str) -> bool:
    """Text printed only in internal editions (a case's confidential details)."""
    return isinstance(text, Secret) or "confidential" in path


def _dangling(collection: str, ref: str, known: set[str]) -> str:
    what = _SINGULAR[collection]
    if collection == "people":
        # The id written may be the person's name (an id left over from before
        # it was renamed): never repeat it, nor suggest another person's id.
        return "no person with this id in people.yaml (the id is not repeated here)"
    message = f"no {what} with id {ref!r}"
    close = difflib.get_close_matches(ref, sorted(known), n=1)
    if close:
        message += f" (did you mean {close[0]!r}?)"
    elif not known:
        message += f" ({collection}.yaml defines none)"
    return message
