"""Authorisations: who may use a containment level or an instrument, and until when."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from clusterdesk.api.common import Pagination, actor_of, cluster_of, referenced
from clusterdesk.api.facilities.resources import BASE
from clusterdesk.api.facilities.schemas import AuthorisationIn, AuthorisationOut
from clusterdesk.core.errors import require
from clusterdesk.facilities.models import Authorisation
from clusterdesk.facilities.selectors import (
    authorisations_visible_to,
    person_known_to_cluster,
    resources_of,
)
from clusterdesk.facilities.services.authorisations import authorisation_grant

router = Router(tags=["facilities"])


@router.get(
    f"{BASE}/authorisations",
    response=list[AuthorisationOut],
    url_name="facilities_authorisation_list",
    summary="Authorisations you may see (the centre's staff: all; others: their own)",
)
@paginate(Pagination)
def authorisation_list(request: HttpRequest, cluster_slug: str) -> QuerySet[Authorisation]:
    return authorisations_visible_to(request.user, cluster_of(request))


@router.post(
    f"{BASE}/authorisations",
    response={201: AuthorisationOut},
    url_name="facilities_authorisation_create",
    summary="Authorise a person for a containment level or an instrument",
)
def authorisation_create_view(
    request: HttpRequest, cluster_slug: str, payload: AuthorisationIn
) -> Any:
    cluster, actor = cluster_of(request), actor_of(request)
    # Refuse first, so that a caller without the right learns nothing of the accounts.
    require(actor, "facilities.manage", cluster)
    person = person_known_to_cluster(cluster=cluster, email=payload.person)
    if person is None:
        raise ValidationError({"person": _("No account of this cluster has this e-mail.")})
    resource = None
    if payload.resource is not None:
        resource = referenced(
            resources_of(cluster=cluster),
            payload.resource,
            field="resource",
            message=_("resource %(id)s is not a resource of this cluster"),
        )
    authorisation = authorisation_grant(
        actor=actor,
        cluster=cluster,
        person=person,
        level=payload.level or "",
        resource=resource,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        trained_on=payload.trained_on,
        trainer=payload.trainer,
    )
    return Status(201, authorisation)
