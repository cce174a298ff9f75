"""Property-based tests: whatever a drafter or a translator types, the loader and the
inline renderer either give it back as text or reject it with a located message."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from conftest import english_skeleton
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from builder import inline
from builder.cli import main
from builder.i18n import Language
from builder.loader import load_yaml
from builder.translate import SourceTranslations

# Plain text, HTML, CSS and the characters that mean something in the syntax.
ALPHABET = st.sampled_from(list("abc xyzАәҚ'\"<>&;:/()*[]\\@#>=%\n\t{}") +
                           ["<script>", "</p>", "file:///etc/passwd", "url(", "[TBC:",
                            "[@", "[#", "**", "\u00ad", "\U0001F308"])
TEXTS = st.lists(ALPHABET, max_size=40).map("".join)
SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def visible(nodes) -> str:
    """The characters a reader should see for a parsed text without references."""
    return "".join(node.text if isinstance(node, inline.Text) else visible(node.children)
                   for node in nodes)


def render(text: str) -> str:
    from builder.render import Renderer

    class _Plan:  # the renderer needs a plan only for references, absent here
        content = type("C", (), {"index": staticmethod(lambda name: {})})()
        cases = []
        case_numbers = {}

    return str(Renderer(_Plan(), Language("en", SourceTranslations())).inline(text))


@SETTINGS
@given(TEXTS)
def test_any_text_renders_as_itself_or_is_rejected_with_its_place(text):
    try:
        nodes = inline.parse(text)
    except inline.InlineError as error:
        assert 0 <= error.offset <= len(text) and error.message
        return
    if any(not isinstance(node, (inline.Text, inline.Emphasis)) for node in inline.walk(nodes)):
        return  # references are checked against the content by the validator
    html = render(text)
    # Only the inline syntax becomes markup: emphasis, nothing else.
    assert set(re.findall(r"</?([a-z]+)", html)) <= {"em", "strong"}
    assert unescape(re.sub(r"</?(em|strong)>", "", html)) == visible(nodes)


@SETTINGS
@given(st.text(alphabet=st.characters(blacklist_characters="*[\\"), max_size=60))
def test_text_without_syntax_is_printed_exactly(text):
    if not text.strip():
        return
    assert render(text) == str(escape(text))


@SETTINGS
@given(st.text(max_size=200))
def test_the_loader_never_raises(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("yaml") / "x.yaml"
    path.write_text(text, encoding="utf-8")
    located, problems = load_yaml(path, "content/x.yaml")
    assert (located is None) == bool(problems)
    for problem in problems:
        assert str(problem).startswith("content/x.yaml")
        assert problem.line >= 1 and problem.column >= 1


YAML_PIECES = st.sampled_from(["- id: a\n", "  title: x\n", "  summary: >\n    y\n", "  date: ",
                               "2021-02-30\n", "&a ", "*a\n", "<<: *a\n", "\t", "  - ", "[",
                               "]\n", "{", "}\n", "'", '"', "!!python/object:os.system\n",
                               "  sources: [b]\n", "  affected: z\n", ": \n", "\n"])


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(YAML_PIECES, max_size=25).map("".join))
def test_validating_any_cases_file_gives_located_problems(tmp_path_factory, capsys, text):
    root = tmp_path_factory.mktemp("project")
    english_skeleton(Path(root))
    (Path(root) / "content" / "cases.yaml").write_text(text, encoding="utf-8")
    status = main(["validate", "--project", str(root)])
    err = capsys.readouterr().err
    assert status in (0, 1)
    assert "Traceback" not in err
    for line in err.splitlines():
        assert re.match(r"(content/[\w.-]+\.yaml(:\d+(:\d+)?)?: |\d+ error\(s\)\.$)", line), \
            line
