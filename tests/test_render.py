"""Rendering to HTML: golden files per mechanism, escaping, numbering, metadata."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EDITIONS, edition_html
from markupsafe import escape

from builder.content import load_content
from builder.i18n import Language
from builder.mechanisms import MECHANISMS
from builder.plan import plan_report
from builder.render import PARAGRAPH, render_html
from builder.translate import SourceTranslations

GOLDEN = Path(__file__).parent / "golden"


def render(project, mechanism: str) -> str:
    content = load_content(project)
    english = Language("en", SourceTranslations())
    return render_html(plan_report(content, MECHANISMS[mechanism]), english, project)


def squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


@pytest.mark.parametrize("name", EDITIONS)
def test_golden_html(sample, name, update_golden):
    """Each edition's HTML matches tests/golden (regenerate: pytest --update-golden)."""
    html = edition_html(sample, name)
    golden = GOLDEN / f"{name}.html"
    if update_golden:
        golden.write_text(html, encoding="utf-8")
    assert golden.exists(), "run: python -m pytest tests/test_render.py --update-golden"
    assert squeeze(html) == squeeze(golden.read_text(encoding="utf-8"))


@pytest.mark.parametrize("mechanism", list(MECHANISMS))
def test_paragraphs_are_numbered_continuously(sample, mechanism):
    html = render(sample, mechanism)
    numbers = [int(n) for n in re.findall(r'<p class="para[^"]*" id="para-(\d+)">', html)]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) > 20
    # The build checks the numbers it finds: all of them, whatever the class.
    assert [int(n) for n in PARAGRAPH.findall(html)] == numbers


def test_html_in_content_is_escaped_not_markup(skeleton_project):
    sections = skeleton_project.content / "sections.yaml"
    sections.write_text(sections.read_text().replace(
        "[#example-case].",
        "[#example-case]. <script>alert(1)</script> <img src=x> & \\*literal\\*"))
    html = render(skeleton_project, "upr")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x&gt; &amp; *literal*" in html
    assert "<script" not in html and "<img" not in html


def test_citations_become_footnotes_full_first_then_short(sample):
    html = render(sample, "upr")
    notes = re.findall(r'<span class="footnote">(.*?)</span>(?=[^<]*<)', html)
    iwpr = [n for n in notes if "Gay Rights Violated in Kazakhstan" in n]
    assert "iwpr.net" in iwpr[0]
    assert all("iwpr.net" not in n for n in iwpr[1:])


def test_a_repeat_of_the_note_before_reads_ibid_in_the_editions_language(skeleton_project):
    sections = skeleton_project.content / "sections.yaml"
    sections.write_text(sections.read_text().replace(
        "[@example-source] [#example-case].",
        "[@example-source, p. 3] [#example-case]. Again [@example-source, p. 5]; "
        "the whole report [@example-source]; once more [@example-source]."))
    for code, ibid, page in (("en", "Ibid.", "p. {}"), ("ru", "Там же", "с. {}"),
                             ("kk", "Сонда", "{}-бет")):
        html = edition_html(skeleton_project, f"upr-{code}")
        notes = [re.sub(r"<[^>]+>", "", n).replace("\u2060", "")
                 for n in re.findall(r'<span class="footnote[^"]*">(.*?)</span>', html)]
        at = notes.index(f"{ibid}, {page.format(3)}.")
        # the new page; then the short title (not "Ibid.", which would mean
        # p. 5 again); then "Ibid." for the same whole report
        assert notes[at + 1] == f"{ibid}, {page.format(5)}.", notes[at + 1]
        assert notes[at + 2].startswith("Example monitoring report"), notes[at + 2]
        assert notes[at + 3] == (ibid if ibid.endswith(".") else ibid + "."), notes[at + 3]


