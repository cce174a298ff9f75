"""The light inline syntax of narrative text, parsed into a small tree.

A drafter and a translator read and write it in any text editor::

    Police detained two activists [@rferl-watchdog] and held them for nearly
    eight hours (see [#shymkent-detention]); *no one* was charged.

======================  ==============================================
``*text*``              emphasis
``**text**``            strong emphasis
``[@source-id]``        citation: becomes a footnote naming the source
``[@source-id, p. 4]``  citation with a locator
``[#case-id]``          reference to a documented case ("case 3")
``[>recommendation-id]``  reference to a recommendation ("recommendation 7")
``[§section-id]``       reference to a section: its chapter's number and its title
``[=statistic-id]``     a figure from ``statistics.yaml``, with its source
``[%person-id]``        a person from ``people.yaml``: the pseudonym in public
                        editions, the name in internal ones
``[TBC: what]``         a visible placeholder for something to confirm
``\\*``, ``\\[``, ``\\\\``  a literal ``*``, ``[`` or backslash
======================  ==============================================

Any other text, brackets included (``[sic]``), stays text. Nothing else becomes
markup: HTML in the content is escaped like any other text. The parser is
strict where a typo would silently change the document: an unclosed ``*`` or
``[@`` is an error, located by the caller.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")

# The characters after "[" that open a reference: citation, case,
# recommendation, statistic, person, section.
REFERENCE_KINDS = "@#>=%§"
# A reference as written, "[@src, p. 4]": an id (and locator), never words of the text.
REFERENCE = re.compile(rf"\[[{re.escape(REFERENCE_KINDS)}][^\]]*\]")


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Emphasis:
    children: tuple
    strong: bool = False


@dataclass(frozen=True)
class Citation:
    source: str
    locator: str = ""


@dataclass(frozen=True)
class CaseRef:
    case: str


@dataclass(frozen=True)
class RecRef:
    recommendation: str


@dataclass(frozen=True)
class StatRef:
    statistic: str


@dataclass(frozen=True)
class PersonRef:
    person: str


@dataclass(frozen=True)
class SectionRef:
    section: str


@dataclass(frozen=True)
class Placeholder:
    text: str


Node = (Text | Emphasis | Citation | CaseRef | RecRef | StatRef | PersonRef | SectionRef
        | Placeholder)
# Each reference node's marker character and the attribute that holds its id.
_KINDS = {"#": ("case", CaseRef), ">": ("recommendation", RecRef),
          "=": ("statistic", StatRef), "%": ("person", PersonRef),
          "§": ("section", SectionRef)}


class InlineError(ValueError):
    """A syntax error in inline text; ``offset`` is where in the string it starts."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.message = message
        self.offset = offset


MAX_NESTING = 8  # emphasis inside emphasis: a report never needs more


