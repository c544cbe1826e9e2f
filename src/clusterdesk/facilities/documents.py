"""The statement as a PDF and the statements as a table an accountant loads (CSV/XLSX,
columns in ``billing.EXPORT_COLUMNS``, documented in docs/facilities.md)."""

from __future__ import annotations

from collections.abc import Iterable

from django.template.loader import render_to_string

from clusterdesk.core.exports import write_table
from clusterdesk.core.pdf import html_to_pdf
from clusterdesk.facilities.billing import EXPORT_COLUMNS, project_subtotals, statement_rows
from clusterdesk.facilities.models import Statement


def statement_html(statement: Statement) -> str:
    return render_to_string(
        "facilities/pdf/statement.html",
        {
            "statement": statement,
            "lines": list(statement.lines.select_related("application")),
            "subtotals": project_subtotals(statement),
            "cluster": statement.cluster,
        },
    )


def statement_pdf(statement: Statement) -> bytes:
    return html_to_pdf(statement_html(statement))


def statements_table(statements: Iterable[Statement], fmt: str) -> bytes:
    return write_table(fmt, EXPORT_COLUMNS, statement_rows(statements), title="Statements")
