"""Leak cases of the outcome pages, the yearly follow-up and the member portal's results
(registered in ``tests/leak_cases.py``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile

from clusterdesk.core.roles import Role
from clusterdesk.results.models import FollowUpCampaign, FollowUpRequest, Outcome
from tests.factories import ContactFactory, OrganisationFactory, application, follow
from tests.leak_cases import LeakCase


def _outcome(tenant: Any) -> Outcome:
    project = application(tenant.cluster, state="labelled", acronym="LEAK")
    return Outcome.objects.create(
        cluster=tenant.cluster,
        application=project,
        kind=Outcome.Kind.PATENT,
        date=datetime.date(2024, 3, 1),
        title="Brevet",
        registry="EPO",
        reference="EP1",
    )


def _outcome_kwargs(tenant: Any) -> dict[str, Any]:
    return {"pk": _outcome(tenant).pk}


def _evidence(tenant: Any) -> dict[str, Any]:
    outcome = _outcome(tenant)
    outcome.evidence.save("proof.pdf", ContentFile(b"%PDF-1.4 proof"), save=True)
    return {"pk": outcome.pk}


def _campaign(tenant: Any) -> FollowUpCampaign:
    return FollowUpCampaign.objects.create(
        cluster=tenant.cluster, year=2025, closes_on=datetime.date(2030, 1, 31)
    )


def _member_project(tenant: Any) -> dict[str, Any]:
    """A labelled project of the member's own organisation."""
    org = follow(tenant.cluster, OrganisationFactory())
    ContactFactory(cluster=tenant.cluster, organisation=org, user=tenant.people[Role.MEMBER])
    project = application(
        tenant.cluster, state="labelled", acronym="OURS", partners=((org, "coordinator"),)
    )
    return {"pk": project.pk}


def _member_request(tenant: Any) -> dict[str, Any]:
    """A request of a project coordinated by the member's own organisation."""
    org = follow(tenant.cluster, OrganisationFactory())
    contact = ContactFactory(
        cluster=tenant.cluster, organisation=org, user=tenant.people[Role.MEMBER]
    )
    project = application(
        tenant.cluster, state="labelled", acronym="MINE", partners=((org, "coordinator"),)
    )
    request = FollowUpRequest.objects.create(
        cluster=tenant.cluster, campaign=_campaign(tenant), application=project, contact=contact
    )
    return {"pk": request.pk}


LEAK_CASES: dict[str, LeakCase] = {
    "outcomes:outcome": LeakCase(_outcome_kwargs),
    "outcomes:outcome_review": LeakCase(_outcome_kwargs, method="post"),
    "outcomes:outcome_evidence": LeakCase(_evidence),
    "outcomes:campaign": LeakCase(lambda t: {"pk": _campaign(t).pk}),
    "portal_results:follow_up": LeakCase(_member_request, viewer=Role.MEMBER),
    "portal_results:project": LeakCase(_member_project, viewer=Role.MEMBER),
    "portal_results:follow_up_complete": LeakCase(
        _member_request, viewer=Role.MEMBER, method="post"
    ),
}
