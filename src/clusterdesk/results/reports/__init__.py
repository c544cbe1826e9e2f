"""Reports for funders: the annual activity report and the configurable report.

``data`` computes what a report says from the indicators (and what the person may read);
``pdf`` and ``xlsx`` lay a ``Report`` out; ``report_build`` runs the three for the
background task (``results.tasks.build_report``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from clusterdesk.core.models import Cluster
from clusterdesk.results.reports.access import access_of
from clusterdesk.results.reports.data import Progress, annual_report, custom_report
from clusterdesk.results.reports.pdf import report_pdf
from clusterdesk.results.reports.xlsx import report_xlsx

FORMATS = ("pdf", "xlsx")


def report_build(
    *,
    user: Any,
    cluster: Cluster,
    report: str,
    fmt: str,
    progress: Progress,
    year: int | None = None,
    start: str | None = None,
    end: str | None = None,
    indicators: list[str] | None = None,
    title: str = "",
    lists: bool = False,
) -> tuple[str, bytes]:
    """The annual activity report (``report="annual"``, ``year``) or the configurable one
    (``report="custom"``, ``indicators`` from ``start`` to ``end``) as a PDF or an XLSX:
    its file name and content.

    What the report lists is decided from the person as they are now (``access_of``): a
    funder gets aggregates only. An unknown report or format is a ``ValueError``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}.")
    access = access_of(user, cluster)
    if report == "annual" and year is not None:
        data = annual_report(cluster=cluster, year=year, access=access, progress=progress)
    elif report == "custom" and start and end and indicators:
        data = custom_report(
            cluster=cluster,
            names=indicators,
            start=datetime.date.fromisoformat(start),
            end=datetime.date.fromisoformat(end),
            access=access,
            title=title,
            lists=lists,
            progress=progress,
        )
    else:
        raise ValueError(f"Unknown report {report!r}.")
    progress(4, 4, _("Laying out the report"))
    content = report_pdf(data) if fmt == "pdf" else report_xlsx(data)
    return data.filename(fmt), content
