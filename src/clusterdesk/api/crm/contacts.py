"""Contacts: list, detail, create, change (the people of the organisations followed)."""

# No ``from __future__ import annotations``: django-ninja reads the handlers' annotations.
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from clusterdesk.api.common import Pagination, actor_of, cluster_of, get_or_404, require, sent
from clusterdesk.api.crm.organisations import BASE, VIEW, organisation_ref
from clusterdesk.api.crm.schemas import ContactCreateIn, ContactFilterIn, ContactOut, ContactPatchIn
from clusterdesk.crm.models import Contact
from clusterdesk.crm.selectors import contacts_list
from clusterdesk.crm.services.contacts import contact_save

router = Router(tags=["contacts"])


@router.get(
    f"{BASE}/contacts",
    response=list[ContactOut],
    url_name="crm_contact_list",
    summary="Contacts, by name",
    operation_id="clusterdesk_api_crm_contact_list",
)
@paginate(Pagination)
def contact_list(
    request: HttpRequest, cluster_slug: str, filters: Query[ContactFilterIn]
) -> QuerySet[Contact]:
    require(request, VIEW)
    return contacts_list(cluster=cluster_of(request), organisation=filters.organisation)


@router.get(
    f"{BASE}/contacts/{{contact_id}}",
    response=ContactOut,
    url_name="crm_contact_detail",
    summary="One contact",
    operation_id="clusterdesk_api_crm_contact_detail",
)
def contact_detail(request: HttpRequest, cluster_slug: str, contact_id: int) -> Any:
    require(request, VIEW)
    return get_or_404(contacts_list(cluster=cluster_of(request)), contact_id)


@router.post(
    f"{BASE}/contacts",
    response={201: ContactOut},
    url_name="crm_contact_create",
    summary="Create a contact",
    operation_id="clusterdesk_api_crm_contact_create",
)
def contact_create(request: HttpRequest, cluster_slug: str, payload: ContactCreateIn) -> Any:
    require(request, VIEW)
    cluster = cluster_of(request)
    contact = contact_save(
        actor=actor_of(request),
        cluster=cluster,
        organisation=organisation_ref(cluster, payload.organisation),
        **sent(payload, exclude={"organisation"}),
    )
    return Status(201, contact)


@router.patch(
    f"{BASE}/contacts/{{contact_id}}",
    response=ContactOut,
    url_name="crm_contact_update",
    summary="Change a contact",
    operation_id="clusterdesk_api_crm_contact_update",
)
def contact_update(
    request: HttpRequest, cluster_slug: str, contact_id: int, payload: ContactPatchIn | None = None
) -> Any:
    require(request, VIEW)
    cluster = cluster_of(request)
    contact = get_or_404(contacts_list(cluster=cluster), contact_id)
    return contact_save(
        actor=actor_of(request),
        cluster=cluster,
        organisation=contact.organisation,
        contact=contact,
        **sent(payload),
    )
