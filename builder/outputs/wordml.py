"""The fixed parts of every Word edition: styles, list numbering, settings,
footnote separators and the empty package python-docx opens.

The package is made here rather than taken from python-docx's default
template, which carries a thumbnail picture, a second styles part, custom XML
and a Macintosh application name: a Word edition holds exactly the parts
listed in :data:`PARTS` and nothing else, so that the read-back
(:mod:`builder.outputs.docx_read`) can refuse any other.

The styles mirror ``templates/base/print.css``: the bundled fonts by name
(Noto Serif for text, Noto Sans for headings and labels), the same sizes,
colours and spacing, A4 with the stylesheet's margins. Headings are Word's
own heading styles (outline levels 1 to 4), so that Word's navigation pane and
table of contents work; the styles Word has built in keep their built-in
names ("heading 1", "footnote text", "toc 1"), so that Word shows them in the
user's language.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import quoteattr

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NAMESPACES = f'xmlns:w="{W}" xmlns:r="{R}"'
HEADER = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"

SERIF, SANS = "Noto Serif", "Noto Sans"  # the families of builder/fonts/*.ttf
NAVY, GREY = "1F3A5F", "333333"


def twips(mm: float) -> int:
    """Millimetres in twentieths of a point, Word's unit of length."""
    return round(mm * 1440 / 25.4)


# A4 and the margins of print.css (@page: 22mm 22mm 24mm 24mm).
PAGE = {"width": twips(210), "height": twips(297), "top": twips(22), "right": twips(22),
        "bottom": twips(24), "left": twips(24), "header": twips(10), "footer": twips(10)}
TEXT_WIDTH = PAGE["width"] - PAGE["left"] - PAGE["right"]

# Element order inside each kind of properties, as the schema requires it
# (Word refuses a file whose properties are out of order).
ORDER = {
    "rPr": ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
            "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
            "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
            "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
            "em", "lang", "eastAsianLayout", "specVanish", "oMath"),
    "pPr": ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
            "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
            "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
            "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
            "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
            "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
            "sectPr", "pPrChange"),
    "tblPr": ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
              "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
              "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription"),
    "trPr": ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit",
             "trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden"),
    "tcPr": ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap",
             "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark"),
}


def properties(kind: str, values: dict[str, str]) -> str:
    """``<w:rPr>``, ``<w:pPr>``... from ``{name: inner XML}``, in schema order."""
    order = ORDER[kind]
    unknown = set(values) - set(order)
    assert not unknown, unknown  # a typo here would give a file Word refuses
    inner = "".join(values[name] for name in order if name in values)
    return f"<w:{kind}>{inner}</w:{kind}>" if inner else ""


def run_look(*, font: str | None = None, bold: bool = False, italic: bool = False,
             caps: bool = False, color: str | None = None, size: float | None = None,
             extra: dict[str, str] | None = None) -> dict[str, str]:
    """Run properties as ``{name: XML}`` for :func:`properties`."""
    look: dict[str, str] = {}
    if font:
        look["rFonts"] = (f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}" '
                          f'w:eastAsia="{font}"/>')
    if bold:
        look["b"], look["bCs"] = "<w:b/>", "<w:bCs/>"
    if italic:
        look["i"], look["iCs"] = "<w:i/>", "<w:iCs/>"
    if caps:
        look["caps"] = "<w:caps/>"
    if color:
        look["color"] = f'<w:color w:val="{color}"/>'
    if size:
        half_points = round(size * 2)
        look["sz"], look["szCs"] = f'<w:sz w:val="{half_points}"/>', \
            f'<w:szCs w:val="{half_points}"/>'
    return look | (extra or {})


# The bundled fonts' own line height, in ems (ascent + descent: 1.362 for both
# Noto families). CSS's line-height is a multiple of the font size, Word's
# line spacing a multiple of this.
FONT_LINE = 1.362


def spacing(before: float = 0, after: float = 0, line: float | None = None) -> str:
    """Paragraph spacing in millimetres, and the line height as CSS gives it
    (a multiple of the font size)."""
    rule = f' w:line="{round(line / FONT_LINE * 240)}" w:lineRule="auto"' if line else ""
    return f'<w:spacing w:before="{twips(before)}" w:after="{twips(after)}"{rule}/>'


