"""Meetings of the published schedule and a participant's agenda."""

# No ``from __future__ import annotations``: django-ninja reads the handlers' annotations.
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from clusterdesk.api.brokerage.common import EVENT, brokerage_of_event
from clusterdesk.api.brokerage.schemas import AgendaItemOut, MeetingOut
from clusterdesk.api.common import Pagination, cluster_of, get_or_404
from clusterdesk.brokerage.models import Meeting, ScheduleRun
from clusterdesk.brokerage.selectors import agenda_of, meetings_visible_to, participants_visible_to

router = Router(tags=["brokerage"])


def _meetings(request: HttpRequest, event_id: int) -> QuerySet[Meeting]:
    b = brokerage_of_event(request, event_id)
    return meetings_visible_to(user=request.user, cluster=cluster_of(request)).filter(
        brokerage=b, run__state=ScheduleRun.State.PUBLISHED
    )


@router.get(
    f"{EVENT}/meetings",
    response=list[MeetingOut],
    url_name="brokerage_meeting_list",
    summary="Meetings of the published schedule the caller may see (all, for the staff)",
)
@paginate(Pagination)
def meeting_list_view(request: HttpRequest, cluster_slug: str, event_id: int) -> QuerySet[Meeting]:
    return _meetings(request, event_id).order_by("slot__starts_at", "table", "pk")


@router.get(
    f"{EVENT}/meetings/{{meeting_id}}",
    response=MeetingOut,
    url_name="brokerage_meeting_detail",
    summary="One published meeting",
)
def meeting_detail(request: HttpRequest, cluster_slug: str, event_id: int, meeting_id: int) -> Any:
    return get_or_404(_meetings(request, event_id), meeting_id)


@router.get(
    f"{EVENT}/participants/{{participant_id}}/agenda",
    response=list[AgendaItemOut],
    url_name="brokerage_agenda",
    summary="A participant's agenda (their own, or anyone's for the staff)",
)
def agenda_view(
    request: HttpRequest, cluster_slug: str, event_id: int, participant_id: int
) -> list[dict[str, Any]]:
    b = brokerage_of_event(request, event_id)
    people = participants_visible_to(user=request.user, cluster=cluster_of(request))
    participant = get_or_404(people.filter(brokerage=b), participant_id)
    if not request.user.has_perm("brokerage.view_meeting_agenda", participant):
        participant = get_or_404(people.none(), participant_id)
    out = []
    for m in agenda_of(participant=participant):
        other = m.other(participant)
        out.append(
            {
                "meeting": m.pk,
                "starts_at": m.slot.starts_at,
                "ends_at": m.slot.ends_at,
                "table": m.table,
                "status": m.status,
                "with_participant": other.pk,
                "with_name": other.name,
                "with_organisation": other.organisation_label,
            }
        )
    return out
