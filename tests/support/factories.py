"""Support cases and experts for tests, made through the services where what is tested
reads the audit log (so that they are audited as in real use)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Organisation
from clusterdesk.support.models import Expert, Mission, SupportCase
from clusterdesk.support.services.cases import support_case_create
from clusterdesk.support.services.missions import mission_create
from tests.conftest import Tenant
from tests.factories import ContactFactory, OrganisationFactory, UserFactory, follow, grant

SECRET = "ZQXCASE-bioreactor"


def company(tenant: Tenant, name: str = "Biotech Secrète SAS") -> Organisation:
    """A company the cluster follows, whose portal account is the tenant's member."""
    with scopes_disabled():
        org = follow(tenant.cluster, OrganisationFactory(name=name, kind="sme"))
        ContactFactory(cluster=tenant.cluster, organisation=org, user=tenant.people[Role.MEMBER])
    return org


def expert(
    tenant: Tenant,
    *,
    user: Any = None,
    agreement_days: int | None = 365,
    **fields: Any,
) -> Expert:
    """An expert with a confidentiality agreement valid ``agreement_days`` from today
    (None: no agreement on file)."""
    with scopes_disabled():
        e = Expert.objects.create(
            cluster=tenant.cluster,
            user=user,
            name=fields.pop("name", str(user) if user else "Dr Externe"),
            competences=fields.pop("competences", "regulatory, CE marking, fundraising"),
            **fields,
        )
        if agreement_days is not None:
            today = timezone.localdate()
            e.agreement.save("nda.pdf", ContentFile(b"%PDF-1.4 signed"), save=False)
            e.agreement_signed_on = today - datetime.timedelta(days=30)
            e.agreement_expires_on = today + datetime.timedelta(days=agreement_days)
            e.save()
    return e


def case(
    tenant: Tenant, org: Organisation | None = None, *, title: str = SECRET, **values: Any
) -> SupportCase:
    """A case opened by the project manager through the service."""
    org = org or company(tenant)
    with scope(cluster=tenant.cluster):
        return support_case_create(
            actor=tenant.people[Role.PROJECT_MANAGER],
            cluster=tenant.cluster,
            organisation=org,
            title=title,
            need=values.pop("need", "regulatory"),
            stage=values.pop("stage", "preclinical"),
            **values,
        )


def case_with_expert(tenant: Tenant) -> tuple[SupportCase, Expert]:
    """A case with a mission given to the tenant's expert (who then sees the case)."""
    c = case(tenant)
    e = expert(tenant, user=tenant.people[Role.EXPERT])
    with scope(cluster=tenant.cluster):
        mission_create(
            actor=tenant.people[Role.PROJECT_MANAGER], case=c, expert=e, title="Revue CE", hours=8
        )
    return c, e


def other_expert_person(tenant: Tenant) -> Any:
    """A second person with the expert role, with no mission on any case."""
    with scopes_disabled():
        return grant(UserFactory(), tenant.cluster, Role.EXPERT)


def mission_of(c: SupportCase) -> Mission:
    with scopes_disabled():
        return Mission.objects.filter(case=c).latest("pk")
