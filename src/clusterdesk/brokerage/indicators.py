"""The brokerage indicators (``results.indicators``), each with the records it counts:

- ``meetings_requested``: meeting requests sent for the brokerage events that start in the
  period (withdrawn ones left out);
- ``meetings_scheduled``: meetings of the published schedules of those events (not
  cancelled);
- ``meetings_held``: those recorded as held;
- ``meetings_to_application``, ``meetings_to_label``, ``meetings_to_funding``: held meetings
  linked to the application they led to, to one that was labelled, to one that was funded
  (a granted funding request): the meeting → project → funding chain.

The organisation-kind filter of a scope applies to either side's organisation.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterdesk.brokerage.models import Meeting, MeetingRequest, ScheduleRun
from clusterdesk.projects.models import Application, FundingApplication
from clusterdesk.results.indicators import Indicator, Scope, register
from clusterdesk.results.rules import DRILL_DOWN_PERMISSIONS
from clusterdesk.results.selectors import drill_down_table_register

GROUP = "brokerage"


def _moments(scope: Scope) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(scope.start, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(scope.end + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


def requested(scope: Scope) -> QuerySet[MeetingRequest]:
    start, end = _moments(scope)
    qs = MeetingRequest.objects.filter(
        cluster_id__in=scope.cluster_ids,
        brokerage__event__starts_at__gte=start,
        brokerage__event__starts_at__lt=end,
    ).exclude(status=MeetingRequest.Status.WITHDRAWN)
    if scope.kind:
        qs = qs.filter(
            Q(requester__registration__organisation__kind=scope.kind)
            | Q(target__registration__organisation__kind=scope.kind)
        )
    return qs


def scheduled(scope: Scope) -> QuerySet[Meeting]:
    start, end = _moments(scope)
    qs = Meeting.objects.filter(
        cluster_id__in=scope.cluster_ids,
        run__state=ScheduleRun.State.PUBLISHED,
        slot__starts_at__gte=start,
        slot__starts_at__lt=end,
    ).exclude(status=Meeting.Status.CANCELLED)
    if scope.kind:
        qs = qs.filter(
            Q(participant_a__registration__organisation__kind=scope.kind)
            | Q(participant_b__registration__organisation__kind=scope.kind)
        )
    return qs


def held(scope: Scope) -> QuerySet[Meeting]:
    return scheduled(scope).filter(status=Meeting.Status.HELD)


def to_application(scope: Scope) -> QuerySet[Meeting]:
    return held(scope).filter(application__isnull=False)


def to_label(scope: Scope) -> QuerySet[Meeting]:
    return to_application(scope).filter(application__state=Application.State.LABELLED)


def to_funding(scope: Scope) -> QuerySet[Meeting]:
    granted = FundingApplication.objects.filter(
        application=OuterRef("application_id"), status=FundingApplication.Status.GRANTED
    )
    return to_application(scope).filter(Exists(granted))


def _meeting_table(records: QuerySet[Any]) -> tuple[list[str], QuerySet[Any], Any]:
    records = records.select_related(
        "slot",
        "brokerage__event",
        "participant_a__registration__organisation",
        "participant_b__registration__organisation",
        "application",
    ).order_by("slot__starts_at", "table", "pk")
    return (
        [
            "event",
            "starts_at",
            "table",
            "participant_a",
            "organisation_a",
            "participant_b",
            "organisation_b",
            "status",
            "application",
        ],
        records,
        lambda m: [
            m.brokerage.event.title,
            m.slot.starts_at,
            m.table,
            m.participant_a.name,
            m.participant_a.organisation_label,
            m.participant_b.name,
            m.participant_b.organisation_label,
            m.get_status_display(),
            m.application.acronym if m.application_id else "",
        ],
    )


def _request_table(records: QuerySet[Any]) -> tuple[list[str], QuerySet[Any], Any]:
    records = records.select_related(
        "brokerage__event", "requester__registration", "target__registration"
    ).order_by("created_at", "pk")
    return (
        ["event", "requester", "target", "priority", "status", "created_at"],
        records,
        lambda r: [
            r.brokerage.event.title,
            r.requester.name,
            r.target.name,
            r.get_priority_display(),
            r.get_status_display(),
            r.created_at,
        ],
    )


def register_all() -> None:
    DRILL_DOWN_PERMISSIONS[GROUP] = "brokerage.view_brokerage"
    drill_down_table_register(Meeting, _meeting_table)
    drill_down_table_register(MeetingRequest, _request_table)
    for name, label, records in (
        ("meetings_requested", _("B2B meetings requested"), requested),
        ("meetings_scheduled", _("B2B meetings scheduled"), scheduled),
        ("meetings_held", _("B2B meetings held"), held),
        ("meetings_to_application", _("B2B meetings that led to an application"), to_application),
        ("meetings_to_label", _("B2B meetings that led to a labelled project"), to_label),
        ("meetings_to_funding", _("B2B meetings that led to a funded project"), to_funding),
    ):
        register(
            Indicator(
                name,
                label,
                "count",
                (lambda fn: lambda s: fn(s).count())(records),
                records,
                GROUP,
            )
        )
