"""Applications and their consortium: the ones the caller may see, one file, a new draft,
a change of the file, and the partners' shares."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from clusterdesk.api.common import Pagination, actor_of, cluster_of, referenced, sent
from clusterdesk.api.projects.common import (
    APPLICATION,
    BASE,
    application_of,
    application_out,
    domains_named,
    themes_named,
)
from clusterdesk.api.projects.schemas import (
    ApplicationCreateIn,
    ApplicationFields,
    ApplicationFilterIn,
    ApplicationListOut,
    ApplicationOut,
    PartnerIn,
    PartnerOut,
)
from clusterdesk.crm.models import Contact
from clusterdesk.crm.selectors import organisations_followed
from clusterdesk.projects.models import Application
from clusterdesk.projects.selectors.applications import (
    application_coordinators_for,
    application_partners,
    applications_visible_to,
    applications_with_file,
)
from clusterdesk.projects.selectors.calls import calls_of
from clusterdesk.projects.services.applications import (
    application_create,
    application_update,
    partner_save,
)

router = Router()


@router.get(
    f"{BASE}/applications",
    response=list[ApplicationListOut],
    url_name="projects_application_list",
    summary="The applications you may see, latest first",
    tags=["applications"],
)
@paginate(Pagination)
def application_list(
    request: HttpRequest, cluster_slug: str, filters: Query[ApplicationFilterIn]
) -> QuerySet[Application]:
    qs = applications_with_file(
        applications_visible_to(user=request.user, cluster=cluster_of(request))
    )
    if filters.call is not None:
        qs = qs.filter(call_id=filters.call)
    if filters.state is not None:
        qs = qs.filter(state=filters.state)
    return qs.order_by("-created_at", "-pk")


@router.get(
    APPLICATION,
    response=ApplicationOut,
    url_name="projects_application_detail",
    summary="One application, with its consortium and totals",
    tags=["applications"],
)
def application_detail(request: HttpRequest, cluster_slug: str, application_id: int) -> Any:
    application = application_of(request, application_id)
    return application_out(cluster_of(request), application.pk)


@router.post(
    f"{BASE}/applications",
    response={201: ApplicationOut},
    url_name="projects_application_create",
    summary="Start an application (a draft) with its coordinator",
    tags=["applications"],
)
def application_create_view(
    request: HttpRequest, cluster_slug: str, payload: ApplicationCreateIn
) -> Any:
    cluster = cluster_of(request)
    call = referenced(
        calls_of(cluster),
        payload.call,
        field="call",
        message=_("call %(id)s is not a call of this cluster"),
    )
    coordinator = referenced(
        application_coordinators_for(actor=actor_of(request), cluster=cluster),
        payload.coordinator,
        field="coordinator",
        message=_("organisation %(id)s cannot coordinate an application of yours"),
    )
    application = application_create(
        actor=actor_of(request),
        call=call,
        coordinator=coordinator,
        domains=domains_named(cluster, payload.domains) or (),
        themes=themes_named(cluster, payload.themes) or (),
        **sent(payload, exclude={"call", "coordinator", "domains", "themes"}),
    )
    return Status(201, application_out(cluster, application.pk))


@router.patch(
    APPLICATION,
    response=ApplicationOut,
    url_name="projects_application_update",
    summary="Change an application's file",
    tags=["applications"],
)
def application_update_view(
    request: HttpRequest,
    cluster_slug: str,
    application_id: int,
    payload: ApplicationFields | None = None,
) -> Any:
    application = application_of(request, application_id)
    cluster = cluster_of(request)
    payload = payload or ApplicationFields()
    application_update(
        actor=actor_of(request),
        application=application,
        domains=domains_named(cluster, payload.domains),
        themes=themes_named(cluster, payload.themes),
        **sent(payload, exclude={"domains", "themes"}),
    )
    return application_out(cluster, application.pk)


# -- the consortium ---------------------------------------------------------------------------


@router.get(
    f"{APPLICATION}/partners",
    response=list[PartnerOut],
    url_name="projects_partner_list",
    summary="An application's consortium",
    tags=["applications"],
)
def partner_list(request: HttpRequest, cluster_slug: str, application_id: int) -> Any:
    return list(application_partners(application_of(request, application_id)))


@router.post(
    f"{APPLICATION}/partners",
    response={200: PartnerOut, 201: PartnerOut},
    url_name="projects_partner_save",
    summary="Add a partner to the consortium (201), or change its share (200)",
    tags=["applications"],
)
def partner_save_view(
    request: HttpRequest, cluster_slug: str, application_id: int, payload: PartnerIn
) -> Any:
    application = application_of(request, application_id)
    cluster = cluster_of(request)
    organisation = referenced(
        # Organisations are shared by the instance: a cluster names only those it follows.
        organisations_followed(cluster=cluster),
        payload.organisation,
        field="organisation",
        message=_("organisation %(id)s is not an organisation of this cluster"),
    )
    values = sent(payload, exclude={"organisation", "contact"})
    if payload.contact is not None:
        values["contact"] = referenced(
            Contact.objects.filter(cluster=cluster, organisation=organisation, anonymised_at=None),
            payload.contact,
            field="contact",
            message=_("contact %(id)s is not a contact of this organisation"),
        )
    elif "contact" in payload.model_fields_set:
        values["contact"] = None
    partner, joined = partner_save(
        actor=actor_of(request), application=application, organisation=organisation, **values
    )
    return Status(201 if joined else 200, application_partners(application).get(pk=partner.pk))
