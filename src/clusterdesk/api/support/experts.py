"""The expert network (the support staff): the experts, one expert, a new one, a change,
and their conflicts of interest."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from clusterdesk.api.common import Pagination, actor_of, cluster_of, referenced, require
from clusterdesk.api.support.common import BASE, EXPERT
from clusterdesk.api.support.schemas import ConflictIn, ConflictOut, ExpertIn, ExpertOut
from clusterdesk.core.models import Cluster, Domain
from clusterdesk.crm.selectors import organisations_followed
from clusterdesk.support.models import Expert, ExpertConflict
from clusterdesk.support.selectors.cases import expert_accounts
from clusterdesk.support.selectors.experts import expert_conflicts, expert_of, experts_of
from clusterdesk.support.services.experts import expert_conflict_declare, expert_save

router = Router()
MANAGE = "support.manage_experts"


def _values(cluster: Cluster, payload: ExpertIn | None) -> tuple[dict[str, Any], Any, str]:
    data = payload.model_dump(exclude_unset=True) if payload else {}
    currency = data.pop("currency", "EUR")
    domains = None
    if data.get("domains") is not None:
        message = _("domain %(id)s is not a domain of this cluster")
        domains = [
            referenced(Domain.objects.filter(cluster=cluster), pk, field="domains", message=message)
            for pk in data.pop("domains")
        ]
    else:
        data.pop("domains", None)
    if data.get("user") is not None:
        data["user"] = referenced(
            expert_accounts(cluster=cluster),
            data["user"],
            field="user",
            message=_("person %(id)s is not a member of the cluster's team or network"),
        )
    if data.get("organisation") is not None:
        data["organisation"] = referenced(
            organisations_followed(cluster=cluster),
            data["organisation"],
            field="organisation",
            message=_("organisation %(id)s is not one this cluster follows"),
        )
    if "competences" in data:
        data["competences"] = ", ".join(c.strip() for c in data["competences"] or [] if c.strip())
    for name in ("email", "organisation_name", "languages"):
        if name in data and data[name] is None:
            data[name] = ""
    return data, domains, currency


@router.get(
    f"{BASE}/experts",
    response=list[ExpertOut],
    url_name="support_expert_list",
    summary="The cluster's expert network",
    tags=["support experts"],
)
@paginate(Pagination)
def expert_list(request: HttpRequest, cluster_slug: str) -> QuerySet[Expert]:
    require(request, MANAGE)
    return experts_of(cluster=cluster_of(request))


@router.get(
    EXPERT,
    response=ExpertOut,
    url_name="support_expert_detail",
    summary="One expert",
    tags=["support experts"],
)
def expert_detail(request: HttpRequest, cluster_slug: str, expert_id: int) -> Any:
    require(request, MANAGE)
    return expert_of(cluster=cluster_of(request), pk=expert_id)


@router.post(
    f"{BASE}/experts",
    response={201: ExpertOut},
    url_name="support_expert_create",
    summary="Add an expert to the network (daily rate in euros)",
    tags=["support experts"],
)
def expert_create(request: HttpRequest, cluster_slug: str, payload: ExpertIn) -> Any:
    cluster = cluster_of(request)
    require(request, MANAGE)
    data, domains, currency = _values(cluster, payload)
    expert = expert_save(
        actor=actor_of(request), cluster=cluster, domains=domains, currency=currency, **data
    )
    return Status(201, expert_of(cluster=cluster, pk=expert.pk))


@router.patch(
    EXPERT,
    response=ExpertOut,
    url_name="support_expert_update",
    summary="Change an expert",
    tags=["support experts"],
)
def expert_update(
    request: HttpRequest, cluster_slug: str, expert_id: int, payload: ExpertIn | None = None
) -> Any:
    cluster = cluster_of(request)
    expert = expert_of(cluster=cluster, pk=expert_id)
    data, domains, currency = _values(cluster, payload)
    expert_save(
        actor=actor_of(request),
        cluster=cluster,
        expert=expert,
        domains=domains,
        currency=currency,
        **data,
    )
    return expert_of(cluster=cluster, pk=expert.pk)


@router.get(
    f"{EXPERT}/conflicts",
    response=list[ConflictOut],
    url_name="support_conflict_list",
    summary="An expert's conflicts of interest",
    tags=["support experts"],
)
def conflict_list(
    request: HttpRequest, cluster_slug: str, expert_id: int
) -> QuerySet[ExpertConflict]:
    require(request, MANAGE)
    return expert_conflicts(expert_of(cluster=cluster_of(request), pk=expert_id))


@router.post(
    f"{EXPERT}/conflicts",
    response={201: ConflictOut},
    url_name="support_conflict_create",
    summary="Record an expert's conflict of interest with a company",
    tags=["support experts"],
)
def conflict_create(
    request: HttpRequest, cluster_slug: str, expert_id: int, payload: ConflictIn
) -> Any:
    cluster = cluster_of(request)
    expert = expert_of(cluster=cluster, pk=expert_id)
    organisation = referenced(
        organisations_followed(cluster=cluster),
        payload.organisation,
        field="organisation",
        message=_("organisation %(id)s is not one this cluster follows"),
    )
    conflict = expert_conflict_declare(
        actor=actor_of(request), expert=expert, organisation=organisation, reason=payload.reason
    )
    return Status(201, conflict)
