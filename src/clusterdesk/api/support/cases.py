"""Support cases: the ones the caller may see, one case, a new case, a change (including a
move to another stage and a change of status), and the case's actions and outcomes."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from clusterdesk.api.common import Pagination, actor_of, cluster_of, referenced, require
from clusterdesk.api.support.common import BASE, CASE, case_of
from clusterdesk.api.support.schemas import (
    ActionIn,
    ActionOut,
    CaseCreateIn,
    CaseDetailOut,
    CaseFilterIn,
    CaseOut,
    CaseUpdateIn,
    OutcomeIn,
    OutcomeOut,
)
from clusterdesk.crm.selectors import organisations_followed
from clusterdesk.projects.models import Application
from clusterdesk.support.models import CaseAction, CaseOutcome, SupportCase
from clusterdesk.support.selectors.cases import (
    CaseFilter,
    case_actions,
    case_outcomes,
    support_case_list,
    support_staff,
)
from clusterdesk.support.services import cases as services

router = Router()
ORGANISATION = _("organisation %(id)s is not one this cluster follows")


@router.get(
    f"{BASE}/cases",
    response=list[CaseOut],
    url_name="support_case_list",
    summary="The support cases you may see, current ones first",
    tags=["support cases"],
)
@paginate(Pagination)
def case_list(
    request: HttpRequest, cluster_slug: str, filters: Query[CaseFilterIn]
) -> QuerySet[SupportCase]:
    require(request, "support.list_cases")
    f = CaseFilter(
        status=filters.status or "",
        need=filters.need or "",
        stage=filters.stage or "",
        organisation_id=filters.organisation,
    )
    return support_case_list(user=request.user, cluster=cluster_of(request), filters=f)


@router.get(
    CASE,
    response=CaseDetailOut,
    url_name="support_case_detail",
    summary="One support case",
    tags=["support cases"],
)
def case_detail(request: HttpRequest, cluster_slug: str, case_id: int) -> Any:
    return case_of(request, case_id)


@router.post(
    f"{BASE}/cases",
    response={201: CaseDetailOut},
    url_name="support_case_create",
    summary="Open a support case for a company the cluster follows",
    tags=["support cases"],
)
def case_create(request: HttpRequest, cluster_slug: str, payload: CaseCreateIn) -> Any:
    cluster = cluster_of(request)
    require(request, "support.manage_cases")
    organisation = referenced(
        organisations_followed(cluster=cluster),
        payload.organisation,
        field="organisation",
        message=ORGANISATION,
    )
    owner = None
    if payload.owner is not None:
        owner = referenced(
            support_staff(cluster=cluster),
            payload.owner,
            field="owner",
            message=_("person %(id)s is not a director or project manager of the cluster"),
        )
    case = services.support_case_create(
        actor=actor_of(request),
        cluster=cluster,
        organisation=organisation,
        title=payload.title,
        need=payload.need,
        stage=payload.stage,
        description=payload.description,
        trl=payload.trl,
        owner=owner,
        opened_on=payload.opened_on,
    )
    return Status(201, case)


@router.patch(
    CASE,
    response=CaseDetailOut,
    url_name="support_case_update",
    summary="Change a case, move it to another stage or change its status",
    tags=["support cases"],
)
def case_update(
    request: HttpRequest, cluster_slug: str, case_id: int, payload: CaseUpdateIn | None = None
) -> Any:
    case = case_of(request, case_id)
    actor = actor_of(request)
    data = payload.model_dump(exclude_unset=True) if payload else {}
    stage, stage_on = data.pop("stage", None), data.pop("stage_on", None)
    status, status_on = data.pop("status", None), data.pop("status_on", None)
    if "owner" in data and data["owner"] is not None:
        data["owner"] = referenced(
            support_staff(cluster=case.cluster),
            data["owner"],
            field="owner",
            message=_("person %(id)s is not a director or project manager of the cluster"),
        )
    if data:
        services.support_case_update(actor=actor, case=case, **data)
    if stage is not None:
        services.support_case_move(actor=actor, case=case, stage=stage, on=stage_on)
    if status is not None:
        services.support_case_set_status(actor=actor, case=case, status=status, on=status_on)
    if not (data or stage or status):
        # An empty change still needs the right to change the case.
        services.support_case_update(actor=actor, case=case)
    return SupportCase.objects.select_related("organisation", "owner").get(pk=case.pk)


@router.get(
    f"{CASE}/actions",
    response=list[ActionOut],
    url_name="support_action_list",
    summary="A case's actions (those shared with the company, for its contacts)",
    tags=["support cases"],
)
def action_list(request: HttpRequest, cluster_slug: str, case_id: int) -> QuerySet[CaseAction]:
    case = case_of(request, case_id)
    return case_actions(user=request.user, case=case)


@router.post(
    f"{CASE}/actions",
    response={201: ActionOut},
    url_name="support_action_create",
    summary="Record a meeting, an introduction or a note on a case",
    tags=["support cases"],
)
def action_create(request: HttpRequest, cluster_slug: str, case_id: int, payload: ActionIn) -> Any:
    case = case_of(request, case_id)
    introduced_to = None
    if payload.introduced_to is not None:
        introduced_to = referenced(
            organisations_followed(cluster=case.cluster),
            payload.introduced_to,
            field="introduced_to",
            message=ORGANISATION,
        )
    action = services.case_action_add(
        actor=actor_of(request),
        case=case,
        kind=payload.kind,
        subject=payload.subject,
        date=payload.date,
        detail=payload.detail,
        introduced_to=introduced_to,
        shared_with_company=payload.shared_with_company,
    )
    return Status(201, action)


@router.get(
    f"{CASE}/outcomes",
    response=list[OutcomeOut],
    url_name="support_outcome_list",
    summary="What came of a case",
    tags=["support cases"],
)
def outcome_list(request: HttpRequest, cluster_slug: str, case_id: int) -> QuerySet[CaseOutcome]:
    return case_outcomes(case_of(request, case_id))


@router.post(
    f"{CASE}/outcomes",
    response={201: OutcomeOut},
    url_name="support_outcome_create",
    summary="Record an outcome of a case (amounts in euros)",
    tags=["support cases"],
)
def outcome_create(
    request: HttpRequest, cluster_slug: str, case_id: int, payload: OutcomeIn
) -> Any:
    case = case_of(request, case_id)
    partner = application = None
    if payload.partner is not None:
        partner = referenced(
            organisations_followed(cluster=case.cluster),
            payload.partner,
            field="partner",
            message=ORGANISATION,
        )
    if payload.application is not None:
        application = referenced(
            Application.objects.filter(cluster=case.cluster),
            payload.application,
            field="application",
            message=_("application %(id)s is not an application of this cluster"),
        )
    outcome = services.case_outcome_record(
        actor=actor_of(request),
        case=case,
        kind=payload.kind,
        date=payload.date,
        amount_eur=payload.amount_eur,
        currency=payload.currency,
        funding_round=payload.funding_round or "",
        investors=payload.investors,
        reference=payload.reference,
        partner=partner,
        application=application,
        note=payload.note,
    )
    return Status(201, outcome)
