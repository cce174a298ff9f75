"""``i18n update`` never loses or mispairs a translation, whatever the drafters
do to the content: random sequences of edits, each followed by an update
(extract, merge, write, read back) and a translator who translates what is
new, checked after every step."""

from __future__ import annotations

import shutil
import subprocess

from babel.messages.catalog import Catalog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.catalogs import merge, read_catalog, write_catalog

WORDS = ["police", "detained", "activist", "court", "law", "family", "shelter", "video",
         "propaganda", "ban", "complaint", "Almaty", "Shymkent", "rights", "women"]
# An edit: (operation, position, another position, a word).
EDITS = st.lists(st.tuples(
    st.sampled_from(["reword", "delete", "restore", "rename", "insert", "swap", "move"]),
    st.integers(0, 30), st.integers(0, 30), st.sampled_from(WORDS)), min_size=1, max_size=12)


def translation(source: str) -> str:
    """What the translator writes for a source: a function of the source alone,
    so that the right translation of every entry is known."""
    return "RU " + source[::-1]


def template(entries: list[tuple[str, str, str]]) -> Catalog:
    catalog = Catalog(locale="ru", domain="content")
    for collection, ident, text in entries:
        catalog.add(text, context=f"{collection}/{ident}/text", locations=[(collection, 1)])
    return catalog


def edit(entries: list, deleted: list, step: tuple, counter: list) -> None:
    operation, at, other, word = step
    if operation == "restore":
        if deleted:
            entries.insert(at % (len(entries) + 1), deleted.pop(other % len(deleted)))
        return
    if operation == "insert" or not entries:
        counter[0] += 1
        entries.insert(at % (len(entries) + 1),
                       ("sections", f"new-{counter[0]}", f"New text {counter[0]} about {word}."))
        return
    at %= len(entries)
    collection, ident, text = entries[at]
    if operation == "reword":
        entries[at] = (collection, ident, text.rstrip(".") + f" and {word}.")
    elif operation == "delete":
        deleted.append(entries.pop(at))
    elif operation == "rename":
        counter[0] += 1
        entries[at] = (collection, f"{ident}-r{counter[0]}", text)
    elif operation == "swap":
        other %= len(entries)
        entries[at], entries[other] = entries[other], entries[at]
    elif operation == "move":
        entries[at] = ("report" if collection == "sections" else "sections", ident, text)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_no_edit_sequence_loses_or_mispairs_a_translation(edits, tmp_path_factory):
    folder = tmp_path_factory.mktemp("merge")
    path = folder / "content.po"
    entries = [("sections", f"s{n}", f"Paragraph {n} on the {WORDS[n]} and the {WORDS[-n]}.")
               for n in range(6)]
    deleted: list = []
    counter = [0]
    translated: set[str] = set()  # every source the translator has translated
    po = Catalog(locale="ru", domain="content")
    for step in [None, *edits]:
        if step is not None:
            edit(entries, deleted, step, counter)
        merged = merge(po, template(entries))
        write_catalog(merged, path)
        loaded, problems = read_catalog(path, "content.po", "ru")
        assert loaded is not None and not problems
        po = loaded.catalog
        active = {message.context: message for message in po if message.id}
        for collection, ident, text in entries:
            message = active[f"{collection}/{ident}/text"]
            if text in translated:
                # The translation follows the English text wherever it now lives.
                assert message.string == translation(text) and not message.fuzzy, step
            elif message.string:
                # An edited text offers an old translation, fuzzy, never as done.
                assert message.fuzzy and message.previous_id, step
        # Nothing lost: every translation made is active or obsolete.
        kept = {message.string for message in [*po, *po.obsolete.values()] if message.id}
        assert {translation(text) for text in translated} <= kept, step
        # No entry is both active and obsolete (msgfmt: duplicate definition).
        assert not {(m.context, m.id) for m in po if m.id} & \
            {(m.context, m.id) for m in po.obsolete.values()}
        # The translator translates what is new and confirms what is fuzzy.
        for message in po:
            if message.id and (not message.string or message.fuzzy):
                message.string = translation(message.id)
                message.flags.discard("fuzzy")
                message.previous_id = []
                translated.add(message.id)
        write_catalog(po, path)
    if shutil.which("msgfmt"):
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
