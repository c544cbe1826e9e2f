from __future__ import annotations

import codecs
import datetime
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from clusterdesk.crm.importing.tabular import Limits, Table, TableError, read_table

CORDIS = (
    Path(__file__).resolve().parents[2].parent
    / "shared/data/cordis_h2020_orgs_2017/h2020_organisations_2017_network_nodes.csv"
)


def xlsx(
    rows: list[list[object]], title: str = "Organisations", extra_sheet: bool = False
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if extra_sheet:
        workbook.create_sheet("Autre").append(["Nom"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_read_table_csv_utf8() -> None:
    table = read_table("Nom,Ville\nSociété Générale,Paris\n".encode(), "orgs.csv")
    assert table == Table(
        headers=["Nom", "Ville"],
        rows=[["Société Générale", "Paris"]],
        encoding="utf-8",
        delimiter=",",
        row_numbers=[2],
    )


def test_read_table_csv_utf8_with_bom() -> None:
    table = read_table(codecs.BOM_UTF8 + "Nom;Ville\nÉcole;Lyon\n".encode(), "orgs.csv")
    assert table.encoding == "utf-8-sig"
    assert table.headers == ["Nom", "Ville"]  # no BOM glued to the first header
    assert table.rows == [["École", "Lyon"]]


def test_read_table_csv_windows_1252() -> None:
    data = "Nom;Ville\nSociété Générale;Paris \u2013 La Défense\n".encode("cp1252")
    table = read_table(data, "orgs.csv")
    assert table.encoding == "windows-1252"
    assert table.rows == [["Société Générale", "Paris \u2013 La Défense"]]


def test_read_table_csv_utf16_from_excel_unicode_text() -> None:
    data = "Nom\tVille\nSociété\tLyon\n".encode("utf-16")
    table = read_table(data, "export.txt")
    assert table.encoding == "utf-16"
    assert table.delimiter == "\t"
    assert table.rows == [["Société", "Lyon"]]


def test_read_table_csv_undecodable_bytes() -> None:
    # 0x81 is undefined in Windows-1252 and not valid UTF-8 here.
    with pytest.raises(TableError, match="cannot be decoded"):
        read_table(b"Nom\nA\x81B\n", "orgs.csv")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_read_table_csv_detects_each_delimiter(delimiter: str) -> None:
    lines = ["Nom|Adresse|Ville", "Acme SA|1 rue X|Lyon", "Beta|2 rue Y|Paris"]
    data = "\n".join(line.replace("|", delimiter) for line in lines).encode()
    table = read_table(data, "orgs.csv")
    assert table.delimiter == delimiter
    assert table.headers == ["Nom", "Adresse", "Ville"]
    assert table.rows[1] == ["Beta", "2 rue Y", "Paris"]


def test_read_table_csv_semicolons_with_commas_in_cells() -> None:
    data = b"Nom;Adresse\nAcme, SA;1, rue X, 69003 Lyon\nBeta;Paris\n"
    table = read_table(data, "orgs.csv")
    assert table.delimiter == ";"
    assert table.rows[0] == ["Acme, SA", "1, rue X, 69003 Lyon"]


def test_read_table_csv_quoted_delimiters_and_newlines() -> None:
    data = (
        'Nom,Description,Ville\r\n"Acme, SA","Ligne 1\r\nLigne 2; ""cité""",Lyon\r\n'
        "Beta,Simple,Paris\r\n"
    ).encode()
    table = read_table(data, "orgs.csv")
    assert table.rows == [
        ["Acme, SA", 'Ligne 1\r\nLigne 2; "cité"', "Lyon"],
        ["Beta", "Simple", "Paris"],
    ]
    # The quoted newline keeps Acme on one spreadsheet line.
    assert table.row_numbers == [2, 3]


def test_read_table_csv_skips_empty_lines_and_keeps_line_numbers() -> None:
    data = b"Nom;Ville\n\nAcme;Lyon\n;\n  ;  \nBeta;Paris\n\n"
    table = read_table(data, "orgs.csv")
    assert table.rows == [["Acme", "Lyon"], ["Beta", "Paris"]]
    assert table.row_numbers == [3, 6]


def test_read_table_csv_trims_and_pads_short_rows() -> None:
    table = read_table(b"Nom , Ville ,Pays\n  Acme  ,Lyon\n", "orgs.csv")
    assert table.headers == ["Nom", "Ville", "Pays"]
    assert table.rows == [["Acme", "Lyon", ""]]


def test_read_table_csv_ragged_row_is_error_naming_line() -> None:
    data = b"Nom;Ville\nAcme;Lyon\nBeta;Paris;France\n"
    with pytest.raises(TableError, match="Line 3 has 3 cells"):
        read_table(data, "orgs.csv")


def test_read_table_csv_trailing_empty_cells_are_not_ragged() -> None:
    table = read_table(b"Nom;Ville;\nAcme;Lyon;;\n", "orgs.csv")
    assert table.headers == ["Nom", "Ville"]
    assert table.rows == [["Acme", "Lyon"]]


def test_read_table_csv_unnamed_column_with_data_is_error() -> None:
    with pytest.raises(TableError, match="Column 2 has no header but line 2"):
        read_table(b"Nom;;Ville\nAcme;x;Lyon\n", "orgs.csv")


def test_read_table_csv_unnamed_empty_column_is_dropped() -> None:
    table = read_table(b"Nom;;Ville\nAcme;;Lyon\n", "orgs.csv")
    assert table.headers == ["Nom", "Ville"]
    assert table.rows == [["Acme", "Lyon"]]


def test_read_table_empty_file() -> None:
    with pytest.raises(TableError, match="empty"):
        read_table(b"", "orgs.csv")
    with pytest.raises(TableError, match="empty"):
        read_table(b" \n\r\n", "orgs.csv")


def test_read_table_no_header_row() -> None:
    with pytest.raises(TableError, match="no header"):
        read_table(b";;\n;\n", "orgs.csv")


def test_read_table_header_only_file() -> None:
    table = read_table(b"Nom;Ville\n", "orgs.csv")
    assert table.headers == ["Nom", "Ville"]
    assert table.rows == []
    assert table.row_numbers == []


def test_read_table_duplicate_headers() -> None:
    with pytest.raises(TableError, match="“nom” appears twice"):
        read_table(b"Nom;Ville;nom\nA;B;C\n", "orgs.csv")


def test_read_table_single_column_csv() -> None:
    table = read_table("Nom\nAcme\nBêta\n".encode(), "orgs.csv")
    assert table.headers == ["Nom"]
    assert table.rows == [["Acme"], ["Bêta"]]


def test_read_table_tsv_prefers_tab() -> None:
    table = read_table(b"Nom\tVille\nA\tB\n", "orgs.tsv")
    assert table.delimiter == "\t"


@pytest.mark.parametrize("filename", ["orgs.pdf", "orgs", "orgs.ods"])
def test_read_table_unknown_extension(filename: str) -> None:
    with pytest.raises(TableError, match=r"\.csv"):
        read_table(b"Nom\nA\n", filename)


def test_read_table_old_xls_is_refused() -> None:
    with pytest.raises(TableError, match=r"\.xls"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "orgs.xls")


def test_read_table_xlsx_extension_but_not_zip() -> None:
    with pytest.raises(TableError, match="not a valid XLSX"):
        read_table(b"Nom\nA\n", "orgs.xlsx")


def test_read_table_corrupt_zip() -> None:
    with pytest.raises(TableError, match="not a valid XLSX"):
        read_table(b"PK\x03\x04garbage", "orgs.xlsx")


def test_read_table_xlsx_dates_numbers_and_text() -> None:
    data = xlsx(
        [
            ["Nom", "Payé le", "Effectif", "Cotisation", "SIRET", "Annuaire", "Heure"],
            [" Acme ", datetime.date(2024, 3, 5), 12, 1234.5, 73282932000074, True, None],
            ["Beta", datetime.datetime(2024, 3, 5, 14, 30), 3.0, 0.1, "00012", False, None],
            [None, None, None, None, None, None, None],
            ["Gamma", None, None, 1.5e-7, None, None, datetime.time(9, 15)],
        ]
    )
    table = read_table(data, "orgs.xlsx")
    assert table.encoding is None and table.delimiter is None
    assert table.rows == [
        ["Acme", "2024-03-05", "12", "1234.5", "73282932000074", "TRUE", ""],
        ["Beta", "2024-03-05 14:30:00", "3", "0.1", "00012", "FALSE", ""],
        ["Gamma", "", "", "0.00000015", "", "", "09:15:00"],
    ]
    assert table.row_numbers == [2, 3, 5]


def test_read_table_xlsx_detected_by_content() -> None:
    table = read_table(xlsx([["Nom"], ["Acme"]]), "export.csv")
    assert table.rows == [["Acme"]]


def test_read_table_xlsx_header_lower_in_sheet_and_blank_column_a() -> None:
    data = xlsx([[], [None, "Nom", "Ville"], [None, "Acme", "Lyon"]])
    table = read_table(data, "orgs.xlsx")
    assert table.headers == ["Nom", "Ville"]
    assert table.rows == [["Acme", "Lyon"]]
    assert table.row_numbers == [3]


def test_read_table_xlsx_sheet_by_name() -> None:
    data = xlsx([["Raison sociale"], ["Acme"]], extra_sheet=True)
    assert read_table(data, "orgs.xlsx").headers == ["Raison sociale"]
    assert read_table(data, "orgs.xlsx", sheet="Autre").headers == ["Nom"]
    with pytest.raises(TableError, match=r"no sheet “Membres”.*Organisations, Autre"):
        read_table(data, "orgs.xlsx", sheet="Membres")


def test_read_table_xlsx_ragged_row_names_line() -> None:
    data = xlsx([["Nom", "Ville"], ["Acme", "Lyon"], ["Beta", "Paris", "France"]])
    with pytest.raises(TableError, match="Line 3"):
        read_table(data, "orgs.xlsx")


def test_read_table_xlsx_empty_sheet() -> None:
    with pytest.raises(TableError, match="no header"):
        read_table(xlsx([]), "orgs.xlsx")


def test_read_table_20000_generated_rows_all_read() -> None:
    lines = ["Raison sociale;SIRET;Code postal;Ville;Thématiques"]
    lines += [
        f'"Société {i}, SAS";732829320{i:05d};69{i % 1000:03d};Lyon;"santé, numérique"'
        for i in range(20_000)
    ]
    data = "\n".join(lines).encode("cp1252")
    table = read_table(data, "big.csv")
    assert len(table.rows) == 20_000
    assert table.rows[-1] == ["Société 19999, SAS", "73282932019999", "69999", "Lyon",
                              "santé, numérique"]  # fmt: skip
    assert table.row_numbers[-1] == 20_001
    assert table.delimiter == ";" and table.encoding == "windows-1252"


@pytest.mark.skipif(not CORDIS.exists(), reason="the shared CORDIS file is not beside the repo")
def test_read_table_cordis_file() -> None:
    table = read_table(CORDIS.read_bytes(), CORDIS.name)
    assert len(table.rows) == 16_592
    assert table.delimiter == ";" and table.encoding == "utf-8"
    assert len(table.headers) == 43
    assert {"name", "orgId", "activityType", "postCode"} <= set(table.headers)
    first = dict(zip(table.headers, table.rows[0], strict=True))
    assert first["name"] == "GEOSPATIUMLAB SL"
    assert first["activityType"] == "PRC"


# -- limits: decompression bombs, huge sheets, unclosed quotes --------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>'
)
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def xlsx_by_hand(sheet_data: str, rows: int = 0, dimension: str = "") -> bytes:
    """A minimal XLSX whose sheet holds ``sheet_data`` then ``rows`` identical rows: the
    repeated rows compress about a thousand times, as in a decompression bomb."""
    row = "<row>" + '<c t="inlineStr"><is><t>Organisation bombe</t></is></c>' * 10 + "</row>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'xmlns:r="{_RELS}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>" + sheet_data.encode())
            chunk = (row * 1000).encode()
            for _ in range(rows // 1000):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


HEADER_ROW = "<row>" + "".join(
    f'<c t="inlineStr"><is><t>Col{i}</t></is></c>' for i in range(10)
) + "</row>"  # fmt: skip


def test_read_table_xlsx_bomb_is_refused_before_reading() -> None:
    data = xlsx_by_hand(HEADER_ROW, rows=20_000)  # about 40 KB inflating to 11 MB
    assert len(data) < 100_000
    with pytest.raises(TableError, match=r"compressed \d+ times"):
        read_table(data, "bomb.xlsx")


def test_read_table_xlsx_over_the_decompressed_size_is_refused() -> None:
    data = xlsx([["Nom", "Ville"], ["Vetopharm", "Lyon"]])
    with pytest.raises(TableError, match="MB once decompressed"):
        read_table(data, "orgs.xlsx", limits=Limits(max_unpacked_bytes=1000))


def test_read_table_xlsx_over_the_row_limit_is_refused() -> None:
    data = xlsx_by_hand(HEADER_ROW, rows=3_000)
    limits = Limits(max_rows=2_000, max_ratio=10_000)
    with pytest.raises(TableError, match="more than 2000 lines"):
        read_table(data, "big.xlsx", limits=limits)
    assert len(read_table(data, "big.xlsx", limits=Limits(max_ratio=10_000)).rows) == 3_000


def test_read_table_over_the_cell_limit_is_refused() -> None:
    data = xlsx_by_hand(HEADER_ROW, rows=1_000)
    with pytest.raises(TableError, match="more than 5000 cells"):
        read_table(data, "big.xlsx", limits=Limits(max_cells=5_000, max_ratio=10_000))
    csv_data = ("a,b\n" + "1,2\n" * 3000).encode()
    with pytest.raises(TableError, match="more than 5000 cells"):
        read_table(csv_data, "big.csv", limits=Limits(max_cells=5_000))


def test_read_table_xlsx_declared_huge_dimension_reads_only_the_real_cells() -> None:
    # A sheet may declare A1:XFD1048576: padding each row to it would be 16,384 cells.
    data = xlsx_by_hand(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Vetopharm</t></is></c></row>',
        dimension="A1:XFD1048576",
    )
    table = read_table(data, "orgs.xlsx", limits=Limits(max_cells=10))
    assert table.headers == ["Nom"] and table.rows == [["Vetopharm"]]


def test_read_table_xlsx_far_away_row_stops_at_the_line_limit() -> None:
    data = xlsx_by_hand(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c></row>'
        '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    with pytest.raises(TableError, match="more than 1000 lines"):
        read_table(data, "orgs.xlsx", limits=Limits(max_rows=1_000))


def test_read_table_csv_unclosed_quote_is_error_naming_its_line() -> None:
    data = b'Nom;Ville\nVetopharm;Lyon\n"Immuno;Paris\nBiotech;Nice\nGenoway;Lyon\n'
    with pytest.raises(TableError, match="Line 3 opens a quoted cell that is never closed"):
        read_table(data, "orgs.csv")


def test_read_table_csv_unclosed_quote_in_a_large_file_names_its_line() -> None:
    data = b'Nom;Ville\nVetopharm;Lyon\n"Immuno;Paris\n' + b"Biotech;Nice\n" * 20_000
    with pytest.raises(TableError, match="Line 3 cannot be read as CSV"):
        read_table(data, "orgs.csv")


def test_read_table_csv_closed_multiline_quote_at_the_end_is_kept() -> None:
    table = read_table(b'Nom;Adresse\nVetopharm;"1 rue A\n69003 Lyon"', "orgs.csv")
    assert table.rows == [["Vetopharm", "1 rue A\n69003 Lyon"]]
