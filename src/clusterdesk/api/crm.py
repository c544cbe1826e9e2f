"""The member CRM: organisations, memberships, contacts and interactions of one cluster.

Every route is under ``/clusters/{cluster_slug}/``, whose scope the tenant middleware has
opened. Reading needs ``crm.view_members``; writing organisations, contacts and
interactions needs ``crm.change_members``. Memberships are written by finance
(``crm.manage_fees``, fee fields included) and, as on the membership page, by the staff who
keep the members (``crm.change_members``) except the fee fields. Handlers parse, check
the permission and call the CRM's services and selectors; the services validate and audit.
"""

# No ``from __future__ import annotations``: django-ninja reads the handlers' annotations
# at import time, and the pagination wrapper cannot resolve them from strings.
import datetime
from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from clusterdesk.api.clusters import TermOut
from clusterdesk.api.common import Pagination, cluster_of, get_or_404, referenced, require, sent
from clusterdesk.api.fields import InputSchema
from clusterdesk.core.models import Cluster
from clusterdesk.crm.kinds import OrganisationKind
from clusterdesk.crm.models import (
    Contact,
    Interaction,
    Membership,
    MembershipCategory,
    Organisation,
    Relationship,
)
from clusterdesk.crm.selectors import SORTS, OrganisationFilter, organisation_list, relationship_of
from clusterdesk.crm.services import (
    contact_save,
    interaction_save,
    membership_save,
    organisation_create,
    organisation_update,
)
from clusterdesk.crm.sme import HeadcountBand, TurnoverBand

VIEW = "crm.view_members"
CHANGE = "crm.change_members"
FEES = "crm.manage_fees"

BASE = "/clusters/{cluster_slug}"

organisations = Router(tags=["organisations"])
memberships = Router(tags=["memberships"])
contacts = Router(tags=["contacts"])
interactions = Router(tags=["interactions"])


class Ref(Schema):
    """Another object, by id and name."""

    id: int
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj)


# -- fetching the cluster's objects ---------------------------------------------------------


def _followed(cluster: Cluster) -> QuerySet[Organisation]:
    # Organisations are shared by the instance: a cluster sees those it has a relationship
    # with, and any other is as unknown as a missing one.
    return organisation_list(cluster=cluster, filters=OrganisationFilter())


def _organisation_ref(cluster: Cluster, pk: int) -> Organisation:
    return referenced(
        _followed(cluster),
        pk,
        field="organisation",
        message=_("organisation %(id)s is not an organisation of this cluster"),
    )


def _memberships(cluster: Cluster) -> QuerySet[Membership]:
    return Membership.objects.filter(cluster=cluster).select_related(
        "organisation", "category", "representative"
    )


def _contacts(cluster: Cluster) -> QuerySet[Contact]:
    return Contact.objects.filter(cluster=cluster).select_related("organisation")


def _interactions(cluster: Cluster) -> QuerySet[Interaction]:
    # The people met are prefetched by the list only: a prefetched list would go stale
    # when an update sets it.
    return Interaction.objects.filter(cluster=cluster).select_related("organisation", "owner")


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


@organisations.get(
    f"{BASE}/organisations",
    response=list[OrganisationListOut],
    url_name="crm_organisation_list",
    summary="The organisations the cluster follows",
)
@paginate(Pagination)
def organisation_list_view(
    request: HttpRequest, cluster_slug: str, filters: Query[OrganisationFilterIn]
) -> QuerySet[Organisation]:
    require(request, VIEW)
    f = filters
    return organisation_list(
        cluster=cluster_of(request),
        filters=OrganisationFilter(
            q=f.q,
            kinds=tuple(f.kind),
            sme=f.sme,
            domain_id=f.domain,
            theme_id=f.theme,
            market_id=f.market,
            membership_status=f.membership_status or "",
            membership_year=f.membership_year,
            departement=f.departement,
            sort=f.sort,
        ),
    )


@organisations.get(
    f"{BASE}/organisations/{{organisation_id}}",
    response=OrganisationOut,
    url_name="crm_organisation_detail",
    summary="One organisation, with what the cluster keeps about it",
)
def organisation_detail(request: HttpRequest, cluster_slug: str, organisation_id: int) -> Any:
    require(request, VIEW)
    return get_or_404(_followed(cluster_of(request)), organisation_id)


@organisations.post(
    f"{BASE}/organisations",
    response={201: OrganisationOut},
    url_name="crm_organisation_create",
    summary="Create an organisation",
)
def organisation_create_view(
    request: HttpRequest, cluster_slug: str, payload: OrganisationCreateIn
) -> Any:
    require(request, CHANGE)
    organisation = organisation_create(
        actor=request.user, cluster=cluster_of(request), **sent(payload)
    )
    return Status(201, organisation)


