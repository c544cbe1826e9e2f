"""Meeting requests: the list, sending one, answering one."""

# No ``from __future__ import annotations``: django-ninja reads the handlers' annotations.
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from clusterdesk.api.brokerage.common import EVENT, brokerage_of_event
from clusterdesk.api.brokerage.schemas import (
    RequestCreateIn,
    RequestFilterIn,
    RequestOut,
)
from clusterdesk.api.common import Pagination, actor_of, cluster_of, get_or_404, referenced
from clusterdesk.brokerage.models import MeetingRequest
from clusterdesk.brokerage.selectors import participants_visible_to, requests_visible_to
from clusterdesk.brokerage.services.requests import (
    meeting_request_answer,
    meeting_request_create,
)

router = Router(tags=["brokerage"])


def _requests(request: HttpRequest, event_id: int) -> QuerySet[MeetingRequest]:
    b = brokerage_of_event(request, event_id)
    return requests_visible_to(user=request.user, cluster=cluster_of(request)).filter(brokerage=b)


@router.get(
    f"{EVENT}/requests",
    response=list[RequestOut],
    url_name="brokerage_request_list",
    summary="The requests the caller may see (sent or received; all, for the staff)",
)
@paginate(Pagination)
def request_list_view(
    request: HttpRequest, cluster_slug: str, event_id: int, filters: Query[RequestFilterIn]
) -> QuerySet[MeetingRequest]:
    qs = _requests(request, event_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.order_by("pk")


@router.post(
    f"{EVENT}/requests",
    response={201: RequestOut},
    url_name="brokerage_request_create",
    summary=(
        "Ask for a meeting: 201; to oneself or a colleague 400, the same request twice 409 "
        "naming the first, as someone else 404"
    ),
)
def request_create_view(
    request: HttpRequest, cluster_slug: str, event_id: int, payload: RequestCreateIn
) -> Any:
    b = brokerage_of_event(request, event_id)
    people = participants_visible_to(user=request.user, cluster=cluster_of(request)).filter(
        brokerage=b
    )
    message = _("The event has no participant no. %(id)s.")
    requester = referenced(people, payload.requester, field="requester", message=message)
    target = referenced(people, payload.target, field="target", message=message)
    created = meeting_request_create(
        actor=actor_of(request),
        requester=requester,
        target=target,
        priority=payload.priority,
        message=payload.message,
    )
    return Status(201, created)


def _answer(request: HttpRequest, event_id: int, request_id: int, accept: bool) -> Any:
    item = get_or_404(_requests(request, event_id), request_id)
    return meeting_request_answer(actor=actor_of(request), request=item, accept=accept)


@router.post(
    f"{EVENT}/requests/{{request_id}}/accept",
    response=RequestOut,
    url_name="brokerage_request_accept",
    summary="Accept a request received (its target only, or the event staff)",
)
def request_accept_view(
    request: HttpRequest, cluster_slug: str, event_id: int, request_id: int
) -> Any:
    return _answer(request, event_id, request_id, accept=True)


@router.post(
    f"{EVENT}/requests/{{request_id}}/decline",
    response=RequestOut,
    url_name="brokerage_request_decline",
    summary="Decline a request received (its target only, or the event staff)",
)
def request_decline_view(
    request: HttpRequest, cluster_slug: str, event_id: int, request_id: int
) -> Any:
    return _answer(request, event_id, request_id, accept=False)
