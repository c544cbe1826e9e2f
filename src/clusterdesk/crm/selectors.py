"""Reads of the CRM: the organisation directory and its search, fees, renewal figures,
duplicates, an organisation's timeline."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from clusterdesk.accounts.models import User
from clusterdesk.audit.selectors import audit_entries_for_shared_object
from clusterdesk.core.formatting import format_money
from clusterdesk.core.links import page_path
from clusterdesk.core.models import Cluster
from clusterdesk.crm.identifiers import different_identities
from clusterdesk.crm.importing.values import normalise
from clusterdesk.crm.kinds import SME_KINDS
from clusterdesk.crm.models import (
    IDENTIFIER_FIELDS,
    Contact,
    FeeRule,
    ImportMapping,
    Interaction,
    Invoice,
    Membership,
    MembershipCategory,
    Organisation,
    Relationship,
)
from clusterdesk.crm.sme import HeadcountBand, TurnoverBand, band_bounds, turnover_band_bounds


def organisation_ids_of_member(user: Any) -> frozenset[int]:
    """The organisations a portal account speaks for, in any cluster (cached per request)."""
    cached = getattr(user, "_clusterdesk_member_orgs", None)
    if cached is None:
        # Chosen by the person, not by a cluster: like their roles, it picks the scope.
        rows = Contact.objects.with_scopes_disabled().filter(user=user, anonymised_at=None)
        cached = frozenset(rows.values_list("organisation_id", flat=True))
        user._clusterdesk_member_orgs = cached
    return cached


def organisations_followed(*, cluster: Cluster | int | Iterable[int]) -> QuerySet[Organisation]:
    """The organisations a cluster follows (has a ``Relationship`` with), or several
    clusters by id: the one way code outside ``crm/`` reads organisations (see
    ``OrganisationQuerySet``). Choice fields, searches and lists narrow this further."""
    return Organisation.objects.followed_by(cluster)


def organisations_none() -> QuerySet[Organisation]:
    """No organisation: a choice field's placeholder until its form narrows it."""
    return Organisation.objects.none()


def member_organisations(*, cluster: Cluster, user: Any) -> QuerySet[Organisation]:
    """The organisations a portal account speaks for in this cluster."""
    ids = Contact.objects.filter(cluster=cluster, user=user, anonymised_at=None).values(
        "organisation_id"
    )
    return organisations_followed(cluster=cluster).filter(pk__in=ids)


# -- the directory ------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationFilter:
    q: str = ""
    kinds: tuple[str, ...] = ()
    sme: bool | None = None
    domain_id: int | None = None
    theme_id: int | None = None
    market_id: int | None = None
    membership_status: str = ""
    membership_year: int | None = None
    departement: str = ""
    sort: str = "name"


SORTS = {
    "name": ("name",),
    "-name": ("-name",),
    "city": ("city", "name"),
    "kind": ("kind", "name"),
    "-created": ("-created_at",),
}


def sme_condition(sme: bool) -> Q:
    """The SME status in SQL, the same as ``Organisation.is_sme``: the staff's override,
    then the bands (``sme.sme_from_bands``), then the kind when the bands cannot tell."""
    big_headcount = [c for c in HeadcountBand.values if band_bounds(c)[0] >= 250]
    known_headcount = [c for c in HeadcountBand.values if band_bounds(c)[1] is not None]
    small_turnover = [
        c
        for c in TurnoverBand.values
        if (high := turnover_band_bounds(c)[1]) is not None and high <= 50_000_000
    ]
    by_bands_no = Q(headcount_band__in=big_headcount)
    by_bands_yes = (
        ~by_bands_no & Q(headcount_band__in=known_headcount) & Q(turnover_band__in=small_turnover)
    )
    undecided = ~by_bands_no & ~by_bands_yes
    yes = Q(sme_override=True) | (
        Q(sme_override=None) & (by_bands_yes | (undecided & Q(kind__in=SME_KINDS)))
    )
    no = Q(sme_override=False) | (Q(sme_override=None) & by_bands_no)
    return yes if sme else no


