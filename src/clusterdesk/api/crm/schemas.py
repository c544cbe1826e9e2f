"""The CRM API's input and output schemas."""

# No ``from __future__ import annotations``: django-ninja reads the annotations at import.
import datetime
from decimal import Decimal
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Schema

from clusterdesk.api.clusters import TermOut
from clusterdesk.api.common import cluster_of
from clusterdesk.api.fields import InputSchema
from clusterdesk.crm.kinds import OrganisationKind
from clusterdesk.crm.models import Contact, Interaction, Membership, Organisation, Relationship
from clusterdesk.crm.selectors import SORTS, relationship_of
from clusterdesk.crm.sme import HeadcountBand, TurnoverBand


class Ref(Schema):
    """Another object, by id and name."""

    id: int
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj)


# -- organisations ----------------------------------------------------------------------------


class OrganisationFilterIn(InputSchema):
    q: str = ""
    kind: list[OrganisationKind] = Field(default_factory=list)
    sme: bool | None = None
    domain: int | None = None
    theme: int | None = None
    market: int | None = None
    membership_status: Membership.Status | None = None
    membership_year: int | None = None
    departement: str = ""
    sort: Literal[tuple(SORTS)] = "name"  # type: ignore[valid-type]


class OrganisationListOut(Schema):
    id: int
    name: str
    usual_name: str
    kind: str
    siren: str | None
    city: str
    departement: str
    country: str
    is_sme: bool | None


class RelationshipOut(Schema):
    """What this cluster keeps about the organisation."""

    domains: list[TermOut]
    themes: list[TermOut]
    markets: list[TermOut]
    owner: Ref | None


class OrganisationOut(Schema):
    id: int
    name: str
    usual_name: str
    kind: str
    siren: str | None
    siret: str | None
    vat: str | None
    ror: str | None
    foreign_id: str | None
    creation_year: int | None
    headcount_band: str
    turnover_band: str
    sme_override: bool | None
    is_sme: bool | None
    street: str
    postal_code: str
    city: str
    departement: str
    region_code: str
    country: str
    website: str
    description: str
    description_en: str
    directory_consent: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    relationship: RelationshipOut | None

    @staticmethod
    def resolve_relationship(obj: Organisation, context: dict[str, Any]) -> Relationship | None:
        return relationship_of(cluster=cluster_of(context["request"]), organisation=obj)


class OrganisationPatchIn(InputSchema):
    """Only the fields sent change. Identifiers are checked (SIREN, SIRET, EU VAT, ROR) and
    unique across the instance; the département and region follow the postal code."""

    name: str = ""
    usual_name: str = ""
    kind: OrganisationKind = OrganisationKind.PME
    siren: str | None = None
    siret: str | None = None
    vat: str | None = None
    ror: str | None = None
    foreign_id: str | None = None
    creation_year: int | None = None
    headcount_band: HeadcountBand | Literal[""] = ""
    turnover_band: TurnoverBand | Literal[""] = ""
    sme_override: bool | None = None
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = "FR"
    website: str = ""
    description: str = ""
    description_en: str = ""
    directory_consent: bool = False


class OrganisationCreateIn(OrganisationPatchIn):
    """A new organisation, which this cluster then follows."""

    name: str


# -- memberships ------------------------------------------------------------------------------


class MembershipFilterIn(InputSchema):
    year: int | None = None
    status: Membership.Status | None = None
    organisation: int | None = None


class MembershipOut(Schema):
    id: int
    organisation: Ref
    year: int
    category: Ref | None
    status: str
    resignation_reason: str
    representative: Ref | None
    fee_amount: Decimal | None
    fee_called_on: datetime.date | None
    fee_paid_amount: Decimal | None
    fee_paid_on: datetime.date | None
    reminded_on: datetime.date | None
    reminders: int


class MembershipPatchIn(InputSchema):
    """Only the fields sent change; the organisation and the year are the membership's
    identity and do not. ``category`` and ``representative`` are ids."""

    category: int | None = None
    status: Membership.Status = Membership.Status.PROSPECT
    resignation_reason: str = ""
    representative: int | None = None
    fee_amount: Decimal | None = None
    fee_called_on: datetime.date | None = None
    fee_paid_amount: Decimal | None = Field(None, ge=0)
    fee_paid_on: datetime.date | None = None


class MembershipCreateIn(MembershipPatchIn):
    """An organisation's membership for one year (one per year)."""

    organisation: int
    year: int = Field(..., ge=1900, le=2999)


# -- contacts ---------------------------------------------------------------------------------


class ContactFilterIn(InputSchema):
    organisation: int | None = None


class ContactOut(Schema):
    id: int
    organisation: Ref
    first_name: str
    last_name: str
    email: str
    phone: str
    job_title: str
    language: str
    consent: bool
    consent_on: datetime.date | None
    newsletter: bool
    has_portal_account: bool
    anonymised_at: datetime.datetime | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_has_portal_account(obj: Contact) -> bool:
        return obj.user_id is not None


class ContactPatchIn(InputSchema):
    """Only the fields sent change; a contact stays with its organisation."""

    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    job_title: str = ""
    language: Literal["fr", "en"] = "fr"
    consent: bool = False
    newsletter: bool = False


class ContactCreateIn(ContactPatchIn):
    """A person at an organisation the cluster follows."""

    organisation: int
    last_name: str


# -- interactions -----------------------------------------------------------------------------


class InteractionFilterIn(InputSchema):
    organisation: int | None = None
    owner: int | None = None


class InteractionOut(Schema):
    id: int
    organisation: Ref
    kind: str
    date: datetime.date
    owner: Ref | None
    subject: str
    notes: str
    contacts: list[Ref]
    next_action: str
    next_action_due: datetime.date | None
    next_action_done: bool


class InteractionPatchIn(InputSchema):
    """Only the fields sent change; ``contacts`` (ids of the people met) replaces the list."""

    kind: Interaction.Kind = Interaction.Kind.MEETING
    date: datetime.date = Field(default_factory=timezone.localdate)
    subject: str = ""
    notes: str = ""
    contacts: list[int] | None = None
    next_action: str = ""
    next_action_due: datetime.date | None = None
    next_action_done: bool = False


class InteractionCreateIn(InteractionPatchIn):
    """A meeting, call or e-mail with an organisation; the caller is its owner."""

    organisation: int
    subject: str