def test_a_locators_label_is_printed_in_the_editions_language(skeleton_project):
    """"[@src, p. 12]" as README shows it: a known English label becomes the
    edition's ("с. 12", "12-бет"), its number and what follows it as written;
    any other locator is printed as written."""
    sections = skeleton_project.content / "sections.yaml"
    sections.write_text(sections.read_text().replace(
        "[@example-source] [#example-case].",
        "[@example-source, p. 12] [#example-case]. Again [@example-source, p. 12]; "
        "its paragraphs [@example-source, paras. 18–20 (b)]; an article "
        "[@example-source, art. 5]; a table [@example-source, table 3]."))
    expected = {
        "en": ["p. 12", "Ibid., p. 12", "Ibid., paras. 18–20 (b)", "Ibid., art. 5",
               "Ibid., table 3"],
        "ru": ["с. 12", "Там же, с. 12", "Там же, п. 18–20 (b)", "Там же, ст. 5",
               "Там же, table 3"],
        "kk": ["12-бет", "Сонда, 12-бет", "Сонда, 18–20-тармақтар (b)", "Сонда, 5-бап",
               "Сонда, table 3"],
    }
    for code, (first, *rest) in expected.items():
        html = edition_html(skeleton_project, f"upr-{code}")
        notes = [re.sub(r"<[^>]+>", "", n).replace("\u2060", "")  # the text a reader copies
                 for n in re.findall(r'<span class="footnote[^"]*">(.*?)</span>', html)]
        at = next(i for i, n in enumerate(notes) if n.endswith(f", {first}."))
        assert notes[at + 1:at + 5] == [f"{note}." for note in rest], (code, notes[at:at + 5])


def test_citations_next_to_each_other_are_one_note(skeleton_project):
    """"[@a, p. 2] [@a, p. 3]" is one note, "A, p. 2; A, p. 3.": a run of
    calls "31,32,33" is a block no line can break, and stretches the line
    before it. After a figure, its call reads "4,5", never "4 5"."""
    sections = skeleton_project.content / "sections.yaml"
    sections.write_text(sections.read_text().replace(
        "[@example-source] [#example-case].",
        "[=example-figure] [@example-source, p. 2] [@example-source, p. 3] [#example-case]."))
    html = edition_html(skeleton_project, "upr-en")
    run = re.search(r'<span class="figure">[^<]*</span>(<span class="footnote[^"]*">)'
                    r'.*?\.(?:</span>)+(<span class="footnote[^"]*">)(.*?)</span> \(', html)
    assert run, html
    assert run.group(1) == '<span class="footnote">'
    assert run.group(2) == '<span class="footnote next-note">'
    assert re.fullmatch(r"<cite>Example monitoring report</cite>, p\. 2; "
                        r"<cite>Example monitoring report</cite>, p\. 3\.", run.group(3)), \
        run.group(3)


@pytest.mark.parametrize("name", EDITIONS)
def test_no_note_repeats_the_one_before(sample, name):
    """The sample cites one source several times in a row: "Ibid." in its
    language, never the same note printed twice in a row."""
    html = edition_html(sample, name)
    notes = [" ".join(re.sub(r"<[^>]+>", "", n).split())
             for n in re.findall(r'<span class="footnote[^"]*">(.*?)</span>(?=[^<]*<)', html)]
    assert len(notes) > 30
    ibid = {"en": "Ibid.", "ru": "Там же.", "kk": "Сонда."}[name.split("-")[1]]
    assert all(a != b for a, b in zip(notes, notes[1:], strict=False)
               if not b.startswith(ibid))
    assert sum(n.startswith(ibid) for n in notes) >= 10


@pytest.mark.parametrize("name", EDITIONS)
def test_recommendations_are_cross_referenced_by_their_numbers(sample, name):
    """"(recommendation 10)" in the text and "Followed up in our recommendations
    1 and 15" in the follow-up table name each recommendation by the number it
    is printed with; each recommendation links back to the entries it follows up."""
    html = edition_html(sample, name)
    printed = dict(re.findall(r'<li class="recommendation" id="(rec-[^"]+)" value="(\d+)"', html))
    refs = re.findall(r'<a class="rec-ref" href="#(rec-[^"]+)">(\d+)</a>', html)
    assert len(refs) >= (10 if name.startswith("upr") else 3)
    assert all(printed[target] == number for target, number in refs), refs
    for entry in re.findall(r'<tbody class="prev" id="(prev-[^"]+)">(.*?)</tbody>', html,
                            flags=re.S):
        ident, body = entry
        following = re.findall(r'href="#(rec-[^"]+)"', body.split('class="prev-followed"')[1])
        for target in following:
            item = re.search(rf'<li class="recommendation" id="{target}".*?</li>', html,
                             flags=re.S).group()
            assert f'href="#{ident}"' in item, (ident, target)


