"""Memberships: list, detail, create (one per organisation and year), change. The service
decides who writes which fields (only finance sets the fee fields)."""

# No ``from __future__ import annotations``: django-ninja reads the handlers' annotations.
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
from clusterdesk.api.crm.organisations import BASE, VIEW, organisation_ref
from clusterdesk.api.crm.schemas import (
    MembershipCreateIn,
    MembershipFilterIn,
    MembershipOut,
    MembershipPatchIn,
)
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Membership
from clusterdesk.crm.selectors import contacts_of, membership_categories, memberships_list
from clusterdesk.crm.services.memberships import membership_create, membership_update

router = Router(tags=["memberships"])


def _stored(membership: Membership) -> Membership:
    # A body's 1500 is stored as 1500.00: answer with the stored amounts, as a GET does.
    membership.refresh_from_db()
    return membership


def _membership_values(cluster: Cluster, values: dict[str, Any]) -> dict[str, Any]:
    """The body's fields with the category and the representative as the cluster's rows."""
    if values.get("category") is not None:
        values["category"] = referenced(
            membership_categories(cluster=cluster),
            values["category"],
            field="category",
            message=_("category %(id)s is not a membership category of this cluster"),
        )
    if values.get("representative") is not None:
        values["representative"] = referenced(
            contacts_of(cluster=cluster),
            values["representative"],
            field="representative",
            message=_("representative %(id)s is not a contact of this cluster"),
        )
    return values


@router.get(
    f"{BASE}/memberships",
    response=list[MembershipOut],
    url_name="crm_membership_list",
    summary="Memberships, latest year first",
    operation_id="clusterdesk_api_crm_membership_list",
)
@paginate(Pagination)
def membership_list(
    request: HttpRequest, cluster_slug: str, filters: Query[MembershipFilterIn]
) -> QuerySet[Membership]:
    require(request, VIEW)
    return memberships_list(
        cluster=cluster_of(request),
        year=filters.year,
        status=filters.status,
        organisation=filters.organisation,
    )


@router.get(
    f"{BASE}/memberships/{{membership_id}}",
    response=MembershipOut,
    url_name="crm_membership_detail",
    summary="One membership",
    operation_id="clusterdesk_api_crm_membership_detail",
)
def membership_detail(request: HttpRequest, cluster_slug: str, membership_id: int) -> Any:
    require(request, VIEW)
    return get_or_404(memberships_list(cluster=cluster_of(request)), membership_id)


@router.post(
    f"{BASE}/memberships",
    response={201: MembershipOut},
    url_name="crm_membership_create",
    summary="Create an organisation's membership for a year",
    operation_id="clusterdesk_api_crm_membership_create",
)
def membership_create_view(
    request: HttpRequest, cluster_slug: str, payload: MembershipCreateIn
) -> Any:
    require(request, VIEW)
    cluster = cluster_of(request)
    membership = membership_create(
        actor=actor_of(request),
        cluster=cluster,
        organisation=organisation_ref(cluster, payload.organisation),
        year=payload.year,
        **_membership_values(cluster, sent(payload, exclude={"organisation", "year"})),
    )
    return Status(201, _stored(membership))


@router.patch(
    f"{BASE}/memberships/{{membership_id}}",
    response=MembershipOut,
    url_name="crm_membership_update",
    summary="Change a membership (status, category, representative, fee)",
    operation_id="clusterdesk_api_crm_membership_update",
)
def membership_update_view(
    request: HttpRequest,
    cluster_slug: str,
    membership_id: int,
    payload: MembershipPatchIn | None = None,
) -> Any:
    require(request, VIEW)
    cluster = cluster_of(request)
    membership = get_or_404(memberships_list(cluster=cluster), membership_id)
    saved = membership_update(
        actor=actor_of(request),
        membership=membership,
        **_membership_values(cluster, sent(payload)),
    )
    return _stored(saved)
