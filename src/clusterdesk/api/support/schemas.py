"""The support API's request and response bodies; the JSON shapes are public (clients
generate code from the OpenAPI document): change them only compatibly."""

# No ``from __future__ import annotations``: pydantic reads the annotations at import time.
import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from clusterdesk.api.crm.schemas import Ref
from clusterdesk.api.fields import InputSchema
from clusterdesk.support.choices import (
    ActionKind,
    Availability,
    CaseStatus,
    FundingRound,
    MissionStatus,
    Need,
    OutcomeKind,
    Stage,
)

NeedCode = Need
StageCode = Stage


class PersonRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj)


# -- cases ---------------------------------------------------------------------------------


class CaseOut(Schema):
    id: int
    title: str
    organisation: Ref
    need: str
    stage: str
    trl: int | None
    status: str
    owner: PersonRef | None
    opened_on: datetime.date
    closed_on: datetime.date | None
    stage_since: datetime.date
    satisfaction: int | None


class CaseDetailOut(CaseOut):
    description: str
    satisfaction_comment: str


class CaseFilterIn(InputSchema):
    status: CaseStatus | None = None
    need: Need | None = None
    stage: Stage | None = None
    organisation: int | None = Field(default=None, ge=1)


class CaseCreateIn(InputSchema):
    """A case for a company the cluster follows (the support staff)."""

    organisation: int = Field(..., ge=1)
    title: str = Field(..., min_length=1, max_length=200)
    need: Need
    stage: Stage
    description: str = Field(default="", max_length=10000)
    trl: int | None = Field(default=None, ge=1, le=9)
    owner: int | None = Field(default=None, ge=1)
    opened_on: datetime.date | None = None


class CaseUpdateIn(InputSchema):
    """What changes: the case's fields; ``stage`` moves it (on ``stage_on``, today by
    default) and ``status`` takes it up, holds, closes or reopens it (on ``status_on``)."""

    title: str | None = Field(default=None, min_length=1, max_length=200)
    need: Need | None = None
    description: str | None = Field(default=None, max_length=10000)
    trl: int | None = Field(default=None, ge=1, le=9)
    owner: int | None = Field(default=None, ge=1)
    stage: Stage | None = None
    stage_on: datetime.date | None = None
    status: CaseStatus | None = None
    status_on: datetime.date | None = None


# -- actions and outcomes ------------------------------------------------------------------


class ActionOut(Schema):
    id: int
    kind: str
    date: datetime.date
    subject: str
    detail: str
    introduced_to: Ref | None
    shared_with_company: bool


class ActionIn(InputSchema):
    kind: ActionKind
    subject: str = Field(..., min_length=1, max_length=200)
    date: datetime.date | None = None
    detail: str = Field(default="", max_length=10000)
    introduced_to: int | None = Field(default=None, ge=1)
    shared_with_company: bool = False


class OutcomeOut(Schema):
    id: int
    kind: str
    date: datetime.date
    amount_eur: Decimal | None
    funding_round: str
    investors: str
    reference: str
    partner: Ref | None
    application: int | None = Field(None, alias="application_id")


class OutcomeIn(InputSchema):
    """What came of the case; amounts are in euros (``currency`` must be "EUR")."""

    kind: OutcomeKind
    date: datetime.date
    amount_eur: Decimal | None = Field(default=None, max_digits=14, decimal_places=2)
    currency: str = Field(default="EUR", max_length=3)
    funding_round: FundingRound | None = None
    investors: str = Field(default="", max_length=300)
    reference: str = Field(default="", max_length=120)
    partner: int | None = Field(default=None, ge=1)
    application: int | None = Field(default=None, ge=1)
    note: str = Field(default="", max_length=10000)


# -- missions ------------------------------------------------------------------------------


class MissionOut(Schema):
    """A mission; its cost and report are left out (null) for the company's contacts."""

    id: int
    case: int
    expert: Ref
    title: str
    status: str
    start_on: datetime.date
    hours: Decimal
    cost_eur: Decimal | None
    report: str | None
    reported_on: datetime.date | None


class MissionIn(InputSchema):
    expert: int = Field(..., ge=1)
    title: str = Field(..., min_length=1, max_length=200)
    start_on: datetime.date | None = None
    hours: Decimal = Field(default=Decimal(0), max_digits=7, decimal_places=1)
    cost_eur: Decimal = Field(default=Decimal(0), max_digits=12, decimal_places=2)
    currency: str = Field(default="EUR", max_length=3)


class MissionUpdateIn(InputSchema):
    """The expert's report (``report``, ``hours``), or the staff's changes."""

    report: str | None = Field(default=None, min_length=1, max_length=50000)
    hours: Decimal | None = Field(default=None, max_digits=7, decimal_places=1)
    title: str | None = Field(default=None, min_length=1, max_length=200)
    status: MissionStatus | None = None
    cost_eur: Decimal | None = Field(default=None, max_digits=12, decimal_places=2)
    currency: str = Field(default="EUR", max_length=3)


# -- experts -------------------------------------------------------------------------------


class ExpertOut(Schema):
    id: int
    name: str
    email: str
    user: PersonRef | None
    organisation: Ref | None
    organisation_name: str
    competences: list[str]
    domains: list[int]
    languages: str
    availability: str
    daily_rate_eur: Decimal | None
    agreement_on_file: bool
    agreement_expires_on: datetime.date | None
    active: bool

    @staticmethod
    def resolve_competences(obj: Any) -> list[str]:
        return list(obj.competence_list)

    @staticmethod
    def resolve_domains(obj: Any) -> list[int]:
        return sorted(d.pk for d in obj.domains.all())

    @staticmethod
    def resolve_agreement_on_file(obj: Any) -> bool:
        return bool(obj.agreement)


class ExpertIn(InputSchema):
    name: str | None = Field(default=None, min_length=1, max_length=150)
    email: str | None = Field(default=None, max_length=254)
    user: int | None = Field(default=None, ge=1)
    organisation: int | None = Field(default=None, ge=1)
    organisation_name: str | None = Field(default=None, max_length=200)
    competences: list[str] | None = None
    domains: list[int] | None = None
    languages: str | None = Field(default=None, max_length=40)
    availability: Availability | None = None
    daily_rate_eur: Decimal | None = Field(default=None, max_digits=10, decimal_places=2)
    currency: str = Field(default="EUR", max_length=3)
    active: bool | None = None


class ConflictOut(Schema):
    id: int
    organisation: Ref
    source: str
    reason: str
    created_at: datetime.datetime


class ConflictIn(InputSchema):
    organisation: int = Field(..., ge=1)
    reason: str = Field(..., min_length=1, max_length=5000)
