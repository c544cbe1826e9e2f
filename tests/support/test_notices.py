"""The support e-mails: the support staff learn of a member's request, an expert of a
mission given to them; nothing is sent for a refused write."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django_scopes import scope

from clusterdesk.core.roles import Role
from clusterdesk.support.services.cases import support_case_request
from clusterdesk.support.services.missions import mission_create
from tests.conftest import Tenant
from tests.support.factories import case, company, expert


def test_a_request_is_mailed_to_the_support_staff(
    tenant_a: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    org = company(tenant_a, "Demandeuse SAS")
    with django_capture_on_commit_callbacks(execute=True), scope(cluster=tenant_a.cluster):
        c = support_case_request(
            actor=tenant_a.people[Role.MEMBER],
            cluster=tenant_a.cluster,
            organisation=org,
            title="Trouver un CDMO",
            need="partner_search",
            stage="clinical",
        )
    to = sorted(m.to[0] for m in mail.outbox)
    expected = sorted(tenant_a.people[r].email for r in (Role.DIRECTOR, Role.PROJECT_MANAGER))
    assert to == expected
    assert "Demandeuse SAS" in mail.outbox[0].subject
    assert f"/support/cases/{c.pk}/" in mail.outbox[0].body


def test_a_mission_is_mailed_to_its_expert_and_a_refused_one_is_not(
    tenant_a: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    c = case(tenant_a)
    e = expert(tenant_a, user=tenant_a.people[Role.EXPERT])
    lapsed = expert(tenant_a, name="Dr Expiré", email="expire@example.org", agreement_days=-3)
    pm = tenant_a.people[Role.PROJECT_MANAGER]
    with django_capture_on_commit_callbacks(execute=True), scope(cluster=tenant_a.cluster):
        mission_create(actor=pm, case=c, expert=e, title="Revue du dossier CE")
        with pytest.raises(ValidationError):
            mission_create(actor=pm, case=c, expert=lapsed, title="Refusée")
    assert [m.to for m in mail.outbox] == [[tenant_a.people[Role.EXPERT].email]]
    assert "Revue du dossier CE" in mail.outbox[0].body