def search_organisations(qs: QuerySet[Organisation], q: str) -> QuerySet[Organisation]:
    """Full-text search over names, descriptions and city.

    PostgreSQL: French full-text search on the folded text (stems: "laboratoires" finds
    "laboratoire"). SQLite: every folded word must appear as a prefix of a word.
    """
    terms = normalise(q).split()
    if not terms:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        query = SearchQuery(" & ".join(f"{t}:*" for t in terms), config="french", search_type="raw")
        return qs.annotate(search=SearchVector("search_text", config="french")).filter(search=query)
    condition = Q()
    for term in terms:
        condition &= Q(search_text__startswith=term) | Q(search_text__contains=f" {term}")
    return qs.filter(condition)


def organisation_list(*, cluster: Cluster, filters: OrganisationFilter) -> QuerySet[Organisation]:
    """The organisations the cluster follows, filtered and sorted (needs the scope)."""
    f = filters
    relationships = Relationship.objects.filter(cluster=cluster)
    if f.domain_id:
        relationships = relationships.filter(domains=f.domain_id)
    if f.theme_id:
        relationships = relationships.filter(themes=f.theme_id)
    if f.market_id:
        relationships = relationships.filter(markets=f.market_id)
    qs = organisations_followed(cluster=cluster)
    if f.domain_id or f.theme_id or f.market_id:
        qs = qs.filter(pk__in=relationships.values("organisation_id"))
    if f.kinds:
        qs = qs.filter(kind__in=f.kinds)
    if f.sme is not None:
        qs = qs.filter(sme_condition(f.sme))
    if f.departement:
        qs = qs.filter(departement=f.departement)
    if f.membership_status or f.membership_year:
        memberships = Membership.objects.filter(cluster=cluster, organisation=OuterRef("pk"))
        if f.membership_status:
            memberships = memberships.filter(status=f.membership_status)
        if f.membership_year:
            memberships = memberships.filter(year=f.membership_year)
        qs = qs.filter(Exists(memberships))
    qs = search_organisations(qs, f.q)
    return qs.order_by(*SORTS.get(f.sort, SORTS["name"]), "pk")


def public_directory(*, cluster: Cluster, q: str = "") -> QuerySet[Organisation]:
    """Active members of the current year that agreed to be listed."""
    year = datetime.date.today().year
    active = Membership.objects.filter(
        cluster=cluster, status=Membership.Status.ACTIVE, year__in=[year, year - 1]
    ).values("organisation_id")
    # Public: read without a person, so the members' rows name the organisations.
    qs = Organisation.objects.instance_wide().filter(pk__in=active, directory_consent=True)
    return search_organisations(qs, q).order_by("name", "pk")


def relationship_of(*, cluster: Cluster, organisation: Organisation) -> Relationship | None:
    return (
        Relationship.objects.filter(cluster=cluster, organisation=organisation)
        .prefetch_related("domains", "themes", "markets")
        .select_related("owner")
        .first()
    )


# -- memberships, contacts, interactions ------------------------------------------------


def memberships_list(
    *,
    cluster: Cluster,
    year: int | None = None,
    status: str | None = None,
    organisation: Organisation | int | None = None,
    organisations: Iterable[Organisation] | None = None,
) -> QuerySet[Membership]:
    """The cluster's memberships, latest year first, with what a list shows."""
    qs = Membership.objects.filter(cluster=cluster).select_related(
        "organisation", "category", "representative"
    )
    if year is not None:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if organisations is not None:
        qs = qs.filter(organisation__in=list(organisations))
    return qs.order_by("-year", "organisation__name", "pk")


def contacts_list(
    *, cluster: Cluster, organisation: Organisation | int | None = None
) -> QuerySet[Contact]:
    """The cluster's contacts, by name."""
    qs = Contact.objects.filter(cluster=cluster).select_related("organisation")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.order_by("last_name", "first_name", "pk")


def interactions_list(
    *,
    cluster: Cluster,
    organisation: Organisation | int | None = None,
    owner: Any = None,
    with_contacts: bool = False,
) -> QuerySet[Interaction]:
    """The cluster's interactions, latest first. ``with_contacts`` prefetches the people
    met, for lists only: a prefetched list would go stale when an update sets it."""
    qs = Interaction.objects.filter(cluster=cluster).select_related("organisation", "owner")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if with_contacts:
        qs = qs.prefetch_related("contacts")
    return qs.order_by("-date", "-id")


