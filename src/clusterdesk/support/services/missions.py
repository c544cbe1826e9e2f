"""Missions of experts on cases: giving one (no conflict with the company, an agreement
on file that has not expired), changing it, and the expert's report."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.errors import require
from clusterdesk.support.choices import ENDED_STATUSES, MissionStatus
from clusterdesk.support.models import Expert, Mission, SupportCase
from clusterdesk.support.notices import notify_mission_given
from clusterdesk.support.rules import require_on_case
from clusterdesk.support.selectors.experts import agreement_problem, expert_conflict_with
from clusterdesk.support.services.common import euros

MISSION_FIELDS = (
    "case",
    "expert",
    "title",
    "status",
    "start_on",
    "hours",
    "cost_eur",
    "reported_on",
)
CHANGEABLE = ("title", "status", "start_on", "hours", "cost_eur")


def _hours(value: Any) -> Any:
    if value is not None and value < 0:
        raise ValidationError({"hours": _("Hours cannot be negative.")})
    return value


def _check_expert(case: SupportCase, expert: Expert, start_on: datetime.date) -> None:
    if expert.cluster_id != case.cluster_id:
        raise ValidationError({"expert": _("This expert is not of this cluster's network.")})
    if not expert.active:
        raise ValidationError({"expert": _("%(expert)s is no longer active.") % {"expert": expert}})
    conflict = expert_conflict_with(expert, case.organisation)
    if conflict:
        raise ValidationError({"expert": conflict})
    problem = agreement_problem(expert, max(start_on, timezone.localdate()))
    if problem:
        raise ValidationError({"expert": problem})


@transaction.atomic
def mission_create(
    *,
    actor: User,
    case: SupportCase,
    expert: Expert,
    title: str,
    hours: Any = 0,
    cost_eur: Any = 0,
    currency: str = "EUR",
    start_on: datetime.date | None = None,
) -> Mission:
    """Give an expert a mission on the case. Refused, naming the problem, for an expert
    with a conflict of interest on the company, without a confidentiality agreement on file
    (or with one expired by the start), for a closed case, and for negative hours or cost
    or a cost in another currency."""
    require_on_case(actor, "support.manage_case", case)
    if case.status in ENDED_STATUSES:
        raise ValidationError({"case": _("The case is closed; reopen it first.")})
    start_on = start_on or timezone.localdate()
    _check_expert(case, expert, start_on)
    mission = Mission(
        cluster=case.cluster,
        case=case,
        expert=expert,
        title=title,
        hours=_hours(hours),
        cost_eur=euros(cost_eur, field="cost_eur", currency=currency) or 0,
        start_on=start_on,
    )
    mission.full_clean(exclude=["case", "expert", "cluster"])
    mission.save()
    audit_record(
        actor=actor,
        action="support_case.mission_given",
        obj=case,
        after=audit_snapshot(mission, MISSION_FIELDS),
    )
    notify_mission_given(mission)
    return mission


@transaction.atomic
def mission_update(
    *, actor: User, mission: Mission, currency: str = "EUR", **values: Any
) -> Mission:
    """Change a mission's title, status, start, hours or cost (the support staff)."""
    unknown = set(values) - set(CHANGEABLE)
    if unknown:
        raise TypeError(f"Not mission fields: {', '.join(sorted(unknown))}")
    require_on_case(actor, "support.manage_case", mission.case)
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    before = audit_snapshot(mission, MISSION_FIELDS)
    if "cost_eur" in values:
        values["cost_eur"] = euros(values["cost_eur"], field="cost_eur", currency=currency) or 0
    if "hours" in values:
        _hours(values["hours"])
    if "status" in values and values["status"] not in MissionStatus.values:
        raise ValidationError(
            {"status": _("Unknown value: %(value)s.") % {"value": values["status"]}}
        )
    for name, value in values.items():
        setattr(mission, name, value)
    mission.full_clean(exclude=["case", "expert", "cluster"])
    mission.save()
    after = audit_snapshot(mission, MISSION_FIELDS)
    if before != after:
        audit_record(
            actor=actor,
            action="support_case.mission_updated",
            obj=mission.case,
            before=before,
            after=after,
        )
    return mission


@transaction.atomic
def mission_report(*, actor: User, mission: Mission, report: str, hours: Any = None) -> Mission:
    """The expert (or the staff) writes the mission's report, with the hours spent; the
    mission is then done."""
    require(actor, "support.report_mission", mission)
    if not report.strip():
        raise ValidationError({"report": _("Write the report.")})
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    before = audit_snapshot(mission, ("status", "hours", "reported_on"))
    mission.report = report.strip()
    if hours is not None:
        mission.hours = _hours(hours)
    mission.status = MissionStatus.DONE
    mission.reported_on = timezone.localdate()
    mission.full_clean(exclude=["case", "expert", "cluster"])
    mission.save()
    audit_record(
        actor=actor,
        action="support_case.mission_reported",
        obj=mission.case,
        before=before,
        after=audit_snapshot(mission, ("status", "hours", "reported_on")),
    )
    return mission
