"""Missions: a case's missions (without cost or report for the company's contacts), one
mission (its expert or the support staff), a new mission, the report."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from clusterdesk.api.common import actor_of, cluster_of, referenced
from clusterdesk.api.support.common import CASE, MISSION, case_of
from clusterdesk.api.support.schemas import MissionIn, MissionOut, MissionUpdateIn
from clusterdesk.support.models import Expert, Mission
from clusterdesk.support.selectors.cases import (
    case_missions,
    mission_visible,
    sees_case_as_company_only,
)
from clusterdesk.support.services.missions import mission_create, mission_report, mission_update

router = Router()


def _out(mission: Mission, *, full: bool) -> dict[str, Any]:
    return {
        "id": mission.pk,
        "case": mission.case_id,
        "expert": mission.expert,
        "title": mission.title,
        "status": mission.status,
        "start_on": mission.start_on,
        "hours": mission.hours,
        "cost_eur": mission.cost_eur if full else None,
        "report": mission.report if full else None,
        "reported_on": mission.reported_on,
    }


@router.get(
    f"{CASE}/missions",
    response=list[MissionOut],
    url_name="support_mission_list",
    summary="A case's expert missions",
    tags=["support missions"],
)
def mission_list(request: HttpRequest, cluster_slug: str, case_id: int) -> Any:
    case = case_of(request, case_id)
    full = not sees_case_as_company_only(user=request.user, case=case)
    missions = case_missions(case)
    if not full:
        missions = missions.exclude(status="cancelled")
    return [_out(m, full=full) for m in missions]


@router.post(
    f"{CASE}/missions",
    response={201: MissionOut},
    url_name="support_mission_create",
    summary="Give an expert a mission on a case",
    tags=["support missions"],
)
def mission_create_view(
    request: HttpRequest, cluster_slug: str, case_id: int, payload: MissionIn
) -> Any:
    case = case_of(request, case_id)
    expert = referenced(
        Expert.objects.filter(cluster=case.cluster),
        payload.expert,
        field="expert",
        message=_("expert %(id)s is not an expert of this cluster's network"),
    )
    mission = mission_create(
        actor=actor_of(request),
        case=case,
        expert=expert,
        title=payload.title,
        start_on=payload.start_on,
        hours=payload.hours,
        cost_eur=payload.cost_eur,
        currency=payload.currency,
    )
    return Status(201, _out(mission, full=True))


@router.get(
    MISSION,
    response=MissionOut,
    url_name="support_mission_detail",
    summary="One mission (its expert or the support staff)",
    tags=["support missions"],
)
def mission_detail(request: HttpRequest, cluster_slug: str, mission_id: int) -> Any:
    mission = mission_visible(actor=request.user, cluster=cluster_of(request), pk=mission_id)
    return _out(mission, full=True)


@router.patch(
    MISSION,
    response=MissionOut,
    url_name="support_mission_update",
    summary="Write a mission's report, or change the mission (the support staff)",
    tags=["support missions"],
)
def mission_update_view(
    request: HttpRequest,
    cluster_slug: str,
    mission_id: int,
    payload: MissionUpdateIn | None = None,
) -> Any:
    mission = mission_visible(actor=request.user, cluster=cluster_of(request), pk=mission_id)
    actor = actor_of(request)
    data = payload.model_dump(exclude_unset=True) if payload else {}
    currency = data.pop("currency", "EUR")
    report, hours = data.pop("report", None), data.pop("hours", None)
    if data:
        mission = mission_update(actor=actor, mission=mission, currency=currency, **data)
    if report is not None:
        mission = mission_report(actor=actor, mission=mission, report=report, hours=hours)
    elif hours is not None:
        mission = mission_update(actor=actor, mission=mission, hours=hours)
    return _out(mission_visible(actor=actor, cluster=cluster_of(request), pk=mission.pk), full=True)
