"""Labelling: calls, applications and their consortium, the workflow, reviews, committee
sessions and funding of one cluster.

Every route is under ``/clusters/{cluster_slug}/``, whose scope the tenant middleware has
opened. Applications hold the partners' trade secrets: a list shows only what
``selectors.applications_visible_to`` returns, and an application the caller may not see
(``projects.view_application``) answers the same 404 as a missing one, on every route that
names it; a 403 only ever refuses an action on an application the caller does see. Calls
are read with ``projects.view_calls`` and written with ``projects.manage_calls``, which also
gives the project staff every application, review and committee session. An expert reaches
their own review assignments only (any other is a 404), a committee member the sessions
they sit on. Handlers parse, check the permission and call the projects' services and
selectors; the services check the workflow's rules and audit.
"""

# No ``from __future__ import annotations``: django-ninja reads the handlers' annotations
# at import time, and the pagination wrapper cannot resolve them from strings.
import datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from clusterdesk.api.clusters import TermOut
from clusterdesk.api.common import Pagination, cluster_of, get_or_404, referenced, require, sent
from clusterdesk.api.crm.schemas import Ref
from clusterdesk.api.fields import InputSchema
from clusterdesk.core.models import Cluster, Domain, Theme
from clusterdesk.crm.models import Contact, Organisation
from clusterdesk.crm.selectors import member_organisations, organisations_followed
from clusterdesk.projects.models import (
    Application,
    Call,
    CommitteeSession,
    Conflict,
    Criterion,
    Funder,
    FundingApplication,
    FundingLine,
    Partner,
    Review,
    ReviewAssignment,
    ReviewScore,
)
from clusterdesk.projects.rules import is_coordinator_contact
from clusterdesk.projects.selectors import (
    application_totals,
    applications_visible_to,
    session_agenda,
    weighted_score,
)
from clusterdesk.projects.services import (
    NEEDS_REASON,
    TRANSITIONS,
    application_create,
    application_transition,
    application_update,
    assignment_declare_no_conflict,
    call_save,
    conflict_record,
    criterion_add,
    funding_save,
    partner_save,
    review_save,
)

VIEW_CALLS = "projects.view_calls"
MANAGE = "projects.manage_calls"
VIEW_APPLICATION = "projects.view_application"
CHANGE_APPLICATION = "projects.change_application"
REVIEW = "projects.review"
SIT = "projects.sit_on_committee"
PORTAL = "crm.use_portal"

BASE = "/clusters/{cluster_slug}"
APPLICATION = f"{BASE}/applications/{{application_id}}"
ASSIGNMENT = f"{BASE}/assignments/{{assignment_id}}"
# The largest value of a small integer column (PostgreSQL's smallint): a bigger one is a
# 422 here rather than a database error.
SMALL = 32767

S = Application.State

router = Router(tags=["labelling"])


# -- who may ask for which move of an application ------------------------------------------
#
# The one place that says it. The project staff (``projects.manage_calls``) may ask for any
# move; the coordinator's contact (a portal account linked to a contact of the coordinating
# organisation) may submit its file, resubmit it after "revise" (also a move to
# "submitted") and withdraw it; anyone else who sees the application (other partners,
# experts, committee members) may ask for none: 403. Whether the move is possible from the
# current state, and its rules (reason, eligibility, session …), is then the workflow
# service's to check: 400.
APPLICANT_MOVES = frozenset({S.SUBMITTED, S.WITHDRAWN})


def _may_ask(request: HttpRequest, application: Application, to: str) -> bool:
    if request.user.has_perm(MANAGE, cluster_of(request)):
        return True
    return to in APPLICANT_MOVES and bool(is_coordinator_contact(request.user, application))


# -- fetching the cluster's objects ---------------------------------------------------------


def _require_on(request: HttpRequest, permission: str, obj: Model) -> None:
    """Refuse (JSON 403) an action on an object the caller sees but may not act on."""
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _calls(cluster: Cluster) -> QuerySet[Call]:
    return Call.objects.filter(cluster=cluster)