@organisations.patch(
    f"{BASE}/organisations/{{organisation_id}}",
    response=OrganisationOut,
    url_name="crm_organisation_update",
    summary="Change an organisation",
)
def organisation_update_view(
    request: HttpRequest,
    cluster_slug: str,
    organisation_id: int,
    payload: OrganisationPatchIn | None = None,
) -> Any:
    require(request, CHANGE)
    cluster = cluster_of(request)
    return organisation_update(
        actor=request.user,
        cluster=cluster,
        organisation=get_or_404(_followed(cluster), organisation_id),
        **sent(payload),
    )


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


FEE_FIELDS = ("fee_amount", "fee_called_on", "fee_paid_amount", "fee_paid_on")


def _require_membership_write(request: HttpRequest, values: dict[str, Any]) -> None:
    """Finance writes memberships, fees included; as on the membership page, the staff who
    keep the members write them too, but not their fee fields."""
    if any(f in values for f in FEE_FIELDS) or not request.user.has_perm(
        CHANGE, cluster_of(request)
    ):
        require(request, FEES)


def _stored(membership: Membership) -> Membership:
    # A body's 1500 is stored as 1500.00: answer with the stored amounts, as a GET does.
    membership.refresh_from_db()
    return membership


def _membership_values(cluster: Cluster, values: dict[str, Any]) -> dict[str, Any]:
    """The body's fields with the category and the representative as the cluster's rows."""
    if values.get("category") is not None:
        values["category"] = referenced(
            MembershipCategory.objects.filter(cluster=cluster),
            values["category"],
            field="category",
            message=_("category %(id)s is not a membership category of this cluster"),
        )
    if values.get("representative") is not None:
        values["representative"] = referenced(
            Contact.objects.filter(cluster=cluster, anonymised_at=None),
            values["representative"],
            field="representative",
            message=_("representative %(id)s is not a contact of this cluster"),
        )
    return values


@memberships.get(
    f"{BASE}/memberships",
    response=list[MembershipOut],
    url_name="crm_membership_list",
    summary="Memberships, latest year first",
)
@paginate(Pagination)
def membership_list(
    request: HttpRequest, cluster_slug: str, filters: Query[MembershipFilterIn]
) -> QuerySet[Membership]:
    require(request, VIEW)
    # No selector lists memberships yet: the cluster's scoped rows, filtered.
    qs = _memberships(cluster_of(request))
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    if filters.organisation is not None:
        qs = qs.filter(organisation_id=filters.organisation)
    return qs.order_by("-year", "organisation__name", "pk")


@memberships.get(
    f"{BASE}/memberships/{{membership_id}}",
    response=MembershipOut,
    url_name="crm_membership_detail",
    summary="One membership",
)
def membership_detail(request: HttpRequest, cluster_slug: str, membership_id: int) -> Any:
    require(request, VIEW)
    return get_or_404(_memberships(cluster_of(request)), membership_id)


@memberships.post(
    f"{BASE}/memberships",
    response={201: MembershipOut},
    url_name="crm_membership_create",
    summary="Create an organisation's membership for a year",
)
def membership_create(request: HttpRequest, cluster_slug: str, payload: MembershipCreateIn) -> Any:
    values = sent(payload, exclude={"organisation", "year"})
    _require_membership_write(request, values)
    cluster = cluster_of(request)
    organisation = _organisation_ref(cluster, payload.organisation)
    # POST only creates: an existing membership of the year is a conflict (409).
    membership = membership_save(
        actor=request.user,
        cluster=cluster,
        organisation=organisation,
        year=payload.year,
        create=True,
        **_membership_values(cluster, values),
    )
    return Status(201, _stored(membership))


@memberships.patch(
    f"{BASE}/memberships/{{membership_id}}",
    response=MembershipOut,
    url_name="crm_membership_update",
    summary="Change a membership (status, category, representative, fee)",
)
def membership_update(
    request: HttpRequest,
    cluster_slug: str,
    membership_id: int,
    payload: MembershipPatchIn | None = None,
) -> Any:
    values = sent(payload)
    _require_membership_write(request, values)
    cluster = cluster_of(request)
    membership = get_or_404(_memberships(cluster), membership_id)
    saved = membership_save(
        actor=request.user,
        cluster=cluster,
        organisation=membership.organisation,
        year=membership.year,
        **_membership_values(cluster, values),
    )
    return _stored(saved)


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


