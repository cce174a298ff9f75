"""Imported entries into a content file, without losing a drafter's word.

* New entries are added after the file's own, as text: everything before them
  stays byte for byte, comments, blank lines and all.
* An entry already in the file (matched by the importer's key: document
  symbol and number, a case's title) keeps everything the drafters wrote.
  Where an imported field differs, the change is reported, and made only when
  asked (``--update``): the field's value is replaced where it stands (a
  missing field is added after the one the model puts before it), and not one
  other character of the file changes. The drafters' file is never written
  out again whole: ruamel.yaml's round trip, tried first, moved comments and
  re-indented lists in the project's own sample (``content/cases.yaml``), so
  the edits are spliced into the text at the places the YAML parser gives.
  ruamel.yaml writes what is new, in the content files' style (a long text
  folded at their width, a short list on one line, quotes where needed).
* What would be written is checked first, in a copy of ``content/``, by the
  project's own loader and leak check; a problem in an imported entry is
  reported at its row and column in the export, and nothing is written.
* The file is then replaced at once (:func:`builder.project.write_atomic`).
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString

from builder.confidential import content_leaks, leak_matcher
from builder.content import Content, load_content
from builder.errors import Problem, ProjectError, ValidationFailed
from builder.importers.tables import Refused, Row, Table
from builder.loader import MAX_FILE_BYTES, load_text
from builder.model import COLLECTIONS
from builder.project import Project, Unreadable, read_inside, write_atomic

# A folded text is written in lines of at most this many characters (the
# content files' own width), after the four spaces of an entry's field.
WIDTH = 79
TEXT_INDENT = 4


@dataclass
class Incoming:
    """One entry read from an export, and where it came from."""

    data: dict[str, Any]  # its fields, without an id
    row: Row
    key: tuple  # what identifies it among the entries of the file
    columns: dict[str, str] = field(default_factory=dict)  # field -> the column it came from
    ident: str | None = None  # the id the export gives it, if any


@dataclass
class Change:
    ident: str
    line: int
    fields: list[str]
    incoming: Incoming


@dataclass
class Merge:
    """What an import does to one content file."""

    stem: str
    shown: str
    before: str  # the file as it was ("" when new)
    text: str  # the file as it will be written
    added: list[tuple[str, Incoming]] = field(default_factory=list)
    unchanged: list[tuple[str, Incoming]] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)  # made with update, else would be
    updated: bool = False
    # Index of an entry in the new file -> the row it came from.
    origins: dict[int, Incoming] = field(default_factory=dict)


def merge(project: Project, stem: str, incoming: list[Incoming], *,
          key: Callable[[dict], tuple | None], new_id: Callable[[Incoming, set[str]], str],
          imported: tuple[str, ...], update: bool, heading: str) -> Merge:
    """The file ``content/<stem>.yaml`` with ``incoming`` merged in (not written).

    ``key`` gives an existing entry's key (None: it matches nothing);
    ``new_id`` an id for a new entry, given the ids taken (the importer has
    made sure that no two of ``incoming`` have the same key); ``imported`` are
    the fields an import may refresh; ``heading`` is the comment written
    above the entries added.
    """
    path = project.content / f"{stem}.yaml"
    shown = project.relative(path)
    before = _read(path, project, shown)
    entries = _data(before, shown) if before.strip() else []
    nodes = _entry_nodes(before) if entries else []
    result = Merge(stem, shown, before, before)
    by_key: dict[tuple, int] = {}
    for number, entry in enumerate(entries):
        found = key(entry) if isinstance(entry, dict) else None
        if found is not None:
            by_key.setdefault(found, number)
    taken = {str(entry.get("id")) for entry in entries if isinstance(entry, dict)}
    order = list(COLLECTIONS[stem].model_fields)
    fresh: list[dict] = []
    edits: list[tuple[int, int, int, str]] = []
    for item in incoming:
        number = by_key.get(item.key)
        if number is None:
            ident = new_id(item, taken)
            taken.add(ident)
            result.added.append((ident, item))
            result.origins[len(entries) + len(fresh)] = item
            fresh.append({"id": ident, **item.data})
            continue
        entry = entries[number]
        ident = str(entry.get("id"))
        # What the export leaves empty is never taken away from the drafters.
        differing = [name for name in imported if _comparable(item.data.get(name)) is not None
                     and _comparable(entry.get(name)) != _comparable(item.data.get(name))]
        result.origins[number] = item
        if not differing:
            result.unchanged.append((ident, item))
            continue
        result.changed.append(Change(ident, nodes[number].start_mark.line + 1, differing, item))
        if update:
            edits += [_edit(before, nodes[number], name, item.data[name], order)
                      for name in differing]
    if edits:
        result.text = _spliced(before, edits)
        result.updated = True
        _check_spliced(result.text, result, shown)
    if fresh:
        result.text = _append(result.text, fresh, heading, stem)
    return result


def _read(path: Path, project: Project, shown: str) -> str:
    if not path.exists():
        return ""
    try:
        return read_inside(path, project.root, MAX_FILE_BYTES).decode("utf-8-sig")
    except (Unreadable, UnicodeDecodeError) as exc:
        raise ProjectError(f"{shown}: {exc}") from None


def _data(text: str, shown: str) -> list:
    """The entries of a content file as the project's loader reads them
    (dates as text)."""
    located, problems = load_text(text, shown)
    if located is None:  # validate would have said so first
        raise ValidationFailed(problems)
    return located.data if isinstance(located.data, list) else []


def _entry_nodes(text: str) -> list[yaml.MappingNode]:
    """The entries of a content file as the YAML parser sees them, each with
    the exact place of every key and value (``start_mark``, ``end_mark``)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    return list(root.value) if isinstance(root, yaml.SequenceNode) else []