@dataclass
class _Parser:
    source: str
    pos: int = 0
    depth: int = 0
    buffer: list[str] = field(default_factory=list)

    def parse(self, closing: str | None = None, opened_at: int = 0) -> tuple:
        nodes: list[Node] = []
        buffer: list[str] = []

        def flush() -> None:
            if buffer:
                nodes.append(Text("".join(buffer)))
                buffer.clear()

        src = self.source
        while self.pos < len(src):
            char = src[self.pos]
            if char == "\\" and self.pos + 1 < len(src) and src[self.pos + 1] in "\\*[]":
                buffer.append(src[self.pos + 1])
                self.pos += 2
                continue
            if char == "*":
                run = 2 if src.startswith("**", self.pos) else 1
                marker = "*" * run
                if closing == marker and self.pos > 0 and not src[self.pos - 1].isspace():
                    self.pos += run
                    flush()
                    return tuple(nodes)
                after = src[self.pos + run : self.pos + run + 1]
                if after and not after.isspace() and closing != marker:
                    flush()
                    start = self.pos
                    self.depth += 1
                    if self.depth > MAX_NESTING:
                        raise InlineError(f"emphasis nested more than {MAX_NESTING} deep", start)
                    self.pos += run
                    children = self.parse(marker, start)
                    self.depth -= 1
                    if not children:
                        raise InlineError(f"empty emphasis {marker}{marker}", start)
                    nodes.append(Emphasis(children, strong=run == 2))
                    continue
                buffer.append(marker)
                self.pos += run
                continue
            if char == "[":
                node = self.bracket()
                if node is not None:
                    flush()
                    nodes.append(node)
                    continue
            buffer.append(char)
            self.pos += 1
        if closing:
            raise InlineError(
                f"{closing} opened here is never closed (write \\{closing[0]} for a literal "
                f"asterisk)",
                opened_at,
            )
        flush()
        return tuple(nodes)

    def bracket(self) -> Node | None:
        src, start = self.source, self.pos
        kind = src[start + 1 : start + 2]
        if src.startswith("[TBC:", start):
            end = src.find("]", start)
            if end < 0:
                raise InlineError("placeholder [TBC: ...] is never closed with ]", start)
            self.pos = end + 1
            return Placeholder(src[start + 5 : end].strip())
        if not kind or kind not in REFERENCE_KINDS:
            return None
        end = src.find("]", start)
        if end < 0:
            raise InlineError(f"[{kind} opened here is never closed with ]", start)
        inner = src[start + 2 : end]
        ref, _, locator = inner.partition(",")
        ref = ref.strip()
        if not _ID.fullmatch(ref):
            what = "source" if kind == "@" else _KINDS[kind][0]
            raise InlineError(
                f"[{kind}{inner}] does not name a {what} id (lowercase letters, digits, "
                f"'-', '.', '_')",
                start,
            )
        if kind != "@" and locator.strip():
            raise InlineError(f"[{kind}{inner}]: only citations [@...] take a locator", start)
        self.pos = end + 1
        if kind == "@":
            return Citation(ref, locator.strip())
        return _KINDS[kind][1](ref)


@functools.lru_cache(maxsize=8192)
def parse(text: str) -> tuple:
    """Parse inline text into a tuple of nodes; raise :class:`InlineError`.

    The nodes are immutable, so a text is parsed once per process: the
    editions of a build share most of their texts, each read several times."""
    return _Parser(text).parse()


def walk(nodes: tuple):
    """Every node of a parsed tree, depth first."""
    for node in nodes:
        yield node
        if isinstance(node, Emphasis):
            yield from walk(node.children)


def literal(text: str) -> str:
    """``text`` written in the inline syntax so that it reads as itself: text
    from elsewhere (an imported recommendation, a database's case) whose
    asterisks and brackets are not markup. Backslashes and asterisks are
    escaped, and a bracket that would open a marker; ``[sic]`` stays as it is."""
    text = text.replace("\\", "\\\\").replace("*", "\\*")
    return re.sub(rf"\[(?=[{re.escape(REFERENCE_KINDS)}]|TBC:)", r"\\[", text)


def placeholders(text: str) -> int:
    """How many ``[TBC: ...]`` placeholders a text holds (0 if it does not parse:
    the parse error is reported where the text is checked)."""
    try:
        return sum(1 for node in walk(parse(text)) if isinstance(node, Placeholder))
    except InlineError:
        return 0


def begins_with_placeholder(text: str) -> bool:
    """Whether a text begins with a ``[TBC: ...]`` placeholder: a title that does
    ("[TBC: title] Blog post on ...") is a description standing in for a title
    not yet known (False if it does not parse)."""
    try:
        first = next((node for node in parse(text)
                      if not (isinstance(node, Text) and not node.text.strip())), None)
    except InlineError:
        return False
    return isinstance(first, Placeholder)


def marker_text(node: Node) -> str:
    """The source form of a reference node, to point at it in a file."""
    if isinstance(node, Citation):
        return f"[@{node.source}"
    if isinstance(node, CaseRef):
        return f"[#{node.case}"
    if isinstance(node, RecRef):
        return f"[>{node.recommendation}"
    if isinstance(node, StatRef):
        return f"[={node.statistic}"
    if isinstance(node, PersonRef):
        return f"[%{node.person}"
    if isinstance(node, SectionRef):
        return f"[§{node.section}"
    if isinstance(node, Placeholder):
        return "[TBC:"
    return ""
