"""Resources (spaces and instruments): list and create."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from clusterdesk.api.common import Pagination, actor_of, cluster_of, require
from clusterdesk.api.facilities.schemas import ResourceIn, ResourceOut
from clusterdesk.facilities.models import Resource
from clusterdesk.facilities.selectors import resources_of
from clusterdesk.facilities.services.resources import resource_create

router = Router(tags=["facilities"])
BASE = "/clusters/{cluster_slug}/facilities"


@router.get(
    f"{BASE}/resources",
    response=list[ResourceOut],
    url_name="facilities_resource_list",
    summary="The centre's spaces and instruments",
)
@paginate(Pagination)
def resource_list(request: HttpRequest, cluster_slug: str) -> QuerySet[Resource]:
    require(request, "facilities.view_facilities")
    return resources_of(cluster=cluster_of(request))


@router.post(
    f"{BASE}/resources",
    response={201: ResourceOut},
    url_name="facilities_resource_create",
    summary="Create a space or an instrument",
)
def resource_create_view(request: HttpRequest, cluster_slug: str, payload: ResourceIn) -> Any:
    values = payload.model_dump(exclude={"opening_hours"}, exclude_none=True)
    values["containment_level"] = payload.containment_level or ""
    if payload.opening_hours is not None:
        values["open_days"] = payload.opening_hours.days
        values["opens_at"], values["closes_at"] = payload.opening_hours.times()
    resource = resource_create(actor=actor_of(request), cluster=cluster_of(request), **values)
    return Status(201, resource)
