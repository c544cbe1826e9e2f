"""Read a CSV or XLSX spreadsheet made by a person into headers and rows of strings.

Everything downstream (column mapping, value parsing) sees trimmed strings, whatever
the file's format: the encoding and delimiter of a CSV are detected, and XLSX dates
and numbers are written the way a person would type them.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import IO

from django.utils.translation import gettext as _

CSV_EXTENSIONS = frozenset({".csv", ".txt", ".tsv"})
XLSX_EXTENSIONS = frozenset({".xlsx"})
DELIMITERS = (",", ";", "\t")

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 binary .xls
_SNIFF_CHARS = 64 * 1024
_SNIFF_RECORDS = 50
# Appended after a CSV's text: read back as its own record unless the file ends inside a
# quoted cell, which would swallow it. A noncharacter, so no real file contains it.
_END_MARK = "\ufdd0end-of-file\ufdd0"


@dataclass(frozen=True)
class Limits:
    """What one spreadsheet may hold, checked before and while reading it.

    A small XLSX can inflate to gigabytes (a "zip bomb": 3 MB became a 3 GiB sheet), and
    every row read is kept in memory. 20,000 rows of 15 columns make a 17 MB sheet, so the
    limits leave room for any real member list.
    """

    max_rows: int = 100_000  # lines read, blank ones included
    max_cells: int = 2_000_000
    max_unpacked_bytes: int = 200 * 1024 * 1024  # the XLSX's parts, decompressed
    max_ratio: int = 100  # decompressed / compressed size of a part larger than 1 MB


LIMITS = Limits()
_RATIO_FLOOR = 1024 * 1024


class TableError(ValueError):
    """A file that cannot be read as a table; ``str(error)`` is the translated reason."""


@dataclass
class Table:
    """A spreadsheet's header row and data rows, every cell a trimmed string.

    Headers are non-empty and unique; ``rows[i]`` has exactly ``len(headers)`` cells
    and sits on line ``row_numbers[i]`` of the spreadsheet (the header's is usually 1).
    ``encoding`` and ``delimiter`` are those detected for a CSV, None for an XLSX.
    """

    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    row_numbers: list[int] = field(default_factory=list)


def read_table(
    data: bytes, filename: str, sheet: str | None = None, limits: Limits = LIMITS
) -> Table:
    """Read ``data`` as a CSV (.csv, .txt, .tsv) or XLSX file (by extension or content).

    ``sheet`` names the XLSX sheet to read (default: the first one). Fully empty lines
    are skipped. Raises :class:`TableError` for an empty or unreadable file, a missing
    or duplicated header, a line with more cells than there are headers, a quoted CSV
    cell that is never closed, or a file beyond ``limits``.
    """
    extension = PurePath(filename).suffix.lower()
    if not data.strip():
        raise TableError(_("The file “%(name)s” is empty.") % {"name": filename})
    if data.startswith(_ZIP_MAGIC):
        check_xlsx_archive(io.BytesIO(data), limits)
        return _read_xlsx(data, sheet, limits)
    if data.startswith(_OLE_MAGIC) or extension == ".xls":
        raise TableError(_("Old Excel files (.xls) cannot be read: save the file as .xlsx or CSV."))
    if extension in XLSX_EXTENSIONS:
        raise TableError(_("The file “%(name)s” is not a valid XLSX file.") % {"name": filename})
    if extension not in CSV_EXTENSIONS:
        raise TableError(
            _("Cannot read “%(name)s”: the file must be a .csv, .tsv, .txt or .xlsx.")
            % {"name": filename}
        )
    text, encoding = _decode(data)
    delimiter = _detect_delimiter(text, prefer_tab=extension == ".tsv")
    try:
        records = _csv_records(text, delimiter)
        return _build_table(records, encoding, delimiter, letters=False, limits=limits)
    except csv.Error as error:
        raise TableError(_("The CSV file cannot be read: %(error)s.") % {"error": error}) from error


# -- CSV --------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    """Decode as UTF-16 (with its BOM, Excel's "Unicode text"), UTF-8, or Windows-1252."""
    candidates: tuple[str, ...]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    elif data.startswith(codecs.BOM_UTF8):
        candidates = ("utf-8-sig",)
    else:
        # Windows-1252 decodes almost any bytes, so UTF-8, which rarely decodes by chance,
        # is tried first. Python leaves five cp1252 bytes undefined: those fail.
        candidates = ("utf-8", "windows-1252")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text, encoding
    raise TableError(
        _(
            "The file's text cannot be decoded (tried %(encodings)s): save it as "
            "CSV UTF-8 or as .xlsx."
        )
        % {"encodings": ", ".join(candidates)}
    )


def _detect_delimiter(text: str, prefer_tab: bool) -> str:
    """Pick the delimiter that splits the first lines into a steady number of cells.

    Each candidate parses a sample (quotes respected); the header must give at least two
    cells, and the candidate wins whose data lines most often have the header's count,
    then the one giving more columns. csv.Sniffer guesses from character frequencies and
    is easily fooled by commas in names or addresses.
    """
    sample = text[:_SNIFF_CHARS]
    truncated = len(text) > len(sample)
    best: tuple[float, int, int] | None = None
    chosen = "\t" if prefer_tab else ","
    for order, delimiter in enumerate(DELIMITERS):
        counts = [len(cells) for cells in _sample_records(sample, delimiter, truncated)]
        if not counts and delimiter in sample and best is None:
            chosen = delimiter  # only delimiters and blanks: no header, whatever we pick
        if not counts or counts[0] < 2:
            continue
        header, lines = counts[0], counts[1:]
        steady = sum(count == header for count in lines) / len(lines) if lines else 1.0
        rank = 0 if (prefer_tab and delimiter == "\t") else order + 1
        score = (steady, header, -rank)
        if best is None or score > best:
            best, chosen = score, delimiter
    return chosen


def _sample_records(sample: str, delimiter: str, truncated: bool) -> list[list[str]]:
    try:
        records = [
            cells
            for cells in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
            if any(cell.strip() for cell in cells)
        ]
    except csv.Error:
        return []
    # The sample may stop inside the last record.
    records = records[:-1] if truncated and len(records) > 1 else records
    return records[:_SNIFF_RECORDS]


def _csv_records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (spreadsheet line, cells) per record; a quoted newline stays in one line.

    A quote that is never closed would make the rest of the file one cell, silently
    merging its lines: that is refused, naming the line where the quoted cell starts.
    """
    reader = csv.reader(io.StringIO(text + "\n" + _END_MARK, newline=""), delimiter=delimiter)
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # Typically a cell over 128 KB: the same missing quote, in a large file.
            raise TableError(
                _("Line %(line)d cannot be read as CSV (%(error)s): check its quotes.")
                % {"line": number + 1, "error": error}
            ) from error
        if cells == [_END_MARK]:
            return
        if cells and cells[-1].endswith(_END_MARK):
            raise TableError(
                _(
                    'Line %(line)d opens a quoted cell that is never closed: a quote (") '
                    "is missing, and the lines after it would be read as one cell."
                )
                % {"line": number + 1}
            )
        number += 1
        yield number, cells


# -- XLSX limits ------------------------------------------------------------------------


def check_upload(file: IO[bytes], limits: Limits = LIMITS) -> None:
    """The checks that need no parsing, run on an upload before it is stored and queued."""
    head = file.read(len(_ZIP_MAGIC))
    file.seek(0)
    if head == _ZIP_MAGIC:
        check_xlsx_archive(file, limits)
        file.seek(0)


def check_xlsx_archive(file: IO[bytes], limits: Limits = LIMITS) -> None:
    """Refuse an XLSX whose parts would inflate beyond the limits, before reading any.

    The sizes are those the archive declares; Python's zipfile never inflates a part
    beyond its declared size, so they bound what openpyxl will read.
    """
    try:
        with zipfile.ZipFile(file) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise TableError(_("The file is not a valid XLSX file.")) from error
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limits.max_unpacked_bytes:
        raise TableError(
            _(
                "The XLSX file would take %(size)d MB once decompressed, more than the "
                "%(limit)d MB allowed: split it or save it as CSV."
            )
            % {"size": unpacked // 2**20, "limit": limits.max_unpacked_bytes // 2**20}
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > _RATIO_FLOOR and ratio > limits.max_ratio:
            raise TableError(
                _(
                    "The XLSX file is compressed %(ratio)d times (its part “%(part)s”), "
                    "far more than a real spreadsheet: it is refused."
                )
                % {"ratio": ratio, "part": part.filename}
            )


# -- XLSX -------------------------------------------------------------------------------


def _read_xlsx(data: bytes, sheet: str | None, limits: Limits) -> Table:
    # Imported here: most imports are CSV, and openpyxl is slow to import.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise TableError(_("The file is not a valid XLSX file.")) from error
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            raise TableError(
                _("The workbook has no sheet “%(sheet)s”; its sheets are: %(sheets)s.")
                % {"sheet": sheet, "sheets": ", ".join(workbook.sheetnames)}
            )
        # The declared size may be anything (A1:XFD1048576): it would pad every row to it.
        worksheet.reset_dimensions()
        # read_only rows start at line 1 even when the sheet's first cells are lower.
        records = (
            (number, [_xlsx_text(value) for value in values])
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
        )
        return _build_table(records, None, None, letters=True, limits=limits)
    finally:
        workbook.close()


def _xlsx_text(value: object) -> str:
    """Write a cell's value as a person would type it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # Shortest round-trip digits, without an exponent: 1.5e-07 is 0.00000015.
        return format(Decimal(repr(value)), "f")
    return str(value).strip()


# -- shared -----------------------------------------------------------------------------


def _column_name(index: int, letters: bool) -> str:
    """Name a column as the person sees it: a letter in Excel, a position in a CSV."""
    if not letters:
        return str(index + 1)
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def _build_table(
    records: Iterable[tuple[int, Sequence[str]]],
    encoding: str | None,
    delimiter: str | None,
    letters: bool,
    limits: Limits = LIMITS,
) -> Table:
    """Take the first non-empty record as headers and the other non-empty ones as rows."""
    table: Table | None = None
    width = 0
    kept_cells = 0
    for number, raw in records:
        if number > limits.max_rows:
            raise TableError(
                _("The file has more than %(limit)d lines: split it into several files.")
                % {"limit": limits.max_rows}
            )
        cells = [cell.strip() for cell in raw]
        if not any(cells):
            continue
        if table is None:
            table = Table(_headers(cells, letters), [], encoding, delimiter, [])
            width = len(table.headers)
            continue
        if len(cells) > width:
            if any(cells[width:]):
                raise TableError(
                    _("Line %(line)d has %(count)d cells but the header has %(width)d.")
                    % {"line": number, "count": len(cells), "width": width}
                )
            del cells[width:]
        elif len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        kept_cells += width
        if kept_cells > limits.max_cells:
            raise TableError(
                _(
                    "The file has more than %(limit)d cells (line %(line)d): split it into "
                    "several files."
                )
                % {"limit": limits.max_cells, "line": number}
            )
        table.rows.append(cells)
        table.row_numbers.append(number)
    if table is None:
        raise TableError(_("The file has no header row."))
    _drop_unnamed_columns(table, letters)
    return table


def _headers(cells: list[str], letters: bool) -> list[str]:
    """The header row, less its trailing empty cells; names must be unique."""
    while cells and not cells[-1]:
        cells.pop()
    seen: dict[str, int] = {}
    for index, header in enumerate(cells):
        if not header:
            continue
        key = " ".join(header.split()).casefold()
        if key in seen:
            raise TableError(
                _("The header “%(header)s” appears twice (columns %(first)s and %(second)s).")
                % {
                    "header": header,
                    "first": _column_name(seen[key], letters),
                    "second": _column_name(index, letters),
                }
            )
        seen[key] = index
    return cells


def _drop_unnamed_columns(table: Table, letters: bool) -> None:
    """Drop the columns without a header, which must be empty (e.g. a blank column A)."""
    unnamed = [index for index, header in enumerate(table.headers) if not header]
    if not unnamed:
        return
    for index in unnamed:
        for number, row in zip(table.row_numbers, table.rows, strict=True):
            if row[index]:
                raise TableError(
                    _("Column %(column)s has no header but line %(line)d has a value in it.")
                    % {"column": _column_name(index, letters), "line": number}
                )
    keep = [index for index, header in enumerate(table.headers) if header]
    table.headers = [table.headers[index] for index in keep]
    table.rows = [[row[index] for index in keep] for row in table.rows]
