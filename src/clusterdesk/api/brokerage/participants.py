"""A brokerage event's participants: the list (searched) and one profile."""

# No ``from __future__ import annotations``: django-ninja reads the handlers' annotations.
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from clusterdesk.api.brokerage.common import EVENT, brokerage_of_event
from clusterdesk.api.brokerage.schemas import ParticipantFilterIn, ParticipantOut
from clusterdesk.api.common import Pagination, cluster_of, get_or_404
from clusterdesk.brokerage.models import Participant
from clusterdesk.brokerage.selectors import participants_search, participants_visible_to

router = Router(tags=["brokerage"])


def _participants(request: HttpRequest, event_id: int) -> QuerySet[Participant]:
    b = brokerage_of_event(request, event_id)
    return participants_visible_to(user=request.user, cluster=cluster_of(request)).filter(
        brokerage=b
    )


@router.get(
    f"{EVENT}/participants",
    response=list[ParticipantOut],
    url_name="brokerage_participant_list",
    summary="The event's participants the caller may see (all, for the staff)",
)
@paginate(Pagination)
def participant_list_view(
    request: HttpRequest, cluster_slug: str, event_id: int, filters: Query[ParticipantFilterIn]
) -> QuerySet[Participant]:
    qs = _participants(request, event_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.q:
        qs = participants_search(qs, filters.q)
    return qs.prefetch_related("opportunities__partnership_type").order_by("pk")


@router.get(
    f"{EVENT}/participants/{{participant_id}}",
    response=ParticipantOut,
    url_name="brokerage_participant_detail",
    summary="One participant's profile",
)
def participant_detail(
    request: HttpRequest, cluster_slug: str, event_id: int, participant_id: int
) -> Any:
    return get_or_404(_participants(request, event_id), participant_id)
