"""Reads of results: scopes for a cluster or a region, the drill-down rows."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from clusterdesk.core.models import Cluster, Region
from clusterdesk.crm.models import Organisation
from clusterdesk.projects.models import Application
from clusterdesk.results.indicators import REGISTRY, Scope
from clusterdesk.results.models import Outcome


def cluster_scope(
    cluster: Cluster, start: datetime.date, end: datetime.date, **filters: Any
) -> Scope:
    return Scope((cluster.pk,), start, end, **filters)


def region_scope(region: Region, start: datetime.date, end: datetime.date, **filters: Any) -> Scope:
    ids = tuple(Cluster.objects.filter(region=region).order_by("pk").values_list("pk", flat=True))
    return Scope(ids, start, end, **filters)


def drill_down_rows(name: str, scope: Scope) -> tuple[list[str], QuerySet[Any], Any]:
    """Headers, records and a row function for the list behind an indicator."""
    indicator = REGISTRY[name]
    if indicator.records is None:
        raise KeyError(name)
    records = indicator.records(scope)
    model = records.model
    if model is Application:
        records = records.select_related("call", "cluster").order_by("label_date", "acronym")
        return (
            ["acronym", "title", "cluster", "call", "label_number", "label_date", "state"],
            records,
            lambda a: [
                a.acronym,
                a.title,
                a.cluster.name,
                a.call.title,
                a.label_number,
                a.label_date,
                a.get_state_display(),
            ],
        )
    if model is Outcome:
        records = records.select_related("application", "organisation", "cluster").order_by(
            "date", "pk"
        )
        return (
            ["kind", "title", "date", "project", "organisation", "reference", "fte", "amount_eur"],
            records,
            lambda o: [
                o.get_kind_display(),
                o.title,
                o.date,
                o.application.acronym if o.application else "",
                str(o.organisation or ""),
                o.reference,
                o.fte,
                o.amount_eur,
            ],
        )
    if model is Organisation:
        records = records.order_by("name", "pk")
        return (
            ["name", "kind", "sme", "city", "siren"],
            records,
            lambda o: [o.name, o.get_kind_display(), o.is_sme, o.city, o.siren],
        )
    raise KeyError(name)