def _dump(document: CommentedMap) -> list[str]:
    """A mapping as ruamel.yaml writes it in the content files' layout (a
    nested list indented under its key, no line rewrapped), a string per line."""
    writer = YAML()
    writer.width = 4096
    writer.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    writer.dump(document, out)
    return out.getvalue().splitlines()


# --- an existing entry's fields, replaced or added where they stand ---------------------


def _edit(text: str, entry: yaml.MappingNode, name: str, value: Any, order: list[str]
          ) -> tuple[int, int, int, str]:
    """(start, end, rank, replacement): the text that sets the field ``name``
    of ``entry`` to ``value``. Edits are made from the end of the file back;
    of several fields added at one place the last in the model's order is
    made first, so that they stand in that order. A comment on the field's
    line stays on it."""
    pairs = {key.value: (key, node) for key, node in entry.value}
    column = entry.value[0][0].start_mark.column
    if name not in pairs:
        preceding = [key for key in pairs
                     if key in order and order.index(key) < order.index(name)]
        anchor = pairs[preceding[-1]][1] if preceding else entry.value[0][1]
        line_end = text.find("\n", _value_end(text, anchor))
        position = len(text) if line_end < 0 else line_end
        if text[position - 1:position] == "\r":
            position -= 1
        return (position, position, order.index(name),
                "\n" + " " * column + _joined(_field_lines(name, _styled(value)), column))
    key_node, node = pairs[name]
    lines = _field_lines(name, _styled(value, like=_style_of(node)))
    start, end = key_node.start_mark.index, _value_end(text, node)
    below = node.start_mark.line > key_node.start_mark.line
    if below and isinstance(node, yaml.SequenceNode):
        # The items of a block list are replaced; its key's line stays as it is.
        dash = node.start_mark.column
        items = [line[2:] if line.startswith("  ") else line for line in lines[1:]]
        return node.start_mark.index, end, 0, "\n".join(
            [items[0], *(" " * dash + line if line else line for line in items[1:])])
    if below:  # a comment after "name:"
        comment = _comment_after(text, text.index(":", key_node.end_mark.index) + 1)
    elif isinstance(node, yaml.ScalarNode) and node.style in (">", "|"):  # after ">"
        indicator = re.match(r"[>|][-+0-9]*", text[node.start_mark.index:])
        comment = _comment_after(text, node.start_mark.index + indicator.end())
    else:  # after a value on the key's line: it stays after it, unless the new
        comment = _comment_after(text, end)  # value takes several lines
        if len(lines) == 1:
            comment = ""
        end += len(comment)
    return start, end, 0, _joined([lines[0] + comment, *lines[1:]], column)


