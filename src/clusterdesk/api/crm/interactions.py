"""Interactions: list, detail, record, change (with the people met)."""

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
    InteractionCreateIn,
    InteractionFilterIn,
    InteractionOut,
    InteractionPatchIn,
)
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Interaction
from clusterdesk.crm.selectors import contacts_of, interactions_list
from clusterdesk.crm.services.interactions import interaction_save

router = Router(tags=["interactions"])


def _interaction_values(cluster: Cluster, values: dict[str, Any]) -> dict[str, Any]:
    """The body's fields with the people met as the cluster's contacts."""
    if values.get("contacts") is not None:
        values["contacts"] = [
            referenced(
                contacts_of(cluster=cluster),
                pk,
                field="contacts",
                message=_("contact %(id)s is not a contact of this cluster"),
            )
            for pk in values["contacts"]
        ]
    return values


@router.get(
    f"{BASE}/interactions",
    response=list[InteractionOut],
    url_name="crm_interaction_list",
    summary="Interactions, latest first",
    operation_id="clusterdesk_api_crm_interaction_list",
)
@paginate(Pagination)
def interaction_list(
    request: HttpRequest, cluster_slug: str, filters: Query[InteractionFilterIn]
) -> QuerySet[Interaction]:
    require(request, VIEW)
    return interactions_list(
        cluster=cluster_of(request),
        organisation=filters.organisation,
        owner=filters.owner,
        with_contacts=True,
    )


@router.get(
    f"{BASE}/interactions/{{interaction_id}}",
    response=InteractionOut,
    url_name="crm_interaction_detail",
    summary="One interaction",
    operation_id="clusterdesk_api_crm_interaction_detail",
)
def interaction_detail(request: HttpRequest, cluster_slug: str, interaction_id: int) -> Any:
    require(request, VIEW)
    return get_or_404(interactions_list(cluster=cluster_of(request)), interaction_id)


@router.post(
    f"{BASE}/interactions",
    response={201: InteractionOut},
    url_name="crm_interaction_create",
    summary="Record an interaction",
    operation_id="clusterdesk_api_crm_interaction_create",
)
def interaction_create(
    request: HttpRequest, cluster_slug: str, payload: InteractionCreateIn
) -> Any:
    require(request, VIEW)
    cluster = cluster_of(request)
    values = sent(payload, exclude={"organisation"})
    interaction = interaction_save(
        actor=actor_of(request),
        cluster=cluster,
        organisation=organisation_ref(cluster, payload.organisation),
        **_interaction_values(cluster, values),
    )
    return Status(201, interaction)


@router.patch(
    f"{BASE}/interactions/{{interaction_id}}",
    response=InteractionOut,
    url_name="crm_interaction_update",
    summary="Change an interaction",
    operation_id="clusterdesk_api_crm_interaction_update",
)
def interaction_update(
    request: HttpRequest,
    cluster_slug: str,
    interaction_id: int,
    payload: InteractionPatchIn | None = None,
) -> Any:
    require(request, VIEW)
    cluster = cluster_of(request)
    interaction = get_or_404(interactions_list(cluster=cluster), interaction_id)
    return interaction_save(
        actor=actor_of(request),
        cluster=cluster,
        organisation=interaction.organisation,
        interaction=interaction,
        **_interaction_values(cluster, sent(payload)),
    )
