"""Organisations the cluster follows: list with the directory's filters, detail, create,
change."""

# No ``from __future__ import annotations``: django-ninja reads the handlers' annotations
# at import time, and the pagination wrapper cannot resolve them from strings.
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from clusterdesk.api.common import (
    Pagination,
    actor_of,
    cluster_of,
    get_or_404,
    referenced,
    require,
    sent,
)
from clusterdesk.api.crm.schemas import (
    OrganisationCreateIn,
    OrganisationFilterIn,
    OrganisationListOut,
    OrganisationOut,
    OrganisationPatchIn,
)
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import OrganisationFilter, organisation_list, organisations_followed
from clusterdesk.crm.services.organisations import organisation_create, organisation_update

VIEW = "crm.view_members"
BASE = "/clusters/{cluster_slug}"

router = Router(tags=["organisations"])


def organisation_ref(cluster: Cluster, pk: int) -> Organisation:
    """The organisation a request body names: one the cluster follows, else a 400."""
    return referenced(
        organisations_followed(cluster=cluster),
        pk,
        field="organisation",
        message=_("organisation %(id)s is not an organisation of this cluster"),
    )


@router.get(
    f"{BASE}/organisations",
    response=list[OrganisationListOut],
    url_name="crm_organisation_list",
    summary="The organisations the cluster follows",
    operation_id="clusterdesk_api_crm_organisation_list_view",
)
@paginate(Pagination)
def organisation_list_view(
    request: HttpRequest, cluster_slug: str, filters: Query[OrganisationFilterIn]
) -> QuerySet[Organisation]:
    require(request, VIEW)
    f = filters
    return organisation_list(
        cluster=cluster_of(request),
        filters=OrganisationFilter(
            q=f.q,
            kinds=tuple(f.kind),
            sme=f.sme,
            domain_id=f.domain,
            theme_id=f.theme,
            market_id=f.market,
            membership_status=f.membership_status or "",
            membership_year=f.membership_year,
            departement=f.departement,
            sort=f.sort,
        ),
    )


@router.get(
    f"{BASE}/organisations/{{organisation_id}}",
    response=OrganisationOut,
    url_name="crm_organisation_detail",
    summary="One organisation, with what the cluster keeps about it",
    operation_id="clusterdesk_api_crm_organisation_detail",
)
def organisation_detail(request: HttpRequest, cluster_slug: str, organisation_id: int) -> Any:
    require(request, VIEW)
    return get_or_404(organisations_followed(cluster=cluster_of(request)), organisation_id)


@router.post(
    f"{BASE}/organisations",
    response={201: OrganisationOut},
    url_name="crm_organisation_create",
    summary="Create an organisation",
    operation_id="clusterdesk_api_crm_organisation_create_view",
)
def organisation_create_view(
    request: HttpRequest, cluster_slug: str, payload: OrganisationCreateIn
) -> Any:
    organisation = organisation_create(
        actor=actor_of(request), cluster=cluster_of(request), **sent(payload)
    )
    return Status(201, organisation)


@router.patch(
    f"{BASE}/organisations/{{organisation_id}}",
    response=OrganisationOut,
    url_name="crm_organisation_update",
    summary="Change an organisation",
    operation_id="clusterdesk_api_crm_organisation_update_view",
)
def organisation_update_view(
    request: HttpRequest,
    cluster_slug: str,
    organisation_id: int,
    payload: OrganisationPatchIn | None = None,
) -> Any:
    require(request, VIEW)
    cluster = cluster_of(request)
    return organisation_update(
        actor=actor_of(request),
        cluster=cluster,
        organisation=get_or_404(organisations_followed(cluster=cluster), organisation_id),
        **sent(payload),
    )
