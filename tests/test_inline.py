"""The inline syntax: what becomes markup, and what is an error."""

from __future__ import annotations

import pytest

from builder.inline import (
    CaseRef,
    Citation,
    Emphasis,
    InlineError,
    Placeholder,
    RecRef,
    StatRef,
    Text,
    parse,
)


def test_plain_text_with_brackets_and_html_stays_text():
    assert parse("a [sic] <b>x</b> & [I'm]") == (Text("a [sic] <b>x</b> & [I'm]"),)


def test_markers():
    assert parse("x [@src-1] y [@src, p. 4] [#case.a] [=fig_1] [TBC: date]") == (
        Text("x "), Citation("src-1"), Text(" y "), Citation("src", "p. 4"), Text(" "),
        CaseRef("case.a"), Text(" "), StatRef("fig_1"), Text(" "), Placeholder("date"),
    )


def test_a_recommendation_reference_and_its_literal_form():
    from builder.inline import literal

    assert parse("as urged [>rec-veto] [>rec.2]") == (
        Text("as urged "), RecRef("rec-veto"), Text(" "), RecRef("rec.2"))
    assert parse(literal("see [>rec-veto]")) == (Text("see [>rec-veto]"),)
    with pytest.raises(InlineError, match="does not name a recommendation id"):
        parse("[>Rec Veto]")


def test_emphasis_nests_and_contains_markers():
    assert parse("*a **b** [@s]*") == (
        Emphasis((Text("a "), Emphasis((Text("b"),), strong=True), Text(" "),
                  Citation("s"))),
    )


def test_lone_asterisks_and_escapes_are_literal():
    assert parse("5 * 3") == (Text("5 * 3"),)
    assert parse(r"f\*ck \[@x] \\") == (Text(r"f*ck [@x] \ "[:-1]),)


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        ("an *open emphasis", "* opened here is never closed", 3),
        ("a **strong", "** opened here is never closed", 2),
        ("cite [@src", "[@ opened here is never closed with ]", 5),
        ("bad [@Not An Id]", "does not name a source id", 4),
        ("case [#c, p. 3]", "only citations [@...] take a locator", 5),
        ("x [TBC: open", "placeholder [TBC: ...] is never closed", 2),
    ],
)
def test_errors_say_what_and_where(text, message, offset):
    with pytest.raises(InlineError) as raised:
        parse(text)
    assert message in raised.value.message
    assert raised.value.offset == offset
