"""The labelling API's request and response bodies, by resource; the JSON shapes are
public (clients generate code from the OpenAPI document): change them only compatibly."""

# No ``from __future__ import annotations``: pydantic reads the annotations at import time.
import datetime
from decimal import Decimal
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Schema

from clusterdesk.api.clusters import TermOut
from clusterdesk.api.crm.schemas import Ref
from clusterdesk.api.fields import InputSchema
from clusterdesk.core.models import Domain, Theme
from clusterdesk.crm.models import Organisation
from clusterdesk.projects.models import (
    Application,
    Call,
    CommitteeSession,
    Criterion,
    Funder,
    FundingApplication,
    FundingLine,
    Partner,
    Review,
    ReviewAssignment,
    ReviewScore,
)
from clusterdesk.projects.selectors.applications import application_totals
from clusterdesk.projects.selectors.committee import session_agenda
from clusterdesk.projects.selectors.reviews import weighted_score

# The largest value of a small integer column (PostgreSQL's smallint): a bigger one is a
# 422 here rather than a database error.
SMALL = 32767


# -- calls ---------------------------------------------------------------------------------


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


# -- applications and their consortium -----------------------------------------------------


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


class PartnerIn(InputSchema):
    """An organisation the cluster follows joins the consortium, or changes its share (only
    the fields sent change). ``contact`` is a contact of that organisation."""

    organisation: int
    role: Partner.Role = Partner.Role.PARTNER
    budget_eur: Decimal = Field(default=Decimal(0), ge=0, max_digits=14, decimal_places=2)
    requested_aid_eur: Decimal = Field(default=Decimal(0), ge=0, max_digits=14, decimal_places=2)
    person_months: Decimal = Field(default=Decimal(0), ge=0, max_digits=7, decimal_places=1)
    contact: int | None = None


# -- the workflow --------------------------------------------------------------------------


class TransitionIn(InputSchema):
    """Move the application to ``to``. ``reason`` is required for ineligible, labelled, not
    labelled and revise (the applicants read it); ``session`` (a committee session's id) for
    at_committee; ``confirm_eligibility`` to submit past the call's non-blocking rules."""

    to: Application.State
    reason: str = ""
    session: int | None = None
    confirm_eligibility: bool = Field(
        default=False,
        description=(
            "Submit although the application does not meet every rule of the call (the "
            "problems that do not block submission); refused otherwise, 400."
        ),
    )


class TransitionOut(Schema):
    to: str
    label: str
    needs_reason: bool


# -- reviews -------------------------------------------------------------------------------


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


# -- committee sessions --------------------------------------------------------------------


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


# -- funding -------------------------------------------------------------------------------


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
    confirm_above_requested: bool = Field(
        default=False,
        description="Record a line granting more than it requests (refused otherwise, 400).",
    )