def test_case_references_point_into_the_annex(sample):
    html = render(sample, "iccpr")
    for target in set(re.findall(r'href="#(case-[^"]+)"', html)):
        assert f'id="{target}"' in html


@pytest.mark.parametrize("name", EDITIONS)
def test_case_references_are_listed_in_the_annex_order(sample, name):
    """"(cases 2, 3 and 6)" whatever order the drafter wrote them in; a
    Kazakh list of three or more ends with "және" as a list of two does."""
    html = edition_html(sample, name)
    groups = re.findall(r'\((?:[^()<]*<a class="case-ref"[^>]*>\d+</a>[^()<]*)+\)', html)
    assert len(groups) > 3
    several = 0
    for group in groups:
        numbers = [int(n) for n in re.findall(r'class="case-ref"[^>]*>(\d+)<', group)]
        assert numbers == sorted(set(numbers)), group
        if len(numbers) >= 3:
            several += 1
            if name.endswith("-kk"):
                assert re.search(r"</a> және <a", group), group
    assert several


def test_metadata_and_language(sample):
    html = render(sample, "cedaw")
    content = load_content(sample)
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    for org in content.report.organisations:
        assert f'<meta name="author" content="{escape(org.name)}">' in html
    assert '<meta name="dcterms.created" content="2026-03-01">' in html
    assert "<title>" in html and "Committee on the Elimination" in html


def test_table_of_contents_lists_every_chapter(sample):
    html = render(sample, "iccpr")
    toc = html[html.index('<ol class="toc-entries">'):html.index("</nav>")]
    chapters = re.findall(r'<h2 id="([^"]+)" data-toc="1"', html)
    assert chapters and all(f'href="#{ident}"' in toc for ident in chapters)


def test_a_project_template_overrides_the_package_one(skeleton_project):
    override = skeleton_project.templates / "base"
    override.mkdir(parents=True)
    (override / "macros.html").write_text(
        (Path(__file__).parents[1] / "templates/base/macros.html").read_text()
        .replace('{{ _("Suggested questions") }}', '{{ _("Questions we suggest") }}'))
    assert "Questions we suggest" in render(skeleton_project, "iccpr")


def test_mechanism_chapters_follow_the_first_tag(sample):
    content = load_content(sample)
    plan = plan_report(content, MECHANISMS["iccpr"])
    for chapter in plan.chapters:
        for section in chapter.sections:
            assert MECHANISMS["iccpr"].chapter_for(section.iccpr[0]) == chapter.chapter
    cedaw = plan_report(content, MECHANISMS["cedaw"])
    shown = {s.id for c in cedaw.chapters for s in c.sections}
    assert shown == {s.id for s in content.sections if s.cedaw}
    assert [c.chapter.key for c in cedaw.chapters] == sorted(
        (c.chapter.key for c in cedaw.chapters), key=lambda key: int(key.split("-")[1]))


def test_a_case_that_refers_to_another_case_annexes_it_too(sample, tmp_path):
    """A case in the CEDAW annex refers to a case the CEDAW report would not
    otherwise show: the build annexes that one too instead of failing."""
    import shutil

    from builder.project import open_project

    shutil.copytree(sample.root / "content", tmp_path / "content")
    cases = tmp_path / "content" / "cases.yaml"
    text = cases.read_text(encoding="utf-8")
    before = render(open_project(tmp_path), "cedaw")
    assert 'id="case-prison-abuse"' not in before
    sentence = "    awarded them compensation because the video violated their personal rights\n"
    text = text.replace(sentence + "    [@german-article].",
                        sentence + "    [@german-article]; compare [#prison-abuse].", 1)
    cases.write_text(text, encoding="utf-8")
    html = render(open_project(tmp_path), "cedaw")
    assert 'id="case-prison-abuse"' in html
    for target in set(re.findall(r'href="#(case-[^"]+)"', html)):
        assert f'id="{target}"' in html