def membership_categories(*, cluster: Cluster) -> QuerySet[MembershipCategory]:
    return MembershipCategory.objects.filter(cluster=cluster)


def contacts_of(*, cluster: Cluster, organisation: Organisation | None = None) -> QuerySet[Contact]:
    """The people who may represent, or have been met at, an organisation (not erased)."""
    qs = Contact.objects.filter(cluster=cluster, anonymised_at=None)
    return qs if organisation is None else qs.filter(organisation=organisation)


# -- fees and renewals ------------------------------------------------------------------


def fee_for(*, category: MembershipCategory | None, organisation: Organisation) -> Decimal | None:
    """The fee the grid gives this organisation in this category, or None.

    The most specific line wins: one naming the organisation's kind before one for every
    kind, then the narrowest headcount range. The headcount is the band's lower bound.
    """
    if category is None:
        return None
    low = band_bounds(organisation.headcount_band)[0] if organisation.headcount_band else 0
    candidates = []
    for rule in FeeRule.objects.filter(category=category):
        if rule.kind and rule.kind != organisation.kind:
            continue
        if low < rule.min_headcount or (
            rule.max_headcount is not None and low > rule.max_headcount
        ):
            continue
        width = (
            rule.max_headcount if rule.max_headcount is not None else 10**9
        ) - rule.min_headcount
        candidates.append((0 if rule.kind else 1, width, rule.amount))
    return min(candidates)[2] if candidates else None


@dataclass(frozen=True)
class YearFigures:
    year: int
    members: int
    joined: int
    left: int
    renewed: int
    renewal_rate: float | None
    churn_rate: float | None
    fees_called: Decimal
    fees_paid: Decimal
    unpaid: int


def membership_figures(*, cluster: Cluster, years: Iterable[int]) -> list[YearFigures]:
    """Members, joins, departures, renewal and churn per year, from the memberships."""
    wanted = sorted(set(years))
    if not wanted:
        return []
    rows = Membership.objects.filter(
        cluster=cluster, year__gte=wanted[0] - 1, year__lte=wanted[-1]
    ).values_list(
        "year",
        "organisation_id",
        "status",
        "fee_amount",
        "fee_called_on",
        "fee_paid_amount",
        "fee_paid_on",
    )
    active: dict[int, set[int]] = defaultdict(set)
    called: dict[int, Decimal] = defaultdict(Decimal)
    paid: dict[int, Decimal] = defaultdict(Decimal)
    unpaid: dict[int, int] = defaultdict(int)
    for year, org, status, amount, called_on, paid_amount, paid_on in rows:
        if status == Membership.Status.ACTIVE:
            active[year].add(org)
        if called_on and amount is not None:
            called[year] += amount
            if paid_on is None and status == Membership.Status.ACTIVE:
                unpaid[year] += 1
        if paid_amount is not None:
            paid[year] += paid_amount
    figures = []
    for year in wanted:
        now, before = active[year], active[year - 1]
        renewed = len(now & before)
        figures.append(
            YearFigures(
                year=year,
                members=len(now),
                joined=len(now - before),
                left=len(before - now),
                renewed=renewed,
                renewal_rate=renewed / len(before) if before else None,
                churn_rate=len(before - now) / len(before) if before else None,
                fees_called=called[year],
                fees_paid=paid[year],
                unpaid=unpaid[year],
            )
        )
    return figures


def memberships_due(*, cluster: Cluster, year: int) -> QuerySet[Membership]:
    """The year's active memberships with their fee state, for the renewal campaign."""
    return (
        Membership.objects.filter(cluster=cluster, year=year, status=Membership.Status.ACTIVE)
        .select_related("organisation", "category", "representative")
        .order_by("fee_paid_on", "organisation__name")
    )


# -- duplicates -------------------------------------------------------------------------


# Rows of the score matrix computed at once: 250 by n float32 (5.6 MB for 5,600 names).
DUPLICATE_BLOCK = 250


@dataclass(frozen=True)
class DuplicatePair:
    first: Organisation
    second: Organisation
    score: float


