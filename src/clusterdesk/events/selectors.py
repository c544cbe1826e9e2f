"""Reads of events and registrations: lists, the check-in search, seats left, the matching
of a registrant to the one organisation record, exports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core import signing
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from clusterdesk.core.models import Cluster
from clusterdesk.crm import identifiers
from clusterdesk.crm.importing.values import normalise
from clusterdesk.crm.models import Contact, Organisation
from clusterdesk.crm.selectors import (
    contacts_of,
    organisations_by_identifier,
    organisations_followed,
    search_organisations,
)
from clusterdesk.events.models import Event, Registration, RegistrationCategory
from clusterdesk.events.rules import can_view_registrations

ACTIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)


# -- events ---------------------------------------------------------------------------------


def events_of(*, cluster: Cluster) -> QuerySet[Event]:
    """The cluster's events, the coming ones first, with their counts."""
    return Event.objects.filter(cluster=cluster).annotate(
        confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
        waitlisted=Count("registrations", filter=Q(registrations__status="waitlisted")),
        attended=Count("registrations", filter=Q(registrations__attended_at__isnull=False)),
    )


def event_list(*, cluster: Cluster, when: str = "") -> QuerySet[Event]:
    """``when``: "coming" (not ended), "past", or every event."""
    qs = events_of(cluster=cluster)
    now = timezone.now()
    if when == "coming":
        return qs.filter(ends_at__gte=now).order_by("starts_at", "pk")
    if when == "past":
        return qs.filter(ends_at__lt=now).order_by("-starts_at", "pk")
    return qs.order_by("-starts_at", "pk")


def public_event(*, cluster: Cluster, slug: str) -> Event | None:
    """A public event by the end of its address (only public ones: others are not found)."""
    return Event.objects.filter(cluster=cluster, slug=slug, is_public=True).first()


def categories_of(*, event: Event, public: bool = False) -> QuerySet[RegistrationCategory]:
    qs = RegistrationCategory.objects.filter(event=event)
    return qs.filter(open_to_public=True) if public else qs


def confirmed_count(*, event: Event, category: RegistrationCategory | None = None) -> int:
    qs = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
    return (qs.filter(category=category) if category is not None else qs).count()


@dataclass(frozen=True)
class Seats:
    """Seats of an event (or of one of its categories): ``left`` is None without a limit."""

    capacity: int | None
    confirmed: int

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.confirmed, 0)

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.confirmed >= self.capacity


def seats_of(*, event: Event, category: RegistrationCategory | None = None) -> Seats:
    if category is None:
        return Seats(event.capacity, confirmed_count(event=event))
    return Seats(category.capacity, confirmed_count(event=event, category=category))


def registration_open(*, event: Event, now: Any = None) -> bool:
    """Whether the public form takes registrations now."""
    now = now or timezone.now()
    if event.registration_opens_at and now < event.registration_opens_at:
        return False
    return now < event.closes_at


# -- registrations ----------------------------------------------------------------------------


def registrations_visible_to(*, user: Any, cluster: Cluster) -> QuerySet[Registration]:
    """The registrations this person may read: all of the cluster's for the event staff and
    finance, none for anybody else (the same rule as ``rules.can_view_registration``)."""
    if not can_view_registrations.test(user, cluster):
        return Registration.objects.none()
    return Registration.objects.filter(cluster=cluster)


def registration_list(
    *, user: Any, event: Event, status: str = "", q: str = ""
) -> QuerySet[Registration]:
    qs = (
        registrations_visible_to(user=user, cluster=event.cluster)
        .filter(event=event)
        .select_related("category", "organisation", "contact")
    )
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = _search(qs, q)
    return qs.order_by("last_name", "first_name", "pk")


def waitlist_of(*, event: Event) -> QuerySet[Registration]:
    """The waitlist in the order it is promoted."""
    return Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED).order_by(
        "waitlist_position", "created_at", "pk"
    )