def _call_detail(cluster: Cluster) -> QuerySet[Call]:
    # Prefetched for reading only: fetched again after a write.
    return _calls(cluster).prefetch_related("domains", "criteria")


def _applications(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.select_related("call", "committee_session").prefetch_related(
        Prefetch("partners", queryset=Partner.objects.select_related("organisation", "contact")),
        "domains",
        "themes",
    )


def _application_or_404(request: HttpRequest, pk: int) -> Application:
    """The cluster's application ``pk`` if the caller may see it, else the same JSON 404 as a
    missing one: that an application exists is confidential too."""
    cluster = cluster_of(request)
    application = get_or_404(
        Application.objects.filter(cluster=cluster).select_related("call", "committee_session"),
        pk,
    )
    if not request.user.has_perm(VIEW_APPLICATION, application):
        raise Http404
    return application


def _application_out(cluster: Cluster, pk: int) -> Application:
    """An application just written, read again with what its answer shows."""
    return _applications(Application.objects.filter(cluster=cluster)).get(pk=pk)


def _followed(cluster: Cluster) -> QuerySet[Organisation]:
    # Organisations are shared by the instance: a cluster names only those it follows.
    return organisations_followed(cluster=cluster)


def _partners(application: Application) -> QuerySet[Partner]:
    return application.partners.select_related("organisation", "contact")


def _own_assignments(request: HttpRequest) -> QuerySet[ReviewAssignment]:
    """The caller's own review assignments in the cluster; anyone else's (the staff's view
    included) is unknown here."""
    return ReviewAssignment.objects.filter(
        cluster=cluster_of(request), expert__user=request.user.pk
    ).select_related("application__call", "expert", "review")


def _own_assignment_or_404(request: HttpRequest, pk: int) -> ReviewAssignment:
    assignment = get_or_404(_own_assignments(request), pk)
    require(request, REVIEW)
    return assignment


def _reviews(cluster: Cluster) -> QuerySet[Review]:
    return (
        Review.objects.filter(cluster=cluster)
        .select_related("assignment__expert__user")
        .prefetch_related(
            Prefetch("scores", queryset=ReviewScore.objects.select_related("criterion"))
        )
        .order_by("pk")
    )


def _sessions_for(request: HttpRequest) -> QuerySet[CommitteeSession]:
    """Every session for the project staff; for anyone else, the sessions they sit on."""
    cluster = cluster_of(request)
    sessions = CommitteeSession.objects.filter(cluster=cluster)
    if request.user.has_perm(MANAGE, cluster):
        return sessions
    return sessions.filter(members=request.user.pk)


def _fundings(application: Application) -> QuerySet[FundingApplication]:
    return FundingApplication.objects.filter(
        cluster=application.cluster, application=application
    ).prefetch_related(
        Prefetch("lines", queryset=FundingLine.objects.select_related("partner__organisation"))
    )


def _domains(cluster: Cluster, ids: list[int] | None) -> list[Domain] | None:
    """The cluster's domains a body names by id (``None``: not sent, unchanged)."""
    if ids is None:
        return None
    message = _("domain %(id)s is not a domain of this cluster")
    return [
        referenced(Domain.objects.filter(cluster=cluster), pk, field="domains", message=message)
        for pk in ids
    ]


def _themes(cluster: Cluster, ids: list[int] | None) -> list[Theme] | None:
    """The cluster's themes a body names by id (``None``: not sent, unchanged)."""
    if ids is None:
        return None
    message = _("theme %(id)s is not a theme of this cluster")
    return [
        referenced(Theme.objects.filter(cluster=cluster), pk, field="themes", message=message)
        for pk in ids
    ]


# -- calls ------------------------------------------------------------------------------------


class CriterionOut(Schema):
    id: int
    name: str
    name_en: str
    weight: Decimal
    position: int


class CriterionIn(InputSchema):
    """An evaluation criterion, added after the call's others."""

    name: str = Field(..., min_length=1, max_length=160)
    name_en: str = Field(default="", max_length=160)
    weight: Decimal = Field(default=Decimal(1), gt=0, max_digits=5, decimal_places=2)


class CallOut(Schema):
    id: int
    title: str
    kind: str
    funder: str
    reference: str
    opens_on: datetime.date
    closes_on: datetime.date | None
    is_open: bool

    @staticmethod
    def resolve_is_open(obj: Call) -> bool:
        return obj.is_open()


class CallDetailOut(CallOut):
    description: str
    min_partners: int
    requires_sme: bool
    requires_research: bool
    domains: list[TermOut]
    reviewers_per_application: int
    review_deadline: datetime.date | None
    score_max: int
    criteria: list[CriterionOut]

    @staticmethod
    def resolve_domains(obj: Call) -> list[Domain]:
        return list(obj.domains.all())

    @staticmethod
    def resolve_criteria(obj: Call) -> list[Criterion]:
        return list(obj.criteria.all())


class CallFields(InputSchema):
    """Only the fields sent change; ``domains`` (ids of the cluster's domains) replaces the
    list, and an empty list opens the call to any domain."""

    title: str = ""
    kind: Call.Kind = Call.Kind.LABELLING
    opens_on: datetime.date = Field(default_factory=timezone.localdate)
    funder: Literal[("", *Funder.values)] = ""  # type: ignore[valid-type]
    reference: str = ""
    description: str = ""
    closes_on: datetime.date | None = None
    min_partners: int = Field(default=2, le=SMALL)
    requires_sme: bool = True
    requires_research: bool = True
    domains: list[int] | None = None
    reviewers_per_application: int = Field(default=2, le=SMALL)
    review_deadline: datetime.date | None = None
    score_max: int = Field(default=5, le=SMALL)


class CallCreateIn(CallFields):
    """A new call with its evaluation criteria, in order."""

    title: str
    opens_on: datetime.date
    criteria: list[CriterionIn] = Field(default_factory=list)


class CallPatchIn(CallFields):
    """``add_criteria`` are added after the call's criteria (none is removed)."""

    add_criteria: list[CriterionIn] = Field(default_factory=list)


def _call_write(
    request: HttpRequest, call: Call, payload: CallFields, criteria: list[CriterionIn]
) -> Call:
    cluster = cluster_of(request)
    values = sent(payload, exclude={"domains", "criteria", "add_criteria"})
    domains = _domains(cluster, payload.domains)
    # The call and its criteria together, or neither.
    with transaction.atomic():
        call = call_save(actor=request.user, call=call, domains=domains, **values)
        for criterion in criteria:
            criterion_add(actor=request.user, call=call, **criterion.model_dump())
    return _call_detail(cluster).get(pk=call.pk)


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
    return _calls(cluster_of(request)).order_by("-opens_on", "title", "pk")


@router.get(
    f"{BASE}/calls/{{call_id}}",
    response=CallDetailOut,
    url_name="projects_call_detail",
    summary="One call, with its domains and evaluation criteria",
    tags=["calls"],
)
def call_detail(request: HttpRequest, cluster_slug: str, call_id: int) -> Any:
    require(request, VIEW_CALLS)
    return get_or_404(_call_detail(cluster_of(request)), call_id)


@router.post(
    f"{BASE}/calls",
    response={201: CallDetailOut},
    url_name="projects_call_create",
    summary="Open a call",
    tags=["calls"],
)
def call_create(request: HttpRequest, cluster_slug: str, payload: CallCreateIn) -> Any:
    require(request, MANAGE)
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
    require(request, MANAGE)
    call = get_or_404(_calls(cluster_of(request)), call_id)
    payload = payload or CallPatchIn()
    return _call_write(request, call, payload, payload.add_criteria)


# -- applications -----------------------------------------------------------------------------


class ApplicationFilterIn(InputSchema):
    call: int | None = None
    state: Application.State | None = None


class PartnerOut(Schema):
    id: int
    organisation: Ref
    role: str
    budget_eur: Decimal
    requested_aid_eur: Decimal
    person_months: Decimal
    contact: Ref | None


class TotalsOut(Schema):
    """Summed over the consortium; ``granted`` over its granted funding applications."""

    budget: Decimal
    requested: Decimal
    person_months: Decimal
    granted: Decimal


class ApplicationListOut(Schema):
    id: int
    acronym: str
    title: str
    call: Ref
    state: str
    coordinator: Ref | None
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    label_number: str | None
    project_status: str

    @staticmethod
    def resolve_coordinator(obj: Application) -> Organisation | None:
        # From the prefetched consortium: no query per application.
        for partner in obj.partners.all():
            if partner.role == Partner.Role.COORDINATOR:
                return partner.organisation
        return None

    @staticmethod
    def resolve_label_number(obj: Application) -> str | None:
        return obj.label_number or None


class ApplicationOut(ApplicationListOut):
    summary: str
    summary_en: str
    domains: list[TermOut]
    themes: list[TermOut]
    trl_start: int | None
    trl_target: int | None
    duration_months: int | None
    state_reason: str
    created_at: datetime.datetime
    committee_session: Ref | None
    label_date: datetime.date | None
    start_date: datetime.date | None
    end_date: datetime.date | None
    partners: list[PartnerOut]
    totals: TotalsOut

    @staticmethod
    def resolve_domains(obj: Application) -> list[Domain]:
        return list(obj.domains.all())

    @staticmethod
    def resolve_themes(obj: Application) -> list[Theme]:
        return list(obj.themes.all())

    @staticmethod
    def resolve_partners(obj: Application) -> list[Partner]:
        return list(obj.partners.all())

    @staticmethod
    def resolve_totals(obj: Application) -> dict[str, Decimal]:
        # A sum comes back with the database's scale (SQLite drops it): show it as stored.
        return {
            name: value.quantize(Decimal("0.1" if name == "person_months" else "0.01"))
            for name, value in application_totals(obj).items()
        }


class ApplicationFields(InputSchema):
    """Only the fields sent change; ``domains`` and ``themes`` (ids of the cluster's)
    replace their lists. The call and the coordinator do not change."""

    acronym: str = ""
    title: str = ""
    summary: str = ""
    summary_en: str = ""
    domains: list[int] | None = None
    themes: list[int] | None = None
    trl_start: int | None = Field(default=None, le=SMALL)
    trl_target: int | None = Field(default=None, le=SMALL)
    duration_months: int | None = Field(default=None, le=SMALL)


class ApplicationCreateIn(ApplicationFields):
    """A draft for a call, with its coordinating organisation: for the project staff any
    organisation the cluster follows, for a member one of their own."""

    call: int
    coordinator: int
    acronym: str
    title: str


def _coordinators_for(request: HttpRequest) -> QuerySet[Organisation]:
    """The organisations the caller may name as the coordinator of a new application."""
    cluster = cluster_of(request)
    if request.user.has_perm(MANAGE, cluster):
        return _followed(cluster)
    if request.user.has_perm(PORTAL, cluster):
        return member_organisations(cluster=cluster, user=request.user)
    raise PermissionDenied


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
    qs = _applications(applications_visible_to(user=request.user, cluster=cluster_of(request)))
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
    application = _application_or_404(request, application_id)
    return _application_out(cluster_of(request), application.pk)


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
    coordinators = _coordinators_for(request)
    cluster = cluster_of(request)
    call = referenced(
        _calls(cluster),
        payload.call,
        field="call",
        message=_("call %(id)s is not a call of this cluster"),
    )
    coordinator = referenced(
        coordinators,
        payload.coordinator,
        field="coordinator",
        message=_("organisation %(id)s cannot coordinate an application of yours"),
    )
    application = application_create(
        actor=request.user,
        call=call,
        coordinator=coordinator,
        domains=_domains(cluster, payload.domains) or (),
        themes=_themes(cluster, payload.themes) or (),
        **sent(payload, exclude={"call", "coordinator", "domains", "themes"}),
    )
    return Status(201, _application_out(cluster, application.pk))


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
    application = _application_or_404(request, application_id)
    _require_on(request, CHANGE_APPLICATION, application)
    cluster = cluster_of(request)
    payload = payload or ApplicationFields()
    application_update(
        actor=request.user,
        application=application,
        domains=_domains(cluster, payload.domains),
        themes=_themes(cluster, payload.themes),
        **sent(payload, exclude={"domains", "themes"}),
    )
    return _application_out(cluster, application.pk)


# -- the consortium ---------------------------------------------------------------------------


class PartnerIn(InputSchema):
    """An organisation the cluster follows joins the consortium, or changes its share (only
    the fields sent change). ``contact`` is a contact of that organisation."""

    organisation: int
    role: Partner.Role = Partner.Role.PARTNER
    budget_eur: Decimal = Field(default=Decimal(0), ge=0, max_digits=14, decimal_places=2)
    requested_aid_eur: Decimal = Field(default=Decimal(0), ge=0, max_digits=14, decimal_places=2)
    person_months: Decimal = Field(default=Decimal(0), ge=0, max_digits=7, decimal_places=1)
    contact: int | None = None


@router.get(
    f"{APPLICATION}/partners",
    response=list[PartnerOut],
    url_name="projects_partner_list",
    summary="An application's consortium",
    tags=["applications"],
)
def partner_list(request: HttpRequest, cluster_slug: str, application_id: int) -> Any:
    return list(_partners(_application_or_404(request, application_id)))


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
    application = _application_or_404(request, application_id)
    _require_on(request, CHANGE_APPLICATION, application)
    cluster = cluster_of(request)
    organisation = referenced(
        _followed(cluster),
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
    joining = not application.partners.filter(organisation=organisation).exists()
    partner = partner_save(
        actor=request.user, application=application, organisation=organisation, **values
    )
    return Status(201 if joining else 200, _partners(application).get(pk=partner.pk))


# -- the workflow -----------------------------------------------------------------------------


class TransitionIn(InputSchema):
    """Move the application to ``to``. ``reason`` is required for ineligible, labelled, not
    labelled and revise (the applicants read it); ``session`` (a committee session's id) for
    at_committee."""

    to: Application.State
    reason: str = ""
    session: int | None = None


class TransitionOut(Schema):
    to: str
    label: str
    needs_reason: bool


@router.get(
    f"{APPLICATION}/transitions",
    response=list[TransitionOut],
    url_name="projects_transition_list",
    summary="The moves you may ask for from the application's state",
    tags=["applications"],
)
def transition_list(request: HttpRequest, cluster_slug: str, application_id: int) -> Any:
    application = _application_or_404(request, application_id)
    possible = TRANSITIONS.get(application.state, set())
    return [
        {"to": to.value, "label": str(to.label), "needs_reason": to in NEEDS_REASON}
        for to in S
        if to in possible and _may_ask(request, application, to)
    ]


@router.post(
    f"{APPLICATION}/transitions",
    response=ApplicationOut,
    url_name="projects_application_transition",
    summary="Move an application along the workflow (submit, decide, withdraw …)",
    tags=["applications"],
)
def application_transition_view(
    request: HttpRequest, cluster_slug: str, application_id: int, payload: TransitionIn
) -> Any:
    application = _application_or_404(request, application_id)
    if not _may_ask(request, application, payload.to):
        raise PermissionDenied
    cluster = cluster_of(request)
    session = None
    if payload.session is not None:
        session = referenced(
            CommitteeSession.objects.filter(cluster=cluster),
            payload.session,
            field="session",
            message=_("session %(id)s is not a committee session of this cluster"),
        )
    application_transition(
        actor=request.user,
        application=application,
        to=payload.to,
        reason=payload.reason,
        session=session,
    )
    return _application_out(cluster, application.pk)


# -- reviews ----------------------------------------------------------------------------------


class ScoreOut(Schema):
    criterion: Ref
    score: int


class ReviewOut(Schema):
    id: int
    assignment: int
    application: int
    expert: Ref
    scores: list[ScoreOut]
    weighted_score: float | None
    comments: str
    recommendation: str
    submitted_at: datetime.datetime | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_assignment(obj: Review) -> int:
        return obj.assignment_id

    @staticmethod
    def resolve_application(obj: Review) -> int:
        return obj.assignment.application_id

    @staticmethod
    def resolve_expert(obj: Review) -> Any:
        return obj.assignment.expert

    @staticmethod
    def resolve_scores(obj: Review) -> list[ReviewScore]:
        return list(obj.scores.all())

    @staticmethod
    def resolve_weighted_score(obj: Review) -> float | None:
        return weighted_score(obj)


class AssignmentOut(Schema):
    """A review the caller is asked for. The application's acronym and title show once the
    expert has declared no conflict of interest, as the application itself does."""

    id: int
    application_id: int
    call: Ref
    acronym: str | None
    title: str | None
    assigned_at: datetime.datetime
    no_conflict_declared_at: datetime.datetime | None
    late_conflict_at: datetime.datetime | None
    review: Literal["none", "draft", "submitted"]

    @staticmethod
    def resolve_call(obj: ReviewAssignment) -> Call:
        return obj.application.call

    @staticmethod
    def resolve_acronym(obj: ReviewAssignment) -> str | None:
        return obj.application.acronym if obj.no_conflict_declared_at else None

    @staticmethod
    def resolve_title(obj: ReviewAssignment) -> str | None:
        return obj.application.title if obj.no_conflict_declared_at else None

    @staticmethod
    def resolve_review(obj: ReviewAssignment) -> str:
        review = getattr(obj, "review", None)
        if review is None:
            return "none"
        return "submitted" if review.submitted_at else "draft"


class DeclarationIn(InputSchema):
    """``conflict: false`` declares no conflict of interest (then the application shows);
    ``conflict: true`` with its ``reason`` declares one, and the assignment goes."""

    conflict: bool
    reason: str = ""


class ReviewIn(InputSchema):
    """Scores by criterion id (from 0 to the call's maximum); the scores sent are set, the
    others keep theirs. ``submit`` sends the review, which then cannot change: every
    criterion scored and a recommendation given."""

    scores: dict[int, int] = Field(default_factory=dict)
    comments: str = ""
    recommendation: Literal[("", *Review.Recommendation.values)] = ""  # type: ignore[valid-type]
    submit: bool = False


def _scores_by_body_name(exc: ValidationError) -> ValidationError:
    """The service names a criterion's score ``score_<id>``; the body calls it
    ``scores.<id>``, as a 422 would."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {
            f"scores.{field.removeprefix('score_')}"
            if field.startswith("score_")
            else field: errors
            for field, errors in exc.error_dict.items()
        }
    )


@router.get(
    f"{APPLICATION}/reviews",
    response=list[ReviewOut],
    url_name="projects_review_list",
    summary="An application's reviews: all for the project staff, their own for an expert",
    tags=["reviews"],
)
def review_list(request: HttpRequest, cluster_slug: str, application_id: int) -> Any:
    application = _application_or_404(request, application_id)
    cluster = cluster_of(request)
    reviews = _reviews(cluster).filter(assignment__application=application)
    if request.user.has_perm(MANAGE, cluster):
        return list(reviews)
    if application.assignments.filter(expert__user=request.user.pk).exists():
        return list(reviews.filter(assignment__expert__user=request.user.pk))
    raise PermissionDenied


@router.get(
    f"{BASE}/assignments",
    response=list[AssignmentOut],
    url_name="projects_assignment_list",
    summary="The reviews you are asked for, latest first",
    tags=["reviews"],
)
@paginate(Pagination)
def assignment_list(request: HttpRequest, cluster_slug: str) -> QuerySet[ReviewAssignment]:
    require(request, REVIEW)
    return _own_assignments(request).order_by("-assigned_at", "-pk")


@router.get(
    f"{ASSIGNMENT}/declaration",
    response=AssignmentOut,
    url_name="projects_assignment_declaration_detail",
    summary="Your assignment and whether you declared no conflict of interest",
    tags=["reviews"],
)
def assignment_declaration_detail(
    request: HttpRequest, cluster_slug: str, assignment_id: int
) -> Any:
    return _own_assignment_or_404(request, assignment_id)


@router.post(
    f"{ASSIGNMENT}/declaration",
    response={200: AssignmentOut, 204: None},
    url_name="projects_assignment_declare",
    summary=(
        "Declare no conflict of interest (200), or a conflict (204: the assignment goes; 200 "
        "once your review is submitted: it is kept and flagged to staff)"
    ),
    tags=["reviews"],
)
def assignment_declare(
    request: HttpRequest, cluster_slug: str, assignment_id: int, payload: DeclarationIn
) -> Any:
    assignment = _own_assignment_or_404(request, assignment_id)
    if payload.conflict:
        conflict_record(
            actor=request.user,
            application=assignment.application,
            expert=assignment.expert,
            reason=payload.reason,
            source=Conflict.Source.DECLARED,
        )
        kept = _own_assignments(request).filter(pk=assignment.pk).first()
        return Status(204, None) if kept is None else kept
    assignment_declare_no_conflict(actor=request.user, assignment=assignment)
    return _own_assignments(request).get(pk=assignment.pk)


@router.get(
    f"{ASSIGNMENT}/review",
    response=ReviewOut,
    url_name="projects_review_detail",
    summary="Your review of an assignment (404 before you save one)",
    tags=["reviews"],
)
def review_detail(request: HttpRequest, cluster_slug: str, assignment_id: int) -> Any:
    assignment = _own_assignment_or_404(request, assignment_id)
    review = _reviews(cluster_of(request)).filter(assignment=assignment).first()
    if review is None:
        raise Http404
    return review


@router.put(
    f"{ASSIGNMENT}/review",
    response=ReviewOut,
    url_name="projects_review_save",
    summary="Save your review, and submit it when done",
    tags=["reviews"],
)
def review_save_view(
    request: HttpRequest, cluster_slug: str, assignment_id: int, payload: ReviewIn
) -> Any:
    assignment = _own_assignment_or_404(request, assignment_id)
    try:
        review = review_save(
            actor=request.user,
            assignment=assignment,
            scores=payload.scores,
            comments=payload.comments,
            recommendation=payload.recommendation,
            submit=payload.submit,
        )
    except ValidationError as exc:
        raise _scores_by_body_name(exc) from exc
    return _reviews(cluster_of(request)).get(pk=review.pk)


# -- committee sessions -----------------------------------------------------------------------


class SessionOut(Schema):
    id: int
    title: str
    date: datetime.date
    location: str


class AgendaItemOut(Schema):
    id: int
    acronym: str
    title: str
    call: Ref
    state: str
    label_number: str | None

    @staticmethod
    def resolve_label_number(obj: Application) -> str | None:
        return obj.label_number or None


class SessionDetailOut(SessionOut):
    minutes: str
    members: list[Ref]
    agenda: list[AgendaItemOut]

    @staticmethod
    def resolve_members(obj: CommitteeSession) -> list[Any]:
        return list(obj.members.order_by("full_name", "pk"))

    @staticmethod
    def resolve_agenda(obj: CommitteeSession) -> list[Application]:
        return list(session_agenda(obj))


@router.get(
    f"{BASE}/committee-sessions",
    response=list[SessionOut],
    url_name="projects_session_list",
    summary="Committee sessions, latest first: all for the staff, yours for a member",
    tags=["committee"],
)
@paginate(Pagination)
def session_list(request: HttpRequest, cluster_slug: str) -> QuerySet[CommitteeSession]:
    cluster = cluster_of(request)
    if not (request.user.has_perm(MANAGE, cluster) or request.user.has_perm(SIT, cluster)):
        raise PermissionDenied
    return _sessions_for(request).order_by("-date", "-pk")


@router.get(
    f"{BASE}/committee-sessions/{{session_id}}",
    response=SessionDetailOut,
    url_name="projects_session_detail",
    summary="One committee session with its members and agenda",
    tags=["committee"],
)
def session_detail(request: HttpRequest, cluster_slug: str, session_id: int) -> Any:
    return get_or_404(_sessions_for(request), session_id)


# -- funding ----------------------------------------------------------------------------------


class FundingLineOut(Schema):
    partner: int
    organisation: Ref
    requested_eur: Decimal
    granted_eur: Decimal

    @staticmethod
    def resolve_partner(obj: FundingLine) -> int:
        return obj.partner_id

    @staticmethod
    def resolve_organisation(obj: FundingLine) -> Organisation:
        return obj.partner.organisation


class FundingOut(Schema):
    id: int
    funder: str
    programme: str
    reference: str
    status: str
    submitted_on: datetime.date | None
    decided_on: datetime.date | None
    lines: list[FundingLineOut]

    @staticmethod
    def resolve_lines(obj: FundingApplication) -> list[FundingLine]:
        return list(obj.lines.all())


class FundingLineIn(InputSchema):
    partner: int
    requested_eur: Decimal = Field(default=Decimal(0), ge=0, max_digits=14, decimal_places=2)
    granted_eur: Decimal = Field(default=Decimal(0), ge=0, max_digits=14, decimal_places=2)


class FundingIn(InputSchema):
    """A labelled project's request for public funding, with each partner's amounts
    (``partner`` is a partner's id in the consortium, as the consortium lists it)."""

    funder: Funder
    programme: str = ""
    reference: str = ""
    status: FundingApplication.Status = FundingApplication.Status.PREPARING
    submitted_on: datetime.date | None = None
    decided_on: datetime.date | None = None
    lines: list[FundingLineIn] = Field(default_factory=list)


def _funding_lines(
    application: Application, lines: list[FundingLineIn]
) -> dict[int, tuple[Decimal, Decimal]]:
    """The body's lines for the service, each partner once and of this consortium."""
    partner_ids = set(application.partners.values_list("pk", flat=True))
    out: dict[int, tuple[Decimal, Decimal]] = {}
    for i, line in enumerate(lines):
        if line.partner not in partner_ids:
            raise ValidationError(
                {
                    f"lines.{i}.partner": _("partner %(id)s is not in this consortium")
                    % {"id": line.partner}
                }
            )
        if line.partner in out:
            raise ValidationError({f"lines.{i}.partner": _("This partner has a line already.")})
        out[line.partner] = (line.requested_eur, line.granted_eur)
    return out


@router.get(
    f"{APPLICATION}/fundings",
    response=list[FundingOut],
    url_name="projects_funding_list",
    summary="A labelled project's funding applications",
    tags=["funding"],
)
def funding_list(request: HttpRequest, cluster_slug: str, application_id: int) -> Any:
    return list(_fundings(_application_or_404(request, application_id)))


@router.post(
    f"{APPLICATION}/fundings",
    response={201: FundingOut},
    url_name="projects_funding_create",
    summary="Record a funding application of a labelled project",
    tags=["funding"],
)
def funding_create(
    request: HttpRequest, cluster_slug: str, application_id: int, payload: FundingIn
) -> Any:
    application = _application_or_404(request, application_id)
    require(request, MANAGE)
    funding = funding_save(
        actor=request.user,
        application=application,
        funding=None,
        lines=_funding_lines(application, payload.lines),
        **sent(payload, exclude={"lines"}),
    )
    return Status(201, _fundings(application).get(pk=funding.pk))