@contacts.get(
    f"{BASE}/contacts",
    response=list[ContactOut],
    url_name="crm_contact_list",
    summary="Contacts, by name",
)
@paginate(Pagination)
def contact_list(
    request: HttpRequest, cluster_slug: str, filters: Query[ContactFilterIn]
) -> QuerySet[Contact]:
    require(request, VIEW)
    # No selector lists contacts yet: the cluster's scoped rows, filtered.
    qs = _contacts(cluster_of(request))
    if filters.organisation is not None:
        qs = qs.filter(organisation_id=filters.organisation)
    return qs.order_by("last_name", "first_name", "pk")


@contacts.get(
    f"{BASE}/contacts/{{contact_id}}",
    response=ContactOut,
    url_name="crm_contact_detail",
    summary="One contact",
)
def contact_detail(request: HttpRequest, cluster_slug: str, contact_id: int) -> Any:
    require(request, VIEW)
    return get_or_404(_contacts(cluster_of(request)), contact_id)


@contacts.post(
    f"{BASE}/contacts",
    response={201: ContactOut},
    url_name="crm_contact_create",
    summary="Create a contact",
)
def contact_create(request: HttpRequest, cluster_slug: str, payload: ContactCreateIn) -> Any:
    require(request, CHANGE)
    cluster = cluster_of(request)
    contact = contact_save(
        actor=request.user,
        cluster=cluster,
        organisation=_organisation_ref(cluster, payload.organisation),
        **sent(payload, exclude={"organisation"}),
    )
    return Status(201, contact)


@contacts.patch(
    f"{BASE}/contacts/{{contact_id}}",
    response=ContactOut,
    url_name="crm_contact_update",
    summary="Change a contact",
)
def contact_update(
    request: HttpRequest, cluster_slug: str, contact_id: int, payload: ContactPatchIn | None = None
) -> Any:
    require(request, CHANGE)
    cluster = cluster_of(request)
    contact = get_or_404(_contacts(cluster), contact_id)
    return contact_save(
        actor=request.user,
        cluster=cluster,
        organisation=contact.organisation,
        contact=contact,
        **sent(payload),
    )


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


def _interaction_values(cluster: Cluster, values: dict[str, Any]) -> dict[str, Any]:
    """The body's fields with the people met as the cluster's contacts."""
    if values.get("contacts") is not None:
        values["contacts"] = [
            referenced(
                Contact.objects.filter(cluster=cluster, anonymised_at=None),
                pk,
                field="contacts",
                message=_("contact %(id)s is not a contact of this cluster"),
            )
            for pk in values["contacts"]
        ]
    return values


@interactions.get(
    f"{BASE}/interactions",
    response=list[InteractionOut],
    url_name="crm_interaction_list",
    summary="Interactions, latest first",
)
@paginate(Pagination)
def interaction_list(
    request: HttpRequest, cluster_slug: str, filters: Query[InteractionFilterIn]
) -> QuerySet[Interaction]:
    require(request, VIEW)
    # No selector lists interactions yet: the cluster's scoped rows, filtered.
    qs = _interactions(cluster_of(request)).prefetch_related("contacts")
    if filters.organisation is not None:
        qs = qs.filter(organisation_id=filters.organisation)
    if filters.owner is not None:
        qs = qs.filter(owner_id=filters.owner)
    return qs.order_by("-date", "-id")


@interactions.get(
    f"{BASE}/interactions/{{interaction_id}}",
    response=InteractionOut,
    url_name="crm_interaction_detail",
    summary="One interaction",
)
def interaction_detail(request: HttpRequest, cluster_slug: str, interaction_id: int) -> Any:
    require(request, VIEW)
    return get_or_404(_interactions(cluster_of(request)), interaction_id)


@interactions.post(
    f"{BASE}/interactions",
    response={201: InteractionOut},
    url_name="crm_interaction_create",
    summary="Record an interaction",
)
def interaction_create(
    request: HttpRequest, cluster_slug: str, payload: InteractionCreateIn
) -> Any:
    require(request, CHANGE)
    cluster = cluster_of(request)
    values = sent(payload, exclude={"organisation"})
    interaction = interaction_save(
        actor=request.user,
        cluster=cluster,
        organisation=_organisation_ref(cluster, payload.organisation),
        **_interaction_values(cluster, values),
    )
    return Status(201, interaction)


@interactions.patch(
    f"{BASE}/interactions/{{interaction_id}}",
    response=InteractionOut,
    url_name="crm_interaction_update",
    summary="Change an interaction",
)
def interaction_update(
    request: HttpRequest,
    cluster_slug: str,
    interaction_id: int,
    payload: InteractionPatchIn | None = None,
) -> Any:
    require(request, CHANGE)
    cluster = cluster_of(request)
    interaction = get_or_404(_interactions(cluster), interaction_id)
    return interaction_save(
        actor=request.user,
        cluster=cluster,
        organisation=interaction.organisation,
        interaction=interaction,
        **_interaction_values(cluster, sent(payload)),
    )
