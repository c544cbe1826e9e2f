"""Reads of results: scopes for a cluster or a region, the drill-down rows, the projects an
outcome can be declared for, the follow-up requests a portal account answers for and a
campaign's progress."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import (
    Count,
    Exists,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)

from clusterdesk.core.models import Cluster, Region
from clusterdesk.crm.models import Contact, Organisation
from clusterdesk.crm.selectors import organisations_followed
from clusterdesk.projects.models import Application, FundingApplication, FundingLine, Partner
from clusterdesk.results.indicators import REGISTRY, Scope
from clusterdesk.results.models import FollowUpCampaign, FollowUpRequest, Outcome


def cluster_scope(
    cluster: Cluster, start: datetime.date, end: datetime.date, **filters: Any
) -> Scope:
    return Scope((cluster.pk,), start, end, **filters)


def region_scope(region: Region, start: datetime.date, end: datetime.date, **filters: Any) -> Scope:
    ids = tuple(Cluster.objects.filter(region=region).order_by("pk").values_list("pk", flat=True))
    return Scope(ids, start, end, **filters)


# The tables of the records that later domains' indicators count (events, meetings, support
# cases, bookings …):
# ``drill_down_table_register(Model, table)`` from their ``AppConfig.ready()``, where
# ``table(records)`` returns the headers, the ordered records and a row function.
DrillDownTable = Callable[[QuerySet[Any]], tuple[list[str], QuerySet[Any], Any]]
DRILL_DOWN_TABLES: dict[type[Model], DrillDownTable] = {}


def drill_down_table_register(model: type[Model], table: DrillDownTable) -> None:
    DRILL_DOWN_TABLES[model] = table


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
    if model in DRILL_DOWN_TABLES:
        return DRILL_DOWN_TABLES[model](records)
    raise KeyError(name)


def public_drill_down_rows(name: str, scope: Scope) -> tuple[list[str], QuerySet[Any], Any]:
    """What is public about the records behind an indicator (``rules.PUBLIC_RECORDS``), for
    its funders: a labelled project's acronym, title, partners, investment, aid granted and
    outcomes; an outcome's kind, title, date, project and organisation. Only labelled
    projects and their outcomes pass, whatever the indicator counts (never an application
    under review or refused); a fixed number of queries per page."""
    indicator = REGISTRY[name]
    if indicator.records is None:
        raise KeyError(name)
    records = indicator.records(scope)
    labelled = Application.State.LABELLED
    if records.model is Application:
        budget = (
            Partner.objects.filter(application=OuterRef("pk"))
            .values("application")
            .annotate(s=Sum("budget_eur"))
            .values("s")
        )
        aid = (
            FundingLine.objects.filter(
                funding__application=OuterRef("pk"),
                funding__status=FundingApplication.Status.GRANTED,
            )
            .values("funding__application")
            .annotate(s=Sum("granted_eur"))
            .values("s")
        )
        validated = (
            Outcome.objects.filter(application=OuterRef("pk"), state=Outcome.State.VALIDATED)
            .values("application")
            .annotate(n=Count("pk"))
            .values("n")
        )
        records = (
            records.filter(state=labelled)
            .select_related("cluster")
            .prefetch_related(
                Prefetch(
                    "partners",
                    queryset=Partner.objects.select_related("organisation").order_by(
                        "role", "organisation__name"
                    ),
                )
            )
            .annotate(
                public_budget=Subquery(budget),
                public_aid=Subquery(aid),
                public_outcomes=Subquery(validated),
            )
            .order_by("label_date", "acronym")
        )
        return (
            [
                "acronym",
                "title",
                "cluster",
                "label_date",
                "partners",
                "investment_eur",
                "aid_eur",
                "outcomes",
            ],
            records,
            lambda a: [
                a.acronym,
                a.title,
                a.cluster.name,
                a.label_date,
                ", ".join(p.organisation.name for p in a.partners.all()),
                a.public_budget,
                a.public_aid,
                a.public_outcomes or 0,
            ],
        )
    if records.model is Outcome:
        records = (
            records.filter(Q(application__isnull=True) | Q(application__state=labelled))
            .select_related("application", "organisation", "cluster")
            .order_by("date", "pk")
        )
        return (
            ["kind", "title", "date", "project", "organisation", "fte", "amount_eur"],
            records,
            lambda o: [
                o.get_kind_display(),
                o.title,
                o.date,
                o.application.acronym if o.application else "",
                str(o.organisation or ""),
                o.fte,
                o.amount_eur,
            ],
        )
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


# -- opening a follow-up campaign ---------------------------------------------------------


def campaign_projects(cluster: Cluster) -> QuerySet[Application]:
    """The projects a new follow-up campaign asks: labelled, running or completed."""
    return Application.objects.filter(
        cluster=cluster,
        state=Application.State.LABELLED,
        project_status__in=[Application.ProjectStatus.RUNNING, Application.ProjectStatus.COMPLETED],
    )


def follow_up_contact(application: Application) -> Contact | None:
    """Who answers the follow-up for a project: a contact of the coordinator with an e-mail,
    one with a portal account first."""
    coordinator = application.partners.filter(role=Partner.Role.COORDINATOR).first()
    if coordinator is None:
        return None
    contacts = Contact.objects.filter(
        cluster=application.cluster, organisation=coordinator.organisation_id, anonymised_at=None
    ).exclude(email="")
    return contacts.exclude(user=None).first() or contacts.first()


def campaign_open_preview(cluster: Cluster) -> tuple[int, int]:
    """How many projects opening a campaign asks, and how many e-mails it sends."""
    projects = list(campaign_projects(cluster))
    return len(projects), sum(1 for p in projects if follow_up_contact(p) is not None)


def projects_missing_from(campaign: FollowUpCampaign) -> QuerySet[Application]:
    """Labelled projects a campaign does not ask yet (the choices to add one)."""
    return labelled_projects(campaign.cluster).exclude(
        pk__in=campaign.requests.values("application_id")
    )


def projects_of_member(*, cluster: Cluster, user: Any) -> QuerySet[Application]:
    """The labelled projects one of the person's organisations is a partner of: the
    projects whose outcomes a member declares and reads in the portal."""
    mine = Contact.objects.filter(cluster=cluster, user=user, anonymised_at=None)
    partners = Partner.objects.filter(organisation__in=mine.values("organisation_id"))
    return labelled_projects(cluster).filter(pk__in=partners.values("application_id"))
