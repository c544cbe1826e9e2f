"""Calls for projects: read with ``projects.view_calls``; opened and changed (with their
criteria, in one service) by the project staff."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from clusterdesk.api.common import Pagination, actor_of, cluster_of, get_or_404, require, sent
from clusterdesk.api.projects.common import BASE, domains_named
from clusterdesk.api.projects.schemas import (
    CallCreateIn,
    CallDetailOut,
    CallFields,
    CallOut,
    CallPatchIn,
    CriterionIn,
)
from clusterdesk.projects.models import Call
from clusterdesk.projects.selectors.calls import calls_of, calls_with_criteria
from clusterdesk.projects.services.calls import call_save

VIEW_CALLS = "projects.view_calls"

router = Router()


def _call_write(
    request: HttpRequest, call: Call, payload: CallFields, criteria: list[CriterionIn]
) -> Call:
    cluster = cluster_of(request)
    call = call_save(
        actor=actor_of(request),
        call=call,
        domains=domains_named(cluster, payload.domains),
        criteria=[criterion.model_dump() for criterion in criteria],
        **sent(payload, exclude={"domains", "criteria", "add_criteria"}),
    )
    return calls_with_criteria(cluster).get(pk=call.pk)


@router.get(
    f"{BASE}/calls",
    response=list[CallOut],
    url_name="projects_call_list",
    summary="Calls, latest first",
    tags=["calls"],
)
@paginate(Pagination)
def call_list(request: HttpRequest, cluster_slug: str) -> QuerySet[Call]:
    require(request, VIEW_CALLS)
    return calls_of(cluster_of(request)).order_by("-opens_on", "title", "pk")


@router.get(
    f"{BASE}/calls/{{call_id}}",
    response=CallDetailOut,
    url_name="projects_call_detail",
    summary="One call, with its domains and evaluation criteria",
    tags=["calls"],
)
def call_detail(request: HttpRequest, cluster_slug: str, call_id: int) -> Any:
    require(request, VIEW_CALLS)
    return get_or_404(calls_with_criteria(cluster_of(request)), call_id)


@router.post(
    f"{BASE}/calls",
    response={201: CallDetailOut},
    url_name="projects_call_create",
    summary="Open a call",
    tags=["calls"],
)
def call_create(request: HttpRequest, cluster_slug: str, payload: CallCreateIn) -> Any:
    call = Call(cluster=cluster_of(request))
    return Status(201, _call_write(request, call, payload, payload.criteria))


@router.patch(
    f"{BASE}/calls/{{call_id}}",
    response=CallDetailOut,
    url_name="projects_call_update",
    summary="Change a call, or add criteria to it",
    tags=["calls"],
)
def call_update(
    request: HttpRequest, cluster_slug: str, call_id: int, payload: CallPatchIn | None = None
) -> Any:
    call = get_or_404(calls_of(cluster_of(request)), call_id)
    payload = payload or CallPatchIn()
    return _call_write(request, call, payload, payload.add_criteria)