def indent(left: float = 0, hanging: float = 0) -> str:
    return f'<w:ind w:left="{twips(left)}" w:hanging="{twips(hanging)}"/>'


def border(side: str, points: float, color: str, space: float = 4) -> str:
    return (f'<w:{side} w:val="single" w:sz="{round(points * 8)}" w:space="{round(space)}" '
            f'w:color="{color}"/>')


LEFT = '<w:jc w:val="left"/>'
KEEP_NEXT = "<w:keepNext/>"
NO_HYPHENS = "<w:suppressAutoHyphens/>"


def _style(kind: str, ident: str, name: str, *, based_on: str | None = "Normal",
           following: str | None = None, paragraph: dict[str, str] | None = None,
           run: dict[str, str] | None = None, table: str = "", default: bool = False,
           outline: int | None = None) -> str:
    paragraph = dict(paragraph or {})
    if outline is not None:
        paragraph["outlineLvl"] = f'<w:outlineLvl w:val="{outline}"/>'
    parts = [f'<w:name w:val="{name}"/>']
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if following:
        parts.append(f'<w:next w:val="{following}"/>')
    parts.append("<w:qFormat/>")
    parts.append(properties("pPr", paragraph))
    parts.append(properties("rPr", run or {}))
    parts.append(table)
    flag = ' w:default="1"' if default else ""
    return f'<w:style w:type="{kind}"{flag} w:styleId="{ident}">{"".join(parts)}</w:style>'


def _heading(level: int, size: float, before: float, after: float, **run) -> str:
    return _style("paragraph", f"Heading{level}", f"heading {level}", following="Normal",
                  outline=level - 1,
                  paragraph={"keepNext": KEEP_NEXT, "keepLines": "<w:keepLines/>",
                             "suppressAutoHyphens": NO_HYPHENS,
                             "spacing": spacing(before, after, 1.2), "jc": LEFT},
                  run=run_look(font=SANS, bold=True, color=NAVY, size=size, **run))


