"""Read YAML content files into plain data, remembering where every value came from.

PyYAML's safe loader loses line numbers, silently keeps the last of two
duplicate keys, turns ``2021-05-29`` into a ``datetime.date`` and expands
aliases without limit. This module composes the YAML node graph instead and
converts it itself, so that:

* every value has a location (:class:`Located`), used to report problems as
  ``path:line:col``;
* a duplicate key is an error, not a silent overwrite;
* dates stay text (the content model parses partial dates such as ``2021-05``);
* anchors, aliases and merge keys are refused: a drafter never needs them and
  they are how "billion laughs" documents blow up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from builder.errors import Problem
from builder.project import Unreadable, read_inside

# Content files are small; anything larger is a mistake (or an attack).
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64


@dataclass
class Located:
    """Plain data of one file plus the location of each key path in it."""

    path: str  # relative to the project, as shown to users
    data: Any
    # key path (tuple of str keys and int indexes) -> (line, column), 1-based
    value_marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    # key path of a text scalar -> (first line, last line) it spans in the file
    spans: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def where(self, keypath: tuple, *, key: bool = False) -> tuple[int, int]:
        """The location of ``keypath``, or of its nearest parent that exists."""
        marks = self.key_marks if key else self.value_marks
        probe = tuple(keypath)
        while probe:
            if probe in marks:
                return marks[probe]
            if probe in self.value_marks:
                return self.value_marks[probe]
            probe = probe[:-1]
        return self.value_marks.get((), (1, 1))

    def locate_text(self, keypath: tuple, needle: str) -> tuple[int, int]:
        """Where ``needle`` first occurs inside the text value at ``keypath``.

        Used to point at a citation marker inside a multi-line paragraph
        rather than at the paragraph's first line.
        """
        start = self.where(keypath)
        first, last = self.spans.get(tuple(keypath), (start[0], start[0]))
        for number in range(first, min(last, len(self.lines)) + 1):
            line = self.lines[number - 1]
            col = line.find(needle, start[1] - 1 if number == start[0] else 0)
            if col >= 0:
                return number, col + 1
        return start


class _Refused(Exception):
    def __init__(self, mark: yaml.Mark | None, message: str):
        self.mark = mark
        self.message = message


class _NoDatesLoader(yaml.SafeLoader):
    """SafeLoader resolution rules, except that timestamps stay strings."""


_NoDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}

# libyaml's parser (PyYAML's C binding) when PyYAML was built with it: the
# same events and marks, about ten times faster than the pure-Python scanner on
# a report of thousands of entries. The scalars are resolved by the same rules.
if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(yaml.CSafeLoader):
        yaml_implicit_resolvers = _NoDatesLoader.yaml_implicit_resolvers
else:  # pragma: no cover - PyPI's wheels include libyaml
    _FastLoader = _NoDatesLoader

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


def _mark(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def load_yaml(path: Path, shown_as: str, root: Path | None = None
              ) -> tuple[Located | None, list[Problem]]:
    """Load one YAML file; return its data with locations, or the problems found.

    With ``root``, a file that resolves outside it is refused (see
    :func:`builder.project.read_inside`, which also refuses special files and
    files over the size limit before reading them).
    """
    try:
        raw = read_inside(path, root, MAX_FILE_BYTES)
    except Unreadable as exc:
        return None, [Problem(shown_as, 0, 0, str(exc))]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Problem(shown_as, line, col, "not UTF-8 text: save the file with UTF-8 encoding")
        ]
    return load_text(text, shown_as)


def load_text(text: str, shown_as: str) -> tuple[Located | None, list[Problem]]:
    """The YAML of ``text`` as :func:`load_yaml` reads a file (an importer
    reads the file it is about to write this way)."""
    text = text.removeprefix("\ufeff")
    located = Located(shown_as, None, lines=text.splitlines())
    tab = _indentation_tab(located.lines)
    if tab:
        return None, [
            Problem(shown_as, tab[0], tab[1], "tab character in indentation: indent with spaces")
        ]
    try:
        try:
            refused = _prescan(text, _FastLoader)
            node = None if refused else yaml.compose(text, Loader=_FastLoader)
        except yaml.YAMLError:
            # Said again by the pure-Python parser, whose messages and marks
            # the messages below are written for.
            refused = _prescan(text, _NoDatesLoader)
            node = None if refused else yaml.compose(text, Loader=_NoDatesLoader)
        if refused is not None:
            line, col = _mark(refused[0])
            return None, [Problem(shown_as, line, col, refused[1])]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and mark is not None and mark.index >= len(text):
            # "found unexpected end of stream": the useful place is where the
            # unclosed thing (a quote, a bracket) was opened.
            mark = exc.context_mark
        line, col = _mark(mark)
        message = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            message = f"{exc.problem} ({exc.context})"
        return None, [Problem(shown_as, line, col, f"YAML syntax error: {message}")]
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML marks nearly everything
        return None, [Problem(shown_as, 1, 1, f"YAML syntax error: {exc}")]
    if node is None:
        located.data = None
        return located, []
    converter = _Converter(located)
    try:
        located.data = converter.convert(node)
    except _Refused as refused:
        line, col = _mark(refused.mark)
        return None, [Problem(shown_as, line, col, refused.message)]
    if converter.problems:
        return None, converter.problems
    return located, []


def _prescan(text: str, loader: type) -> tuple[yaml.Mark, str] | None:
    """Refuse aliases and deep nesting from the event stream, before composing.

    Composing would only tell where an alias's anchor is, and PyYAML's
    composer recurses, so a deeply nested document would exhaust Python's
    stack before the converter could count levels.
    """
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark, ("YAML aliases (*name) are not supported: write the "
                                      "value out in full")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH + 1:  # the top level is level 0
                return event.start_mark, f"nested more than {MAX_DEPTH} levels deep"
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _indentation_tab(lines: list[str]) -> tuple[int, int] | None:
    """YAML forbids tabs in indentation; PyYAML's own message for it is obscure."""
    for number, line in enumerate(lines, start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            return number, len(line) - len(stripped) + 1
    return None


class _Converter:
    """Turns a composed node graph into plain data, recording locations."""

    def __init__(self, out: Located):
        self.out = out
        self.seen: set[int] = set()
        self.problems: list[Problem] = []
        self.scalars = _NoDatesLoader("")

    def convert(self, node: yaml.Node, keypath: tuple = (), depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise _Refused(node.start_mark, f"nested more than {MAX_DEPTH} levels deep")
        if id(node) in self.seen:
            raise _Refused(
                node.start_mark,
                "YAML aliases (*name) are not supported: write the value out in full",
            )
        self.seen.add(id(node))
        self.out.value_marks[keypath] = _mark(node.start_mark)
        if isinstance(node, yaml.ScalarNode):
            if node.tag not in _SCALAR_TAGS:
                raise _Refused(node.start_mark, f"unsupported YAML tag {node.tag!r}")
            self.out.spans[keypath] = (node.start_mark.line + 1, node.end_mark.line + 1)
            return self.scalars.construct_object(node)
        if node.tag not in ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"):
            raise _Refused(node.start_mark, f"unsupported YAML tag {node.tag!r}")
        if isinstance(node, yaml.SequenceNode):
            return [
                self.convert(item, (*keypath, index), depth + 1)
                for index, item in enumerate(node.value)
            ]
        return self.mapping(node, keypath, depth)

    def mapping(self, node: yaml.MappingNode, keypath: tuple, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(key_node.start_mark, "YAML merge keys (<<) are not supported")
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(key_node.start_mark, "a key must be plain text")
            key = str(key_node.value)
            where = _mark(key_node.start_mark)
            if key in result:
                first = self.out.key_marks[(*keypath, key)][0]
                self.problems.append(
                    Problem(
                        self.out.path,
                        *where,
                        f"duplicate key {key!r} (first given on line {first})",
                        key=keypath_text((*keypath, key)),
                    )
                )
                continue
            self.out.key_marks[(*keypath, key)] = where
            result[key] = self.convert(value_node, (*keypath, key), depth + 1)
        return result


def keypath_text(keypath: tuple) -> str:
    """``('cases', 3, 'date')`` -> ``cases[3].date``."""
    text = ""
    for part in keypath:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text
