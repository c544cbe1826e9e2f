"""The participant import: a table of people (and their organisation's description) becomes
registrations of the brokerage event, organisation records, and participants whose profile
is made from the description.

Columns (French or English names): ``first_name``/``prénom``, ``last_name``/``nom``,
``email``, ``organisation``, ``description``, ``categories`` (comma-separated: the profile's
keywords), ``website``, and optionally ``offer`` and ``request`` (an opportunity each).
Every row goes through the product's services (``events`` registration, ``crm``
organisation, then ``participant_create``), in one transaction: a row with a problem
stops the import with the row's number, and nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.brokerage.models import Brokerage, Opportunity, Participant, PartnershipType
from clusterdesk.brokerage.services.participants import opportunity_save, participant_create
from clusterdesk.core.errors import DomainError, require
from clusterdesk.crm.kinds import OrganisationKind
from clusterdesk.events.models import Registration
from clusterdesk.events.services.registrations import (
    registration_create,
    registration_create_organisation,
)

ALIASES = {
    "first_name": ("first_name", "prénom", "prenom", "first name"),
    "last_name": ("last_name", "nom de famille", "last name", "surname"),
    "email": ("email", "e-mail", "courriel", "mail"),
    "organisation": ("organisation", "organization", "entreprise", "company", "name", "nom"),
    "description": ("description",),
    "categories": ("categories", "catégories", "keywords", "mots-clés"),
    "website": ("website", "site", "site web"),
    "offer": ("offer", "offre"),
    "request": ("request", "demande", "recherche"),
}


@dataclass
class ImportReport:
    created: int = 0
    organisations_created: int = 0
    participants: list[Participant] = field(default_factory=list)


def _column(row: Mapping[str, Any], name: str) -> str:
    lowered = {str(k).strip().lower(): v for k, v in row.items()}
    for alias in ALIASES[name]:
        if alias in lowered and lowered[alias] is not None:
            return str(lowered[alias]).strip()
    return ""


def headline_of(description: str) -> str:
    """The description's first sentence, at most 200 characters."""
    first = re.split(r"(?<=[.!?])\s", description.strip(), maxsplit=1)[0]
    return first if len(first) <= 200 else first[:197].rsplit(" ", 1)[0] + "…"


def _error(number: int, exc: Exception) -> ValidationError:
    if isinstance(exc, ValidationError):
        detail = (
            "; ".join(f"{k}: {' '.join(str(m) for m in v)}" for k, v in exc.message_dict.items())
            if hasattr(exc, "error_dict")
            else " ".join(exc.messages)
        )
    else:
        detail = getattr(exc, "message", "") or str(exc)
    return ValidationError(_("Row %(row)s: %(detail)s") % {"row": number, "detail": detail})


@transaction.atomic
def participants_import(
    *,
    actor: User,
    brokerage: Brokerage,
    rows: Iterable[Mapping[str, Any]],
    offer_type: PartnershipType | None = None,
    request_type: PartnershipType | None = None,
) -> ImportReport:
    """Register each row's person, find or create their organisation, and make them a
    participant (validated when the event validates nobody) with a profile from the
    description; ``offer``/``request`` columns become opportunities."""
    require(actor, "brokerage.manage_brokerage", brokerage.cluster)
    event = brokerage.event
    report = ImportReport()
    for number, row in enumerate(rows, start=2):  # row 1 holds the headers
        try:
            _import_row(actor, brokerage, event, row, report, offer_type, request_type)
        except (ValidationError, DomainError) as exc:
            raise _error(number, exc) from exc
    return report


def _import_row(
    actor: User,
    brokerage: Brokerage,
    event: Any,
    row: Mapping[str, Any],
    report: ImportReport,
    offer_type: PartnershipType | None,
    request_type: PartnershipType | None,
) -> None:
    organisation = _column(row, "organisation")
    description = _column(row, "description")
    registration = registration_create(
        actor=actor,
        event=event,
        first_name=_column(row, "first_name"),
        last_name=_column(row, "last_name"),
        email=_column(row, "email"),
        organisation_name=organisation,
    )
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("the event is full; this person is on the waitlist."))
    if registration.organisation_id is None and organisation:
        website = _column(row, "website")
        try:
            URLValidator()(website)
        except ValidationError:
            website = ""  # a malformed address is left out rather than stopping the row
        registration = registration_create_organisation(
            actor=actor,
            registration=registration,
            name=organisation,
            kind=OrganisationKind.STARTUP
            if "startup" in _column(row, "categories").lower()
            else OrganisationKind.PME,
            website=website[:300],
            description=description,
        )
        report.organisations_created += 1
    participant = participant_create(
        actor=actor,
        brokerage=brokerage,
        registration=registration,
        headline=headline_of(description),
        description=description,
        keywords=_column(row, "categories"),
    )
    for kind, ptype in (
        (Opportunity.Kind.OFFER, offer_type),
        (Opportunity.Kind.REQUEST, request_type),
    ):
        title = _column(row, kind)
        if title:
            opportunity_save(
                actor=actor, participant=participant, kind=kind, title=title, partnership_type=ptype
            )
    report.created += 1
    report.participants.append(participant)