def _search(qs: QuerySet[Registration], q: str) -> QuerySet[Registration]:
    condition = Q()
    for word in q.split():
        condition &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(organisation_name__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    return qs.filter(condition)


def badge_code_of(text: str) -> str:
    """The registration token in what the check-in field received: the badge's address
    (scanned with the phone's camera, or pasted) or the code itself."""
    text = text.strip()
    if "://" in text or text.startswith("/"):
        values = parse_qs(urlsplit(text).query).get("code") or [""]
        return values[0].strip()
    return text


def check_in_search(*, user: Any, event: Event, q: str) -> list[Registration]:
    """The people matching a name, an organisation, or the badge's code (exactly one)."""
    qs = registration_list(user=user, event=event).exclude(status=Registration.Status.CANCELLED)
    code = badge_code_of(q)
    if code:
        by_code = list(qs.filter(token=code))
        if by_code:
            return by_code
    if len(q.strip()) < 2:
        return []
    return list(_search(qs, q)[:30])


def registration_by_token(*, token: str) -> Registration | None:
    """A registration by its secret (the public cancellation page; the scope is the
    event's cluster, opened by the page)."""
    return Registration.objects.filter(token=token).select_related("event", "category").first()


CANCEL_SALT = "clusterdesk.events.cancel"


def cancel_code(registration: Registration) -> str:
    """The signed code of the person's cancel link: their registration's secret, signed
    with the site's key, so that a code cannot be made up or altered."""
    return signing.Signer(salt=CANCEL_SALT).sign(registration.token)


def registration_by_cancel_code(*, code: str) -> Registration | None:
    try:
        token = signing.Signer(salt=CANCEL_SALT).unsign(code)
    except signing.BadSignature:
        return None
    return registration_by_token(token=token)


def registrations_to_match(*, user: Any, cluster: Cluster) -> QuerySet[Registration]:
    """Registrants whose organisation staff must still confirm: a name was given and no
    organisation record was found for it with certainty."""
    return (
        registrations_visible_to(user=user, cluster=cluster)
        .filter(organisation__isnull=True)
        .exclude(organisation_name="")
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event")
        .order_by("organisation_name", "pk")
    )


def registrations_of_organisation(
    *, cluster: Cluster, organisation: Organisation
) -> QuerySet[Registration]:
    return Registration.objects.filter(cluster=cluster, organisation=organisation)


# -- matching a registrant to the one organisation record -------------------------------------


def identifier_lookup(raw: str) -> tuple[str, str] | None:
    """The identifier field and its clean value for what a registrant typed (SIREN, SIRET,
    or an EU VAT number), or None when it is none of them."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    candidates: Sequence[tuple[str, Any]] = (
        ("siren", identifiers.clean_siren),
        ("siret", identifiers.clean_siret),
        ("vat", identifiers.clean_vat),
    )
    for field, clean in candidates:
        if field in ("siren", "siret") and len(digits) != (9 if field == "siren" else 14):
            continue
        try:
            return field, clean(raw)
        except (identifiers.IdentifierError, ValueError):
            continue
    return None


def _by_identifier(cluster: Cluster, raw: str) -> Organisation | None:
    found = identifier_lookup(raw) if raw else None
    if found is None:
        return None
    field, value = found
    if field == "siret":
        field, value = "siren", identifiers.siren_of_siret(value)
    return organisations_followed(cluster=cluster).filter(**{field: value}).first()


def organisations_named(*, cluster: Cluster, name: str) -> list[Organisation]:
    """The organisations the cluster follows whose legal or usual name is ``name`` once
    folded (accents, case, punctuation): "Société Générale-S.A." is "societe generale s a"."""
    folded = normalise(name)
    if not folded:
        return []
    # The folded search text starts with the legal name and holds the usual name: a cheap
    # filter in the database, then the exact comparison here.
    near = organisations_followed(cluster=cluster).filter(
        Q(search_text__startswith=folded) | Q(search_text__contains=f" {folded}")
    )[:50]
    return [o for o in near if folded in (normalise(o.name), normalise(o.usual_name))]


@dataclass(frozen=True)
class Match:
    organisation: Organisation | None
    contact: Contact | None


def registrant_match(*, cluster: Cluster, email: str, name: str, identifier: str) -> Match:
    """The organisation and contact a registrant is, when it is certain: the contact with
    this e-mail, else the organisation with the identifier given, else the only one with
    this name. Anything less certain is left for staff to confirm (never a duplicate)."""
    contact = contacts_of(cluster=cluster).filter(email__iexact=email).order_by("pk").first()
    if contact is not None:
        return Match(contact.organisation, contact)
    organisation = _by_identifier(cluster, identifier)
    if organisation is None:
        named = organisations_named(cluster=cluster, name=name)
        organisation = named[0] if len(named) == 1 else None
    return Match(organisation, None)


def organisation_candidates(*, cluster: Cluster, registration: Registration) -> list[Organisation]:
    """What staff are offered for a registrant not matched with certainty: the record that
    holds the identifier given (even one the cluster does not follow yet), the organisations
    with this name, then those the search finds."""
    found: list[Organisation] = []
    lookup = identifier_lookup(registration.organisation_identifier)
    if lookup is not None:
        field, value = lookup
        if field == "siret":
            field, value = "siren", identifiers.siren_of_siret(value)
        holder = organisations_by_identifier(field, [value]).get(value)
        if holder is not None:
            found.append(holder)
    found += organisations_named(cluster=cluster, name=registration.organisation_name)
    followed = organisations_followed(cluster=cluster)
    found += list(search_organisations(followed, registration.organisation_name)[:8])
    unique: dict[int, Organisation] = {}
    for org in found:
        unique.setdefault(org.pk, org)
    return list(unique.values())[:10]


# -- exports ----------------------------------------------------------------------------------


EXPORT_HEADERS = (
    "id",
    "last_name",
    "first_name",
    "email",
    "organisation",
    "category",
    "fee_eur",
    "status",
    "waitlist_position",
    "registered_at",
    "attended_at",
)


def export_rows(registrations: Iterable[Registration]) -> Iterable[list[Any]]:
    for r in registrations:
        yield [
            r.pk,
            r.last_name,
            r.first_name,
            r.email,
            str(r.organisation) if r.organisation_id else r.organisation_name,
            str(r.category or ""),
            r.fee,
            r.get_status_display(),
            r.waitlist_position,
            timezone.localtime(r.created_at),
            timezone.localtime(r.attended_at) if r.attended_at else None,
        ]
