"""A report as an XLSX workbook: a sheet saying what it is, then each table of the report
on its own sheet with the number formats of its units."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from openpyxl import Workbook

from clusterdesk.core.exports import xlsx_row
from clusterdesk.results.reports.data import Column, Report, Table
from clusterdesk.results.reports.formatting import is_number


def _sheet_title(title: str, taken: set[str]) -> str:
    clean = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Sheet"
    name, n = clean, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = clean[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


NUMBER_FORMATS = {
    "eur": '#,##0" €"',
    "fte": "0.0",
    "percent": "0.0%",
    "ratio": "0.00",
    "count": "#,##0",
    "date": "yyyy-mm-dd",
}
HEADER_COLOURS = {"font": "FFFFFF", "fill": "0B5C8E"}


def _xlsx_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | Decimal | str):
        return value
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return value
    return str(value)


def _write_sheet(workbook: Workbook, taken: set[str], table: Table) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(_sheet_title(table.title, taken))
    sheet.append(xlsx_row(sheet, [c.label for c in table.columns]))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color=HEADER_COLOURS["font"])
        cell.fill = PatternFill("solid", fgColor=HEADER_COLOURS["fill"])
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row in table.rows:
        sheet.append(xlsx_row(sheet, [_xlsx_value(v) for v in row]))
    for i, column in enumerate(table.columns, start=1):
        letter = get_column_letter(i)
        number_format = NUMBER_FORMATS.get(column.unit)
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = number_format
        longest = max(
            [len(column.label)] + [len(str(r[i - 1] or "")) for r in table.rows[:500]],
        )
        sheet.column_dimensions[letter].width = min(max(10, longest + 2), 60)
    sheet.freeze_panes = "A2"
    if table.note:
        sheet.append([])
        sheet.append(xlsx_row(sheet, [table.note]))


def report_tables(report: Report) -> list[Table]:
    """Every table of the report, in order: key figures, series, breakdowns, lists."""
    figures = Table(
        key="figures",
        title=_("Key figures"),
        columns=(
            Column(_("Indicator")),
            Column(_("Code")),
            Column(report.period, "value"),
            Column(report.previous_period, "value"),
            Column(_("Change")),
        ),
        rows=tuple((f.label, f.name, f.value, f.previous, f.change_text) for f in report.figures),
    )
    tables = [figures]
    if report.series:
        years = [y for y, _v in report.series[0].points]
        tables.append(
            Table(
                key="series",
                title=_("Yearly series"),
                columns=(Column(_("Indicator")), *(Column(str(y), "value") for y in years)),
                rows=tuple((s.title, *(v for _y, v in s.points)) for s in report.series),
            )
        )
    return tables + report.breakdowns + report.lists


def report_xlsx(report: Report) -> bytes:
    """The report's tables, each on its own sheet, after a sheet that says what it is."""
    # openpyxl (and numpy, which it loads) is imported when a workbook is made: the pages
    # and commands that import the reports do not pay its quarter of a second.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    about = workbook.active
    assert about is not None
    taken: set[str] = set()
    about.title = _sheet_title(_("Report"), taken)
    for label, value in (
        (_("Report"), report.title),
        (_("Cluster"), report.cluster),
        (_("Region"), report.region),
        (_("Period"), report.period),
        (_("Compared with"), report.previous_period),
        (_("Generated on"), report.generated_at.replace(tzinfo=None)),
        *((_("Note"), note) for note in report.notes),
    ):
        about.append(xlsx_row(about, [label, value]))
        about.cell(about.max_row, 1).font = Font(bold=True)
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 70
    for table in report_tables(report):
        _write_sheet(workbook, taken, table)
    # Units that vary per row (the key figures): each value keeps its indicator's format.
    units = {f.label: f.unit for f in report.figures}
    for sheet_index in (1, 2):
        if sheet_index >= len(workbook.worksheets):
            break
        sheet = workbook.worksheets[sheet_index]
        for row in sheet.iter_rows(min_row=2):
            unit = units.get(str(row[0].value))
            number_format = NUMBER_FORMATS.get(unit or "")
            if number_format:
                for cell in row[1:]:
                    if is_number(cell.value):
                        cell.number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