def _comment_after(text: str, index: int) -> str:
    """The comment (with the spaces before it) that ends the line at ``index``."""
    line_end = text.find("\n", index)
    rest = text[index:len(text) if line_end < 0 else line_end].rstrip("\r")
    return rest if rest.strip().startswith("#") else ""


def _value_end(text: str, node: yaml.Node) -> int:
    """Where a value ends: after its last character (a block's trailing line
    breaks and blank lines are the file's, not the value's)."""
    start, end = node.start_mark.index, node.end_mark.index
    return start + len(text[start:end].rstrip())


def _style_of(node: yaml.Node) -> Any:
    """A stand-in for an existing value, that tells _styled its style."""
    if isinstance(node, yaml.SequenceNode):
        sequence = CommentedSeq()
        if node.flow_style:
            sequence.fa.set_flow_style()
        else:
            sequence.fa.set_block_style()
        return sequence
    if isinstance(node, yaml.ScalarNode) and node.style in (">", "|"):
        return FoldedScalarString("")
    return None


def _field_lines(name: str, styled: Any) -> list[str]:
    """``name: value``, a string per line, from column 0."""
    return _dump(CommentedMap([(name, styled)]))


def _joined(lines: list[str], column: int) -> str:
    """The lines of a field of an entry whose keys stand at ``column`` (the
    first line goes where the key stands already)."""
    return "\n".join([lines[0], *(" " * column + line if line else line
                                  for line in lines[1:])])


def _spliced(text: str, edits: list[tuple[int, int, int, str]]) -> str:
    newline = "\r\n" if "\r\n" in text else "\n"
    for start, end, _, replacement in sorted(edits, key=lambda edit: edit[:3], reverse=True):
        text = text[:start] + replacement.replace("\n", newline) + text[end:]
    return text


def _check_spliced(text: str, result: Merge, shown: str) -> None:
    """The edited file must read back with the new values and nothing else
    changed in its entries: a slip here would be a fault of ours, refused
    rather than written."""
    after, before = _data(text, shown), _data(result.before, shown)
    changed = {change.ident: change for change in result.changed}
    for old, new in zip(before, after, strict=True):
        change = changed.get(str(old.get("id")))
        for name in set(old) | set(new):
            wanted = change.incoming.data.get(name) if change and name in change.fields \
                else old.get(name)
            if _comparable(new.get(name)) != _comparable(wanted):
                raise RuntimeError(f"{shown}: updating {old.get('id')}.{name} went wrong")


def _append(text: str, entries: list[dict], heading: str, stem: str) -> str:
    """``text`` with ``entries`` written after it, each after a blank line, in
    the content files' layout (a nested list indented under its key)."""
    if not text.strip():
        text = f"# yaml-language-server: $schema=../schemas/{stem}.schema.json\n"
    text = re.sub(r"(?m)^\[\]\s*$", "", text, count=1)  # an empty list written as []
    if not text.endswith("\n"):
        text += "\n"
    blocks = []
    for entry in entries:
        lines = _dump(CommentedMap((name, _styled(value)) for name, value in entry.items()
                                   if value not in (None, "", [])))
        blocks.append("".join(("- " if number == 0 else "  " if line else "") + line + "\n"
                              for number, line in enumerate(lines)))
    comment = "".join(f"# {line}\n" for line in textwrap.wrap(heading, WIDTH - 2,
                                                               break_on_hyphens=False))
    return text + "\n" + comment + "\n".join(blocks)