def styles_xml(language: str) -> bytes:
    """Every style a Word edition uses; ``language`` (``en-GB``) for spelling."""
    tab_right = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
    header_tabs = (f'<w:tabs><w:tab w:val="center" w:pos="{TEXT_WIDTH // 2}"/>'
                   f'<w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>')
    cell_margins = (f'<w:tblCellMar><w:top w:w="{twips(1.5)}" w:type="dxa"/>'
                    f'<w:left w:w="{twips(2)}" w:type="dxa"/>'
                    f'<w:bottom w:w="{twips(1.5)}" w:type="dxa"/>'
                    f'<w:right w:w="{twips(2)}" w:type="dxa"/></w:tblCellMar>')
    styles = [
        _style("paragraph", "Normal", "Normal", based_on=None, default=True,
               paragraph={"spacing": spacing(0, 2.5, 1.45), "jc": '<w:jc w:val="both"/>'}),
        _style("character", "DefaultParagraphFont", "Default Paragraph Font", based_on=None,
               default=True),
        _style("table", "TableNormal", "Normal Table", based_on=None, default=True,
               table='<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
                     '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
                     '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
                     '</w:tblCellMar></w:tblPr>'),
        _style("table", "ReportTable", "Report Table", based_on="TableNormal",
               table=f"<w:tblPr>{cell_margins}</w:tblPr>"),
        _style("paragraph", "Title", "Title", following="Subtitle",
               paragraph={"suppressAutoHyphens": NO_HYPHENS, "spacing": spacing(0, 4, 1.2),
                          "jc": LEFT},
               run=run_look(font=SANS, bold=True, size=21, color="111111")),
        _style("paragraph", "Subtitle", "Subtitle",
               paragraph={"spacing": spacing(0, 12), "jc": LEFT},
               run=run_look(size=12, color=GREY)),
        _heading(1, 13, 9, 4),
        _heading(2, 11, 6, 2.5),
        _heading(3, 10.5, 4, 2),
        _heading(4, 9.5, 5, 2, caps=True),
        _style("paragraph", "TOCHeading", "TOC Heading", following="Normal",
               paragraph={"keepNext": KEEP_NEXT, "spacing": spacing(0, 6), "jc": LEFT},
               run=run_look(font=SANS, bold=True, size=14, color=NAVY)),
        _style("paragraph", "TOC1", "toc 1", following="Normal",
               paragraph={"tabs": tab_right, "spacing": spacing(3, 1.6), "jc": LEFT},
               run=run_look(font=SANS, bold=True, size=10)),
        _style("paragraph", "TOC2", "toc 2", following="Normal",
               paragraph={"tabs": tab_right, "spacing": spacing(0, 1.6),
                          "ind": indent(8), "jc": LEFT},
               run=run_look(size=9.5)),
        _style("paragraph", "NumberedParagraph", "Numbered Paragraph",
               paragraph={"ind": indent(9, 9)}),
        _style("paragraph", "SeeAlso", "See Also",
               paragraph={"ind": indent(9), "jc": LEFT}, run=run_look(size=9.5, color=GREY)),
        _style("paragraph", "Recommendation", "Recommendation",
               paragraph={"keepLines": "<w:keepLines/>",
                          "pBdr": f"<w:pBdr>{border('left', 2, NAVY, 11)}</w:pBdr>",
                          "spacing": spacing(0, 0.5), "ind": indent(20, 7)}),
        _style("paragraph", "RecommendationDetails", "Recommendation Details",
               based_on="Recommendation",
               paragraph={"pBdr": f"<w:pBdr>{border('left', 2, NAVY, 11)}</w:pBdr>",
                          "spacing": spacing(0, 2.5), "ind": indent(20), "jc": LEFT},
               run=run_look(size=8.5, color="444444")),
        _style("paragraph", "ListBullet", "List Bullet",
               paragraph={"spacing": spacing(0, 1.5), "ind": indent(15, 6)}),
        _style("paragraph", "ListNumber", "List Number",
               paragraph={"spacing": spacing(0, 1.5), "ind": indent(7, 7)}),
        _style("paragraph", "Caption", "caption", following="Normal",
               paragraph={"keepNext": KEEP_NEXT, "spacing": spacing(3, 1.5), "jc": LEFT},
               run=run_look(font=SANS, bold=True, size=9, color=NAVY)),
        _style("paragraph", "TableText", "Table Text",
               paragraph={"spacing": spacing(0, 1, 1.35), "jc": LEFT}, run=run_look(size=8.8)),
        _style("paragraph", "TableHeading", "Table Heading", based_on="TableText",
               paragraph={"keepNext": KEEP_NEXT},
               run=run_look(font=SANS, bold=True, size=8)),
        _style("paragraph", "CoverKind", "Cover Kind",
               paragraph={"spacing": spacing(0, 1), "jc": LEFT},
               run=run_look(font=SANS, bold=True, caps=True, size=10, color=NAVY)),
        _style("paragraph", "CoverSession", "Cover Session",
               paragraph={"spacing": spacing(0, 14), "jc": LEFT},
               run=run_look(font=SANS, size=9.5, color=GREY)),
        _style("paragraph", "CoverAdvocacy", "Cover Advocacy",
               paragraph={"pBdr": "<w:pBdr>" + "".join(border(side, 1, "8A1C1C")
                                                       for side in ("top", "left", "bottom",
                                                                    "right")) + "</w:pBdr>",
                          "spacing": spacing(2, 3), "jc": LEFT},
               run=run_look(font=SANS, bold=True, size=9.5, color="8A1C1C")),
        _style("paragraph", "CoverConfidential", "Cover Confidential",
               paragraph={"shd": '<w:shd w:val="clear" w:color="auto" w:fill="B00000"/>',
                          "spacing": spacing(0, 4), "jc": LEFT},
               run=run_look(font=SANS, bold=True, size=10, color="FFFFFF")),
        _style("paragraph", "FactLabel", "Fact Label",
               paragraph={"spacing": spacing(0, 1), "jc": LEFT},
               run=run_look(font=SANS, bold=True, size=8.5, color=NAVY)),
        _style("paragraph", "FactText", "Fact Text",
               paragraph={"spacing": spacing(0, 1), "jc": LEFT}, run=run_look(size=9.5)),
        _style("paragraph", "Small", "Small Text", run=run_look(size=9.5)),
        _style("paragraph", "CaseConfidential", "Confidential Notes",
               paragraph={"pBdr": f"<w:pBdr>{border('left', 2, 'B00000', 6)}</w:pBdr>"},
               run=run_look(size=9.5)),
        _style("paragraph", "Bibliography", "Bibliography",
               paragraph={"spacing": spacing(0, 2), "ind": indent(7, 7), "jc": LEFT},
               run=run_look(size=9)),
        _style("paragraph", "SourceNote", "Source Note", based_on="Bibliography",
               paragraph={"ind": indent(7)}, run=run_look(size=8.5, color="444444")),
        _style("paragraph", "FootnoteText", "footnote text",
               paragraph={"suppressAutoHyphens": NO_HYPHENS, "spacing": spacing(0, 0, 1.3),
                          "ind": indent(6, 6), "jc": LEFT},
               run=run_look(size=8)),
        _style("paragraph", "Header", "header",
               paragraph={"tabs": header_tabs, "spacing": spacing(0, 0), "jc": LEFT},
               run=run_look(font=SANS, size=8, color="555555")),
        _style("paragraph", "Footer", "footer",
               paragraph={"tabs": header_tabs, "spacing": spacing(0, 0), "jc": LEFT},
               run=run_look(font=SANS, size=8, color=GREY)),
        _style("character", "FootnoteReference", "footnote reference",
               based_on="DefaultParagraphFont",
               run={"vertAlign": '<w:vertAlign w:val="superscript"/>'}),
        _style("character", "ChapterNumber", "Chapter Number", based_on="DefaultParagraphFont"),
        # Text shown in the source language for want of a translation, tinted
        # as in the PDF; the read-back counts its words apart by this style.
        _style("character", "Untranslated", "Untranslated Text",
               based_on="DefaultParagraphFont",
               run={"shd": '<w:shd w:val="clear" w:color="auto" w:fill="DCEBFA"/>'}),
        _style("character", "Confidential", "Confidential Mark",
               based_on="DefaultParagraphFont",
               run=run_look(font=SANS, bold=True, color="B00000")),
    ]
    defaults = properties("rPr", run_look(font=SERIF, size=10.5, extra={
        "lang": f'<w:lang w:val="{language}" w:eastAsia="{language}" w:bidi="{language}"/>'}))
    return (f"{HEADER}<w:styles {NAMESPACES}><w:docDefaults><w:rPrDefault>{defaults}"
            "</w:rPrDefault><w:pPrDefault/></w:docDefaults>"
            + "".join(styles) + "</w:styles>").encode("utf-8")


