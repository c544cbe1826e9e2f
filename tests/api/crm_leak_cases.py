"""The CRM API's object routes for the generic leak test (tests/test_leaks.py).

Each ninja operation is its own URL pattern, so a PATCH sharing its path with a GET has its
own name and its own case; an empty PATCH body changes nothing, so it answers 200 for the
cluster's own object.
"""

from __future__ import annotations

from typing import Any

from tests.api.crm_factories import (
    ContactFactory,
    InteractionFactory,
    MembershipFactory,
    followed_organisation,
)
from tests.leak_cases import LeakCase


def _organisation(tenant: Any) -> dict[str, Any]:
    return {"organisation_id": followed_organisation(tenant.cluster).pk}


def _membership(tenant: Any) -> dict[str, Any]:
    organisation = followed_organisation(tenant.cluster)
    membership = MembershipFactory(cluster=tenant.cluster, organisation=organisation)
    return {"membership_id": membership.pk}


def _contact(tenant: Any) -> dict[str, Any]:
    organisation = followed_organisation(tenant.cluster)
    return {"contact_id": ContactFactory(cluster=tenant.cluster, organisation=organisation).pk}


def _interaction(tenant: Any) -> dict[str, Any]:
    organisation = followed_organisation(tenant.cluster)
    interaction = InteractionFactory(
        cluster=tenant.cluster, organisation=organisation, owner=tenant.director
    )
    return {"interaction_id": interaction.pk}


LEAK_CASES: dict[str, LeakCase] = {
    "api-v1:crm_organisation_detail": LeakCase(_organisation),
    "api-v1:crm_organisation_update": LeakCase(_organisation, method="patch"),
    "api-v1:crm_membership_detail": LeakCase(_membership),
    "api-v1:crm_membership_update": LeakCase(_membership, method="patch"),
    "api-v1:crm_contact_detail": LeakCase(_contact),
    "api-v1:crm_contact_update": LeakCase(_contact, method="patch"),
    "api-v1:crm_interaction_detail": LeakCase(_interaction),
    "api-v1:crm_interaction_update": LeakCase(_interaction, method="patch"),
}