def _styled(value: Any, like: Any = None, flow: bool = False) -> Any:
    """A value as the content files write it: a long text folded into lines,
    a text that needs quotes in double quotes, a short list on one line."""
    if isinstance(value, list):
        flow = like.fa.flow_style() if isinstance(like, CommentedSeq) else \
            sum(len(str(item)) + 2 for item in value) <= 60
        sequence = CommentedSeq([_styled(item, flow=flow) for item in value])
        if flow:
            sequence.fa.set_flow_style()
        else:
            sequence.fa.set_block_style()
        return sequence
    if not isinstance(value, str):
        return value
    if len(value) > 60 or isinstance(like, FoldedScalarString):
        return _folded(value)
    if _needs_quotes(value, flow):
        return DoubleQuotedScalarString(value)
    return value


def _folded(value: str) -> FoldedScalarString:
    """``value`` as a folded block (``>``), broken at spaces into lines that fit."""
    value = " ".join(value.split())
    folded = FoldedScalarString(value + "\n")
    positions, start, last = [], 0, None
    room = WIDTH - TEXT_INDENT
    for index, char in enumerate(value):
        if char != " ":
            continue
        if index - start > room and last is not None:
            positions.append(last)
            start = last + 1
        last = index
    if len(value) - start > room and last is not None and last > start:
        positions.append(last)
    folded.fold_pos = positions
    return folded


_PLAIN_UNSAFE = re.compile(
    r"""^[-?:,\[\]{}#&*!|>'"%@`\s]|: | #|:$|\s$|^(?:[-+]?[\d.][\d._:eE+-]*|true|false|yes|no|on|"""
    r"""off|null|~|y|n)$""", re.IGNORECASE)


def _needs_quotes(value: str, flow: bool = False) -> bool:
    return bool(_PLAIN_UNSAFE.search(value)) or "\n" in value or \
        (flow and any(char in value for char in ",[]{}"))


def _comparable(value: Any) -> Any:
    """A value as an import compares it: spacing and line breaks of a text
    do not count, nor does the difference between nothing and an empty list."""
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, list):
        return [_comparable(item) for item in value] or None
    return value


# --- checked, then written ---------------------------------------------------------


def check(project: Project, merges: list[Merge], table: Table) -> tuple[Content, list[Problem]]:
    """Load the project as it would be after ``merges``, in a copy of its
    content folder, with every check of ``validate`` and the leak check.

    Returns the content and the warnings, or raises :class:`ValidationFailed`
    with the errors, each in an imported entry located at its row and column
    in ``table``.
    """
    with tempfile.TemporaryDirectory(prefix="shadow-report-import-") as scratch:
        copy = Project(Path(scratch).resolve())
        shutil.copytree(project.content, copy.content)
        for item in merges:
            (copy.content / f"{item.stem}.yaml").write_text(item.text, encoding="utf-8")
        try:
            content = load_content(copy)
            problems = content.warnings + [leak.problem for leak in
                                           content_leaks(content, leak_matcher(content))]
        except ValidationFailed as failed:
            content, problems = None, failed.problems
    problems = [_at_origin(problem, merges, table) for problem in problems]
    if content is None or any(problem.severity == "error" for problem in problems):
        # In the content's order (the rows', for new entries), with the warnings
        # of the export's rows only: those of other entries are not the import's.
        raise Refused([problem for problem in problems
                       if problem.severity == "error" or problem.path == table.shown])
    return content, problems


def _at_origin(problem: Problem, merges: list[Merge], table: Table) -> Problem:
    """A problem in an imported entry, at the row and column it came from."""
    for item in merges:
        match = re.match(rf"{re.escape(item.stem)}\[(\d+)\](?:\.(\w+))?", problem.key)
        if match is None or int(match.group(1)) not in item.origins:
            continue
        incoming = item.origins[int(match.group(1))]
        name = match.group(2)
        column = incoming.columns.get(name) if name else None
        message = problem.message if column or not name else f"{name}: {problem.message}"
        return table.problem(incoming.row, column, message, problem.severity)
    return problem


def write(project: Project, merge_: Merge) -> bool:
    """Write the merged file if anything changed; say whether it did."""
    if merge_.text == merge_.before:
        return False
    write_atomic(project.content / f"{merge_.stem}.yaml", merge_.text.encode("utf-8"))
    return True