# The kinds of list: abstract numbering definition id, format, text, indents
# (left, hanging, in mm) and the number's look. Every <w:num> made from one of
# them restarts its count (startOverride), so that LibreOffice and Word agree.
LISTS = {
    "paragraph": (0, "decimal", "%1.", 9, 9,
                  run_look(font=SANS, size=9, color=GREY, extra={"b": '<w:b w:val="0"/>'})),
    "recommendation": (1, "decimal", "%1.", 20, 7, run_look(font=SANS, bold=True, color=NAVY)),
    "bullet": (2, "bullet", "\u2022", 15, 6, {}),
    "list": (3, "decimal", "%1.", 7, 7, {}),
}


def numbering_xml() -> bytes:
    definitions = []
    for number, form, text, left, hanging, look in LISTS.values():
        definitions.append(
            f'<w:abstractNum w:abstractNumId="{number}"><w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{form}"/>'
            f'<w:lvlText w:val={quoteattr(text)}/><w:lvlJc w:val="left"/>'
            f"<w:pPr>{indent(left, hanging)}</w:pPr>{properties('rPr', look)}</w:lvl>"
            "</w:abstractNum>")
    return f"{HEADER}<w:numbering {NAMESPACES}>{''.join(definitions)}</w:numbering>".encode()


def settings_xml(*, hyphenate: bool) -> bytes:
    """Fields brought up to date when Word opens the file (the table of
    contents and its page numbers); footnotes with their separators; Word
    2013's layout rather than compatibility mode."""
    return (f'{HEADER}<w:settings {NAMESPACES}><w:zoom w:percent="100"/>'
            f'<w:defaultTabStop w:val="{twips(12.5)}"/>'
            + ('<w:autoHyphenation/>' if hyphenate else "")
            + '<w:characterSpacingControl w:val="doNotCompress"/>'
            '<w:updateFields w:val="true"/>'
            '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
            '<w:compat><w:compatSetting w:name="compatibilityMode" '
            'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
            "</w:settings>").encode()