def duplicate_candidates(*, cluster: Cluster, threshold: float = 88.0) -> list[DuplicatePair]:
    """Likely duplicates among the organisations the cluster follows: similar names in the
    same city (rapidfuzz token-set ratio on folded names). Identical identifiers cannot
    occur: they are unique; two records holding two different valid identifiers of one kind
    (two SIRENs, a SIREN and another company's VAT number …) are two organisations, never a
    pair, however alike their names."""
    orgs = list(
        organisations_followed(cluster=cluster).only(
            "id", "name", "usual_name", "city", "kind", *IDENTIFIER_FIELDS
        )
    )
    by_city: dict[str, list[Organisation]] = defaultdict(list)
    for org in orgs:
        by_city[normalise(org.city)].append(org)
    pairs = []
    for group in by_city.values():
        names = [normalise(o.name) for o in group]
        # All pairs of a city scored in C (rapidfuzz's cdist), a block of rows at a time so
        # that a large city's matrix stays small; 2.2 times faster than a pair loop
        # (docs/benchmarks.md).
        for first in range(0, len(group), DUPLICATE_BLOCK):
            # Only the pairs (i, j) with j > i: the rows of the block against the names from
            # the block's first on (the upper triangle, half the work of the full matrix).
            block = process.cdist(
                names[first : first + DUPLICATE_BLOCK],
                names[first:],
                scorer=fuzz.token_set_ratio,
                score_cutoff=threshold,
                dtype="float32",
            )
            for row, column in zip(*block.nonzero(), strict=True):
                if column > row:
                    i, j = first + int(row), first + int(column)
                    if different_identities(group[i].identifiers, group[j].identifiers):
                        continue
                    pairs.append(DuplicatePair(group[i], group[j], float(block[row, column])))
    return sorted(pairs, key=lambda p: -p.score)


# -- timeline ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    date: datetime.date
    kind: str
    title: str
    detail: str = ""
    url: str = ""
    sort_key: tuple[Any, ...] = field(default=(), compare=False)


# A source gets the reader too: a confidential entry (a support case, an application)
# appears only to those who may read its object.
TimelineSource = Callable[[Cluster, Organisation, User], Iterable[TimelineItem]]


def _membership_items(cluster: Cluster, org: Organisation, viewer: User) -> Iterable[TimelineItem]:
    for m in Membership.objects.filter(cluster=cluster, organisation=org).select_related(
        "category"
    ):
        yield TimelineItem(
            date=datetime.date(m.year, 1, 1),
            kind="membership",
            title=_("Membership %(year)s: %(status)s")
            % {"year": m.year, "status": m.get_status_display().lower()},
            detail=str(m.category or ""),
        )
        if m.fee_paid_on:
            yield TimelineItem(
                date=m.fee_paid_on,
                kind="payment",
                title=_("Fee %(year)s paid: %(amount)s")
                % {"year": m.year, "amount": format_money(m.fee_paid_amount)},
            )


def _interaction_items(cluster: Cluster, org: Organisation, viewer: User) -> Iterable[TimelineItem]:
    for i in Interaction.objects.filter(cluster=cluster, organisation=org).select_related("owner"):
        yield TimelineItem(
            date=i.date,
            kind=f"interaction:{i.kind}",
            title=i.subject,
            detail=i.get_kind_display() + (f" — {i.owner}" if i.owner else ""),
            url=page_path("crm.interaction", cluster=cluster, organisation=org, interaction=i),
        )


def _record_change_items(
    cluster: Cluster, org: Organisation, viewer: User
) -> Iterable[TimelineItem]:
    """Changes to the shared record, by this cluster or any other following it."""
    for e in audit_entries_for_shared_object(cluster=cluster, obj=org):
        fields = ", ".join(name for name, _old, _new in e.changes_in_words)
        who = str(e.actor) if e.actor else _("system")
        where = e.cluster.name if e.cluster else _("outside any cluster")
        yield TimelineItem(
            date=timezone.localdate(e.created_at),
            kind="record",
            title=_("Record: %(action)s") % {"action": e.action_label}
            + (f" ({fields})" if fields else ""),
            detail=_("by %(who)s for %(cluster)s") % {"who": who, "cluster": where},
        )


# Later domains (events, bookings, support cases) add theirs with ``timeline_source_add``
# from their ``AppConfig.ready()``.
TIMELINE_SOURCES: list[TimelineSource] = [
    _membership_items,
    _interaction_items,
    _record_change_items,
]


