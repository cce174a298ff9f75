"""A correction to how WeasyPrint 70 breaks a table's first row group.

A row group with ``break-inside: avoid`` (a follow-up entry: its summary row
and its detail row, ``templates/base/print.css``) is kept on one page: when it
does not fit in the room left, it goes to the next page. WeasyPrint 70 applies
this to every group but the first one on a page, which it lays out as if the
page were empty, even when the table starts low on a page below other text
(``weasyprint/layout/table.py``, ``table_layout``: ``page_is_empty=
avoid_breaks``, meant to keep a repeated header with the group that follows
it). A first entry too long for the room under the table's start was
therefore split there, after its summary row or in the middle of its text.

:func:`install` makes that first group see the page as the table does: empty
when the table starts the page (as before, so a continued table's header still
keeps its group), not empty when the table starts below other text, so that
the table then starts on the next page with its first entry whole. It edits
the three calls in WeasyPrint's own function, checked to be there, and refuses
any other version than the one pyproject.toml names.
"""

from __future__ import annotations

import inspect
import textwrap

import weasyprint
from weasyprint.layout import block, table

from builder.errors import RenderError

_PATCHED_VERSION = "70."
# In table_layout's inner all_groups_layout: the first group's "page is empty".
_ORIGINAL = "page_is_empty=avoid_breaks)"
_CORRECTED = "page_is_empty=avoid_breaks and page_is_empty)"
_CALLS = 3  # with header and footer, header only, footer only


def corrected_table_layout():
    """WeasyPrint's ``table_layout`` with the first group's page state corrected,
    compiled in its own module's namespace."""
    source = textwrap.dedent(inspect.getsource(table.table_layout))
    if source.count(_ORIGINAL) != _CALLS:
        raise RenderError(
            f"shadow-report corrects WeasyPrint {_PATCHED_VERSION}x's table layout, which "
            f"this WeasyPrint {weasyprint.__version__} does not have: install the version "
            "pyproject.toml names")
    namespace: dict = {}
    code = compile(source.replace(_ORIGINAL, _CORRECTED),
                   inspect.getsourcefile(table.table_layout), "exec")
    exec(code, table.__dict__, namespace)  # noqa: S102 - WeasyPrint's own source
    function = namespace["table_layout"]
    function.__wrapped__ = table.table_layout
    function.corrected = True
    return function


def install() -> None:
    """Use the corrected table layout in this process (once)."""
    if getattr(block.table_layout, "corrected", False):
        return
    if not weasyprint.__version__.startswith(_PATCHED_VERSION):
        raise RenderError(
            f"shadow-report corrects the table layout of WeasyPrint {_PATCHED_VERSION}x, "
            f"not {weasyprint.__version__}: install the version pyproject.toml names")
    corrected = corrected_table_layout()
    table.table_layout = corrected
    block.table_layout = corrected  # block.py imported the name
