"""The innovation centre's object routes for the generic leak test (tests/test_leaks.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from clusterdesk.core.roles import Role
from clusterdesk.facilities.models import Lease
from tests.facilities.factories import (
    ResourceFactory,
    authorise,
    booking,
    hosted_person,
    statement,
)
from tests.factories import ContactFactory, follow
from tests.leak_cases import LeakCase


def _booking(tenant: Any) -> dict[str, Any]:
    return {"booking_id": booking(tenant.cluster, person=tenant.director).pk}


def _booking_page(tenant: Any) -> dict[str, Any]:
    return {"pk": booking(tenant.cluster, person=tenant.director).pk}


def _member_booking(tenant: Any) -> dict[str, Any]:
    return {"pk": booking(tenant.cluster, person=tenant.people[Role.MEMBER]).pk}


def _resource(tenant: Any) -> dict[str, Any]:
    return {"pk": ResourceFactory(cluster=tenant.cluster).pk}


def _lease(tenant: Any) -> dict[str, Any]:
    office = ResourceFactory(cluster=tenant.cluster, kind="office", bookable=False)
    lease = Lease.objects.create(
        cluster=tenant.cluster,
        organisation=follow(tenant.cluster),
        resource=office,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        monthly_rent=Decimal(100),
    )
    return {"pk": lease.pk}


def _authorisation(tenant: Any) -> dict[str, Any]:
    return {"pk": authorise(tenant.cluster, tenant.people[Role.EXPERT], level="P2").pk}


def _evidence(tenant: Any) -> dict[str, Any]:
    authorisation = authorise(tenant.cluster, tenant.people[Role.EXPERT], level="P3")
    authorisation.evidence.save("training.pdf", ContentFile(b"%PDF-1.4"), save=True)
    return {"pk": authorisation.pk}


def _statement(tenant: Any) -> dict[str, Any]:
    return {"pk": statement(tenant.cluster, follow(tenant.cluster)).pk}


def _member_statement(tenant: Any) -> dict[str, Any]:
    org = follow(tenant.cluster)
    ContactFactory(cluster=tenant.cluster, organisation=org, user=tenant.people[Role.MEMBER])
    return {"pk": statement(tenant.cluster, org).pk}


LEAK_CASES: dict[str, LeakCase] = {
    "api-v1:facilities_booking_detail": LeakCase(_booking),
    "api-v1:facilities_booking_cancel": LeakCase(_booking, method="delete"),
    "facilities:calendar": LeakCase(_resource),
    "facilities:price_set": LeakCase(_resource, method="post"),
    "facilities:lease_action": LeakCase(_lease, method="post"),
    "facilities:booking_action": LeakCase(_booking_page, method="post"),
    "facilities:authorisation_revoke": LeakCase(_authorisation, method="post"),
    "facilities:authorisation_evidence": LeakCase(_evidence),
    "facilities:statement": LeakCase(_statement),
    "facilities:statement_pdf": LeakCase(_statement),
    "portal_facilities:booking_cancel": LeakCase(
        _member_booking, viewer=Role.MEMBER, method="post"
    ),
    "portal_facilities:statement": LeakCase(_member_statement, viewer=Role.MEMBER),
    "portal_facilities:statement_pdf": LeakCase(_member_statement, viewer=Role.MEMBER),
}
# A hosted company's person, for the tests that need one.
__all__ = ["LEAK_CASES", "hosted_person"]
