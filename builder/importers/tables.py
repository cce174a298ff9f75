"""An export read as a table: its header and rows, each cell knowing where it was.

Exports come as an Excel workbook (``.xlsx``, read with openpyxl), a CSV file
(comma or semicolon, as Excel and Uwazi write them) or JSON (a list of
objects, or an object holding one). Whatever the kind, a row keeps the number
a spreadsheet user sees (the header row counts: in a CSV file it is row 1; in
a workbook with a title above the header, the header may be row 4), or, in
JSON, the record's place in the list; messages name the row and the column as
``FILE: row 7, column 'UPR Position': ...``.

A file that is none of these, is empty, or has no header the importer knows
is refused with one message (:class:`BadInput`): nothing is imported from it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from builder.errors import Problem, ShadowReportError, ValidationFailed
from builder.project import Unreadable, read_inside

# Uwazi refuses uploads over 50 MB; an export larger than that is a mistake.
MAX_BYTES = 50 * 1024 * 1024
# How far down a title may push the header row of a workbook or CSV file.
HEADER_SEARCH_ROWS = 30


class BadInput(ShadowReportError):
    """The file given cannot be imported at all: wrong kind, empty, or without
    the columns the importer needs. Nothing is written (exit status 2)."""


class Refused(ValidationFailed):
    """Rows of an export that cannot be imported, in the order of the rows
    (not sorted as the content's problems are, by their text)."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = list(problems)


# The kinds of file read, by the ends of their names (a CSV file may end in .txt).
SUFFIXES = (".xlsx", ".xlsm", ".json", ".csv", ".tsv", ".txt", "")


@dataclass
class Row:
    number: int  # as a spreadsheet counts it (or the record's number in JSON)
    cells: dict[str, Any]  # column as written in the header -> value (None when empty)


@dataclass
class Table:
    shown: str  # the file, as messages name it
    kind: str  # "xlsx", "csv" or "json"
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    header_row: int = 1

    def where(self, row: Row | int, column: str | None = None) -> str:
        """``row 7, column 'UPR Position'`` (``record 7, field ...`` in JSON)."""
        number = row.number if isinstance(row, Row) else row
        place, cell = ("record", "field") if self.kind == "json" else ("row", "column")
        return f"{place} {number}" + (f", {cell} {column!r}" if column else "")

    def problem(self, row: Row | int, column: str | None, message: str,
                severity: str = "error") -> Problem:
        return Problem(self.shown, 0, 0, f"{self.where(row, column)}: {message}",
                       severity=severity)


def normalise(name: str) -> str:
    """A column name as the importers compare it: case, spaces and punctuation
    ignored, and UHRI's spelling "Reccomending" read as "Recommending"."""
    name = str(name).casefold().replace("reccomend", "recommend")
    return re.sub(r"[\W_]+", "", name)


def text(value: Any) -> str:
    """A cell as text: empty for nothing, a whole number without ".0", a date
    as 2014-10-30, the items of a list (JSON) one a line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "\n".join(text(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    value = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value).strip()


# Control characters, which no text of a report holds (Excel writes some as _x0008_).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|_x00[01][0-9A-Fa-f]_")


def split(value: Any, separators: str = "\n;,") -> list[str]:
    """The values of a cell that holds several: a JSON list, or text split at
    the first of ``separators`` that it contains (line breaks before
    semicolons before commas: a line-per-value cell may hold commas inside a
    value). Bullets ("- Canada") and blanks are dropped."""
    if isinstance(value, (list, tuple)):
        parts = [text(item) for item in value]
    else:
        whole = text(value)
        separator = next((s for s in separators if s in whole), None)
        parts = whole.split(separator) if separator else [whole]
    cleaned = [re.sub(r"^[-•*]\s+", "", part.strip()).strip() for part in parts]
    return [part for part in cleaned if part]


def read_table(path: Path, shown: str, is_header: Callable[[list[str]], bool],
               wanted: str) -> Table:
    """Read an export; ``is_header`` recognises the header row among the first
    rows (a title may stand above it); ``wanted`` says what it looks for, for
    the message when no row is one."""
    try:
        data = read_inside(path, None, MAX_BYTES)
    except Unreadable as exc:
        raise BadInput(f"{shown}: {exc}") from None
    if path.suffix.lower() not in SUFFIXES:
        raise BadInput(f"{shown}: not an export this command reads: give an Excel workbook "
                       "(.xlsx), a JSON file (.json) or a CSV file (.csv)")
    if not data.strip():
        raise BadInput(f"{shown}: the file is empty")
    if data.startswith(b"PK\x03\x04"):
        return _xlsx(data, shown, is_header, wanted)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise BadInput(f"{shown}: an Excel 97-2003 workbook (.xls): open it in Excel or "
                       "LibreOffice and save it as .xlsx (Excel Workbook)")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise BadInput(f"{shown}: not an Excel workbook, although its name ends in "
                       f"{path.suffix}")
    if b"\x00" in data[:4096]:
        raise BadInput(f"{shown}: not an export this command reads: give an Excel workbook "
                       "(.xlsx), a JSON file (.json) or a CSV file (.csv)")
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise BadInput(f"{shown}: not UTF-8 text (line {line}): save it again as CSV UTF-8 "
                       "(or export it as .xlsx)") from None
    if decoded.lstrip()[:1] in ("[", "{"):
        return _json(decoded, shown, is_header, wanted)
    return _csv(decoded, shown, is_header, wanted)


def _header(rows: list[tuple[int, list[Any]]], shown: str, kind: str,
            is_header: Callable[[list[str]], bool], wanted: str) -> Table:
    """The table from the first row ``is_header`` accepts; the rows after it."""
    for position, (number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = [text(cell) for cell in cells]
        if not is_header(names):
            continue
        columns = _unique_columns(names, shown, number)
        table = Table(shown, kind, [name for name in columns if name], header_row=number)
        for row_number, values in rows[position + 1:]:
            cells_by_name = {name: (value if text(value) else None)
                             for name, value in zip(columns, values, strict=False) if name}
            if any(value is not None for value in cells_by_name.values()):
                table.rows.append(Row(row_number, cells_by_name))
        return table
    first = next(([text(cell) for cell in cells if text(cell)] for _, cells in rows
                  if any(text(cell) for cell in cells)), [])
    seen = ", ".join(repr(name) for name in first[:12]) or "nothing"
    raise BadInput(f"{shown}: no header row with {wanted} in its first {HEADER_SEARCH_ROWS} "
                   f"rows (the first row holds {seen})")


def _unique_columns(names: list[str], shown: str, row: int) -> list[str]:
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise BadInput(f"{shown}: row {row}: the column {name!r} appears twice")
        seen.add(name)
    return names


def _xlsx(data: bytes, shown: str, is_header, wanted: str) -> Table:
    from openpyxl import load_workbook  # loaded only for a workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise BadInput(f"{shown}: not a readable Excel workbook ({exc})") from None
    try:
        refusal = None
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # some writers record a wrong size
            rows = [(number, list(values)) for number, values in
                    enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)]
            try:
                return _header(rows, shown, "xlsx", is_header, wanted)
            except BadInput as exc:  # perhaps on another sheet
                refusal = refusal or exc
        raise refusal or BadInput(f"{shown}: the workbook has no sheet")
    finally:
        book.close()


def _csv(decoded: str, shown: str, is_header, wanted: str) -> Table:
    sample = "\n".join(decoded.splitlines()[:HEADER_SEARCH_ROWS])
    counts = {sep: sum(line.count(sep) for line in sample.splitlines()) for sep in ",;\t"}
    delimiter = max(counts, key=counts.get)
    reader = csv.reader(io.StringIO(decoded, newline=""), delimiter=delimiter, strict=True)
    rows = []
    try:
        for number, record in enumerate(reader, start=1):
            rows.append((number, [cell.strip() for cell in record]))
    except csv.Error as exc:
        raise BadInput(f"{shown}: not a readable CSV file: {exc} (row {reader.line_num})") \
            from None
    return _header(rows, shown, "csv", is_header, wanted)


def _json(decoded: str, shown: str, is_header, wanted: str) -> Table:
    try:
        data = json.loads(decoded)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{shown}: not valid JSON: {exc.msg} (line {exc.lineno}, column "
                       f"{exc.colno})") from None
    records = _records(data)
    if records is None:
        raise BadInput(f"{shown}: the JSON holds no list of records (objects with "
                       f"{wanted})")
    if not records:
        raise BadInput(f"{shown}: the JSON's list of records is empty")
    columns: dict[str, None] = {}
    for record in records:
        columns.update(dict.fromkeys(str(key) for key in record))
    if not is_header(list(columns)):
        found = ", ".join(repr(name) for name in list(columns)[:12])
        raise BadInput(f"{shown}: its records have no {wanted} (their fields: {found})")
    table = Table(shown, "json", list(columns), header_row=0)
    for number, record in enumerate(records, start=1):
        table.rows.append(Row(number, {str(key): (value if text(value) else None)
                                       for key, value in record.items()}))
    return table


def _records(data: Any) -> list[dict] | None:
    """A list of objects, or the first such list an object holds (``{"data": [...]}``)."""
    if isinstance(data, list):
        return data if all(isinstance(item, dict) for item in data) else None
    if isinstance(data, dict):
        for value in data.values():
            found = _records(value) if isinstance(value, (list, dict)) else None
            if found is not None:
                return found
    return None
