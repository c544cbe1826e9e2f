"""Reads of results: scopes for a cluster or a region, the drill-down rows, the projects an
outcome can be declared for, the follow-up requests a portal account answers for and a
campaign's progress."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from clusterdesk.core.models import Cluster, Region
from clusterdesk.crm.models import Contact, Organisation
from clusterdesk.crm.selectors import organisations_followed
from clusterdesk.projects.models import Application, Partner
from clusterdesk.results.indicators import REGISTRY, Scope
from clusterdesk.results.models import FollowUpCampaign, FollowUpRequest, Outcome


def cluster_scope(
    cluster: Cluster, start: datetime.date, end: datetime.date, **filters: Any
) -> Scope:
    return Scope((cluster.pk,), start, end, **filters)


def region_scope(region: Region, start: datetime.date, end: datetime.date, **filters: Any) -> Scope:
    ids = tuple(Cluster.objects.filter(region=region).order_by("pk").values_list("pk", flat=True))
    return Scope(ids, start, end, **filters)


# How later domains list the records of their own indicators: model -> (headers, row).
RECORD_TABLES: dict[type, tuple[list[str], Callable[[Any], list[Any]]]] = {}


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
    if model in RECORD_TABLES:
        headers, row = RECORD_TABLES[model]
        return list(headers), records, row
    raise KeyError(name)


# -- outcomes and the yearly follow-up ------------------------------------------------------


def labelled_projects(cluster: Cluster) -> QuerySet[Application]:
    """The projects outcomes are declared for: the cluster's labelled ones."""
    return Application.objects.filter(cluster=cluster, state=Application.State.LABELLED).order_by(
        "acronym"
    )


def project_partners(application: Application) -> QuerySet[Organisation]:
    """The organisations of a project's consortium (who an outcome of it can be about)."""
    ids = Partner.objects.filter(cluster=application.cluster_id, application=application).values(
        "organisation_id"
    )
    return (
        organisations_followed(cluster=application.cluster_id).filter(pk__in=ids).order_by("name")
    )


def follow_ups_of(*, cluster: Cluster, user: Any) -> QuerySet[FollowUpRequest]:
    """The follow-up requests a portal account answers for, in the cluster: those sent to
    one of its contacts, and those of projects one of its organisations is a partner of
    (the rule ``results.answer_follow_up`` as a queryset)."""
    mine = Contact.objects.filter(cluster=cluster, user=user, anonymised_at=None)
    in_consortium = Partner.objects.filter(
        application=OuterRef("application"), organisation__in=mine.values("organisation_id")
    )
    return (
        FollowUpRequest.objects.filter(cluster=cluster)
        .filter(Q(contact__in=mine) | Exists(in_consortium))
        .select_related("campaign", "application", "application__cluster")
        .annotate(declared=Count("outcomes"))
        .order_by("-campaign__year", "application__acronym")
    )


def campaign_requests(campaign: FollowUpCampaign) -> QuerySet[FollowUpRequest]:
    """A campaign's requests with what each project declared through it."""
    return (
        campaign.requests.select_related("application", "contact", "contact__organisation")
        .annotate(declared=Count("outcomes"))
        .order_by("completed_at", "application__acronym")
    )


def campaign_figures(campaign: FollowUpCampaign) -> dict[str, int]:
    requests = campaign.requests.all()
    return requests.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        completed=Count("pk", filter=Q(completed_at__isnull=False)),
        reminded=Count("pk", filter=Q(reminders__gt=0)),
        no_contact=Count("pk", filter=Q(contact=None)),
    ) | {"outcomes": Outcome.objects.filter(follow_up__campaign=campaign).count()}