def footnotes_xml() -> bytes:
    """The footnotes part with Word's separator lines (ids -1 and 0); the
    notes themselves are added as the document is written."""
    def separator(kind: str, ident: int) -> str:
        return (f'<w:footnote w:type="{kind}" w:id="{ident}"><w:p><w:pPr>'
                '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
                f"<w:r><w:{kind}/></w:r></w:p></w:footnote>")
    return (f"{HEADER}<w:footnotes {NAMESPACES}>{separator('separator', -1)}"
            f"{separator('continuationSeparator', 0)}</w:footnotes>").encode()


def font_table_xml() -> bytes:
    """The bundled families, described so that Word finds a close substitute
    where they are not installed."""
    fonts = "".join(
        f'<w:font w:name="{name}"><w:panose1 w:val="{panose}"/><w:charset w:val="00"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        for name, panose, family in ((SERIF, "02020600060500020200", "roman"),
                                     (SANS, "020B0502040504020204", "swiss")))
    return f"{HEADER}<w:fonts {NAMESPACES}>{fonts}</w:fonts>".encode()


_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."
# Every part a Word edition may hold, by content type: the read-back refuses
# any other (a picture, an embedded object or font, a macro, an alternative
# chunk of HTML) and any external relationship but a link.
PARTS = {
    _CT + "document.main+xml": "document",
    _CT + "styles+xml": "styles",
    _CT + "settings+xml": "settings",
    _CT + "numbering+xml": "numbering",
    _CT + "fontTable+xml": "font table",
    _CT + "footnotes+xml": "footnotes",
    _CT + "header+xml": "header",
    _CT + "footer+xml": "footer",
    "application/vnd.openxmlformats-package.core-properties+xml": "core properties",
    "application/vnd.openxmlformats-package.relationships+xml": "relationships",
}
LINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def template(language: str, *, hyphenate: bool) -> bytes:
    """The empty Word edition python-docx opens and fills: A4, the stylesheet's
    margins, the styles, numbering, settings and font table; no footnotes yet."""
    page = PAGE
    section = (f'<w:sectPr><w:pgSz w:w="{page["width"]}" w:h="{page["height"]}"/>'
               f'<w:pgMar w:top="{page["top"]}" w:right="{page["right"]}" '
               f'w:bottom="{page["bottom"]}" w:left="{page["left"]}" '
               f'w:header="{page["header"]}" w:footer="{page["footer"]}" w:gutter="0"/>'
               "</w:sectPr>")
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    files = {
        "[Content_Types].xml": (
            f'{HEADER}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/>'
            + "".join(f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in (
                ("word/document.xml", _CT + "document.main+xml"),
                ("word/styles.xml", _CT + "styles+xml"),
                ("word/settings.xml", _CT + "settings+xml"),
                ("word/numbering.xml", _CT + "numbering+xml"),
                ("word/fontTable.xml", _CT + "fontTable+xml"),
                ("docProps/core.xml",
                 "application/vnd.openxmlformats-package.core-properties+xml")))
            + "</Types>"),
        "_rels/.rels": (
            f'{HEADER}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{rel}officeDocument" '
            'Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.'
            'openxmlformats.org/package/2006/relationships/metadata/core-properties" '
            'Target="docProps/core.xml"/></Relationships>'),
        "docProps/core.xml": (
            f'{HEADER}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
            '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'),
        "word/document.xml": f"{HEADER}<w:document {NAMESPACES}><w:body>{section}</w:body>"
                             "</w:document>",
        "word/_rels/document.xml.rels": (
            f'{HEADER}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships">'
            + "".join(f'<Relationship Id="rId{n}" Type="{rel}{kind}" Target="{target}"/>'
                      for n, (kind, target) in enumerate((
                          ("styles", "styles.xml"), ("settings", "settings.xml"),
                          ("numbering", "numbering.xml"), ("fontTable", "fontTable.xml")),
                          start=1))
            + "</Relationships>"),
        "word/styles.xml": styles_xml(language),
        "word/settings.xml": settings_xml(hyphenate=hyphenate),
        "word/numbering.xml": numbering_xml(),
        "word/fontTable.xml": font_table_xml(),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in files.items():
            package.writestr(name, data)
    return buffer.getvalue()