def timeline_source_add(source: TimelineSource) -> TimelineSource:
    if source not in TIMELINE_SOURCES:
        TIMELINE_SOURCES.append(source)
    return source


def organisation_timeline(
    *, cluster: Cluster, organisation: Organisation, viewer: User
) -> list[TimelineItem]:
    items = [item for source in TIMELINE_SOURCES for item in source(cluster, organisation, viewer)]
    return sorted(items, key=lambda i: i.date, reverse=True)


def organisations_by_identifier(field_name: str, values: Iterable[str]) -> dict[str, Organisation]:
    """Existing organisations by one identifier, for imports (instance-wide)."""
    wanted = [v for v in set(values) if v]
    if not wanted:
        return {}
    return {
        getattr(o, field_name): o
        for o in Organisation.objects.instance_wide().filter(**{f"{field_name}__in": wanted})
    }


# -- invoices ---------------------------------------------------------------------------

# The accountant's columns (docs/invoices.md says what each holds).
INVOICE_EXPORT_COLUMNS = (
    "number",
    "kind",
    "issued_on",
    "due_on",
    "buyer_name",
    "buyer_siren",
    "buyer_vat_number",
    "amount_excl_tax_eur",
    "vat_eur",
    "total_eur",
    "cancels",
    "fee_year",
    "paid_on",
)


def invoices_of(
    *, cluster: Cluster, year: int | None = None, organisation: Organisation | None = None
) -> QuerySet[Invoice]:
    qs = Invoice.objects.filter(cluster=cluster).select_related(
        "membership", "credited", "organisation"
    )
    if year is not None:
        qs = qs.filter(issued_on__year=year)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.order_by("-issued_on", "-number")


def invoice_export_rows(invoices: Iterable[Invoice]) -> Iterable[list[Any]]:
    """One line per document; a credit note's amounts are negative, so that the lines of
    a period add up to what is owed."""
    for i in invoices:
        sign = -1 if i.kind == Invoice.Kind.CREDIT_NOTE else 1
        yield [
            i.number,
            i.kind,
            i.issued_on,
            i.due_on,
            i.buyer_name,
            i.buyer_siren,
            i.buyer_vat_number,
            sign * i.amount,
            Decimal("0.00"),
            sign * i.amount,
            i.credited.number if i.credited else "",
            i.membership.year,
            i.membership.fee_paid_on if sign > 0 else None,
        ]


def invoices_visible_to(*, user: User, cluster: Cluster) -> QuerySet[Invoice]:
    """Finance sees the cluster's invoices; a member's contacts, their organisation's."""
    qs = invoices_of(cluster=cluster)
    if user.has_perm("crm.manage_fees", cluster):
        return qs
    return qs.filter(organisation__in=member_organisations(cluster=cluster, user=user))


def import_mappings(*, cluster: Cluster) -> QuerySet[ImportMapping]:
    """The column mappings the cluster's staff saved, by name."""
    return ImportMapping.objects.filter(cluster=cluster).order_by("name")


RENEWAL_STATES = ("to_call", "called", "unpaid_reminded", "paid")


def memberships_due_filtered(
    *, cluster: Cluster, year: int, q: str = "", fee_state: str = ""
) -> QuerySet[Membership]:
    """``memberships_due`` narrowed to a name and a fee state (``to_call``: not called yet;
    ``called``: called and unpaid; ``unpaid_reminded``: reminded and unpaid; ``paid``), for
    the renewal page."""
    qs = memberships_due(cluster=cluster, year=year)
    if q:
        qs = qs.filter(
            Q(organisation__name__icontains=q) | Q(organisation__usual_name__icontains=q)
        )
    if fee_state == "to_call":
        qs = qs.filter(fee_called_on=None, fee_paid_on=None)
    elif fee_state == "called":
        qs = qs.filter(fee_called_on__isnull=False, fee_paid_on=None)
    elif fee_state == "unpaid_reminded":
        qs = qs.filter(fee_paid_on=None, reminders__gt=0)
    elif fee_state == "paid":
        qs = qs.filter(fee_paid_on__isnull=False)
    return qs