@pytest.mark.parametrize("language, born", [("en", "date of birth: 12 April 1990"),
                                            ("ru", "дата рождения: 12 апреля 1990"),
                                            ("kk", "туған күні: 1990 жылғы 12 сәуір")])
def test_internal_editions_print_every_confidential_field_of_a_person(skeleton_project,
                                                                       language, born):
    """born, contact and notes, which people.yaml says are for internal
    editions, are printed there (in the case that concerns the person), and
    nowhere in a public edition."""
    internal = edition_html(skeleton_project, f"upr-{language}", internal=True)
    assert born in re.sub(r"[\u00a0\u202f]", " ", internal)  # a date keeps its parts together
    assert "+7 700 123 45 67" in internal
    assert "never named" in internal
    public = edition_html(skeleton_project, f"upr-{language}")
    for value in ("1990", "+7 700", "never named"):
        assert value not in public


def _case_notes(html: str) -> list[str]:
    """The text of each note called in the annex's first case, outside its
    "Sources:" line."""
    case = re.search(r'<section class="case".*?</section>', html, flags=re.S).group(0)
    case = re.sub(r'<p class="case-sources">.*?</p>', "", case, flags=re.S)
    return [re.sub(r"<[^>]+>", "", note) for note in
            re.findall(r'<span class="footnote[^"]*">(.*?)</span>', case, flags=re.S)]


def test_a_case_cites_the_sources_its_sources_line_names_only_with_a_page(skeleton_project):
    """The annex's "Sources:" line names a case's sources: a note that only
    repeats one of them is left out; one that gives a page, or cites another
    source, is kept."""
    cases = skeleton_project.content / "cases.yaml"
    sources = skeleton_project.content / "sources.yaml"
    sources.write_text(sources.read_text() + "\n- id: other-source\n  title: Another report\n")
    cases.write_text(cases.read_text().replace(
        "She was released\n    the next day without charge.",
        "She was released [@example-source, p. 4]\n    the next day [@other-source].")
        .replace("as far as is known.", "as far as is known [@example-source]."))
    html = render(skeleton_project, "upr")
    paged, other = _case_notes(html)  # (the page's note is "Ibid., p. 4." here)
    assert paged.endswith(", p. 4.") and other == "Another report."
    assert "lawyer. She was released" in html and "as far as is known.</p>" in html
    # A section's paragraph that cites the same source keeps its note.
    assert re.search(r'<p class="para"[^>]*>.*?<span class="footnote">[^<]*<cite>Example '
                     r'monitoring report', html, flags=re.S)


def test_a_description_in_place_of_a_title_is_not_set_as_a_title(skeleton_project):
    """A source whose title begins with a placeholder ("[TBC: title] Blog post
    on ...") is described, not titled: the description and its short form are
    printed upright in the notes and the list of sources; a title in italics."""
    sources = skeleton_project.content / "sources.yaml"
    sources.write_text(sources.read_text() + (
        "\n- id: blog-post\n  title: \"[TBC: title] Blog post on the picket and the arrests\"\n"
        "  short_title: Blog post on the picket\n  publisher: Example blog\n"))
    sections = skeleton_project.content / "sections.yaml"
    sections.write_text(sections.read_text().replace(
        "[@example-source]", "[@blog-post] [@example-source]", 1))
    cases = skeleton_project.content / "cases.yaml"
    cases.write_text(cases.read_text().replace("sources: [example-source]",
                                                "sources: [example-source, blog-post]"))
    html = render(skeleton_project, "upr")
    assert "Blog post on the picket and the arrests" in html
    assert "Blog post on the picket</span>" in html  # the case's Sources line
    assert not re.search(r"<cite>[^<]*Blog post", html)
    assert "<cite>Example monitoring report on peaceful protests</cite>" in html
