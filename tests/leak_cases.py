"""The routes that take an object identifier, and how to make such an object in a cluster.

Every URL pattern and API route with a parameter other than ``cluster_slug`` must appear
here, either in LEAK_CASES (the generic leak test then checks that a person of cluster A
gets 404 for cluster B's object, and not for cluster A's own) or in NOT_TENANT_ROUTES with
the reason its parameter is not a tenant object. New domains add their routes here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from django_scopes import scope

from clusterdesk.accounts.models import Invitation
from clusterdesk.accounts.services import api_token_create
from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import ImportMapping, Interaction, Invoice
from clusterdesk.crm.services.organisations import organisation_merge
from clusterdesk.jobs.models import Job
from tests.factories import (
    ContactFactory,
    DomainFactory,
    MembershipFactory,
    ThemeFactory,
    follow,
)


@dataclass(frozen=True)
class LeakCase:
    make: Callable[[Any], dict[str, Any]]  # Tenant -> URL kwargs (without cluster_slug)
    viewer: str = Role.DIRECTOR
    method: str = "get"


def _job(tenant: Any) -> dict[str, Any]:
    job = Job.objects.create(
        cluster=tenant.cluster,
        user=tenant.director,
        kind="test",
        label="Export",
        status=Job.Status.DONE,
    )
    job.result_file.save("result.csv", ContentFile(b"a,b\n"), save=True)
    return {"pk": job.pk}


def _invitation(tenant: Any) -> dict[str, Any]:
    invitation = Invitation.objects.create(
        cluster=tenant.cluster,
        email="someone@example.org",
        roles=[Role.EXPERT],
        expires_at=timezone.now() + timezone.timedelta(days=3),
    )
    return {"pk": invitation.pk}


def _token(tenant: Any) -> dict[str, Any]:
    token, _raw = api_token_create(user=tenant.director, name="leak test")
    return {"token_id": token.pk}


def _org(tenant: Any) -> dict[str, Any]:
    return {"org_id": follow(tenant.cluster).pk}


def _of_org(make: Callable[[Any, Any], Any], **extra: Any) -> Callable[[Any], dict[str, Any]]:
    """URL kwargs for an object (made by ``make(cluster, org)``) of a followed organisation."""

    def kwargs(tenant: Any) -> dict[str, Any]:
        org = follow(tenant.cluster)
        return {"org_id": org.pk, "pk": make(tenant.cluster, org).pk, **extra}

    return kwargs


def _member_org(tenant: Any) -> dict[str, Any]:
    org = follow(tenant.cluster)
    ContactFactory(cluster=tenant.cluster, organisation=org, user=tenant.people[Role.MEMBER])
    return {"org_id": org.pk}


def _merge(tenant: Any) -> dict[str, Any]:
    """A merge of two organisations the cluster follows, which its staff may undo."""
    keep, drop = follow(tenant.cluster), follow(tenant.cluster)
    with scope(cluster=tenant.cluster):
        organisation_merge(actor=tenant.director, cluster=tenant.cluster, keep=keep, drop=drop)
    entry = AuditEntry.objects.get(cluster=tenant.cluster, action="organisation.merged")
    return {"org_id": keep.pk, "entry_id": entry.pk}


def _invoice_of(org: Any, tenant: Any) -> dict[str, Any]:
    membership = MembershipFactory(cluster=tenant.cluster, organisation=org, fee_amount=800)
    invoice = Invoice.objects.create(
        cluster=tenant.cluster,
        number=f"2026-{membership.pk:05d}",
        membership=membership,
        organisation=org,
        issued_on=datetime.date(2026, 1, 15),
        due_on=datetime.date(2026, 2, 14),
        amount=800,
        buyer_name=org.name,
    )
    return {"pk": invoice.pk}


def _invoice(tenant: Any) -> dict[str, Any]:
    return _invoice_of(follow(tenant.cluster), tenant)


def _member_invoice(tenant: Any) -> dict[str, Any]:
    org = follow(tenant.cluster)
    ContactFactory(cluster=tenant.cluster, organisation=org, user=tenant.people[Role.MEMBER])
    return _invoice_of(org, tenant)


def _import_check(tenant: Any) -> dict[str, Any]:
    job = Job.objects.create(
        cluster=tenant.cluster,
        user=tenant.director,
        kind="crm.import_check",
        label="Check",
        status=Job.Status.DONE,
        report={"filename": "orgs.csv", "mapping": [], "strict": False, "refused": False},
    )
    job.input_file.save("orgs.csv", ContentFile(b"Nom;Ville\nAcme;Lyon\n"), save=True)
    return {"pk": job.pk}


LEAK_CASES: dict[str, LeakCase] = {
    "members:organisation": LeakCase(_org),
    "members:organisation_edit": LeakCase(_org),
    "members:relationship_edit": LeakCase(_org),
    "members:membership_create": LeakCase(_org),
    "members:contact_create": LeakCase(_org),
    "members:interaction_create": LeakCase(_org),
    "members:membership_edit": LeakCase(
        _of_org(lambda c, o: MembershipFactory(cluster=c, organisation=o))
    ),
    "members:contact_edit": LeakCase(
        _of_org(lambda c, o: ContactFactory(cluster=c, organisation=o))
    ),
    "members:contact_action": LeakCase(
        _of_org(lambda c, o: ContactFactory(cluster=c, organisation=o), action="export")
    ),
    "members:interaction_edit": LeakCase(
        _of_org(lambda c, o: Interaction.objects.create(cluster=c, organisation=o, subject="RDV"))
    ),
    "members:import_confirm": LeakCase(_import_check, method="post"),
    "members:merge_undo": LeakCase(_merge, method="post"),
    "members:import_mapping": LeakCase(_import_check, method="post"),
    "members:import_mapping_delete": LeakCase(
        lambda t: {
            "pk": ImportMapping.objects.create(cluster=t.cluster, name="Annuaire", columns={}).pk
        },
        method="post",
    ),
    "portal:organisation": LeakCase(_member_org, viewer=Role.MEMBER),
    "portal:invoice_pdf": LeakCase(_member_invoice, viewer=Role.MEMBER),
    "members:invoice_pdf": LeakCase(_invoice, viewer=Role.FINANCE),
    "members:credit_note": LeakCase(_invoice, viewer=Role.FINANCE, method="post"),
    "backoffice:domain_edit": LeakCase(lambda t: {"pk": DomainFactory(cluster=t.cluster).pk}),
    "backoffice:theme_edit": LeakCase(lambda t: {"pk": ThemeFactory(cluster=t.cluster).pk}),
    "backoffice:team_member": LeakCase(lambda t: {"user_id": t.people[Role.EXPERT].pk}),
    "backoffice:invitation_revoke": LeakCase(_invitation, method="post"),
    "backoffice:job": LeakCase(_job),
    "backoffice:job_download": LeakCase(_job),
    # Not a tenant object but a person's own: another person's token is just as unknown.
    "accounts:token_revoke": LeakCase(_token, method="post"),
}

NOT_TENANT_ROUTES: dict[str, str] = {
    "api-v1:results_cluster_records": "an indicator's name; the cluster comes from the slug",
    "api-v1:results_region_indicators": "a region: its funders only, 404 for anyone else",
    "dashboards:drill_down": "an indicator's name; the cluster comes from the slug",
    "region_dashboard": "a region: its funders only, 404 for anyone else",
    "members:renewals": "a year, not an object; the cluster comes from the slug",
    "directory": "the public directory: consenting members only, for everyone",
    "region": "public facts of a region, shown to everyone",
    "accounts:password_reset_confirm": "a signed, expiring password-reset token",
    "accounts:invitation": "a signed, expiring invitation token",
    "admin:*": "Django's admin, for superusers only",
    "label_verify": "an unguessable verification code printed on the certificate",
}

from tests.api.crm_leak_cases import LEAK_CASES as _API_CRM  # noqa: E402

LEAK_CASES.update(_API_CRM)

from tests.projects.leak_cases_portal import LEAK_CASES as _PROJECTS_PORTAL  # noqa: E402

LEAK_CASES.update(_PROJECTS_PORTAL)

from tests.api.projects_leak_cases import LEAK_CASES as _API_PROJECTS  # noqa: E402

LEAK_CASES.update(_API_PROJECTS)

from tests.projects.leak_cases_staff import LEAK_CASES as _PROJECTS_STAFF  # noqa: E402

LEAK_CASES.update(_PROJECTS_STAFF)

from tests.results.leak_cases_outcomes import LEAK_CASES as _OUTCOMES  # noqa: E402

LEAK_CASES.update(_OUTCOMES)

from tests.projects.leak_cases_documents import LEAK_CASES as _PROJECT_DOCS  # noqa: E402

LEAK_CASES.update(_PROJECT_DOCS)

from tests.events.leak_cases import LEAK_CASES as _EVENTS  # noqa: E402

LEAK_CASES.update(_EVENTS)
NOT_TENANT_ROUTES.update(
    {
        "public_events:event": "a public event's page, for everyone; tests/events/test_public.py",
        "public_events:cancel": "a signed cancel code, sent to the registrant only",
    }
)

from tests.brokerage.leak_cases import LEAK_CASES as _BROKERAGE  # noqa: E402

LEAK_CASES.update(_BROKERAGE)
NOT_TENANT_ROUTES.update(
    {
        "participant_space:*": (
            "a participant's signed personal code, not a login; tests/brokerage/test_space.py"
        ),
    }
)
from tests.support.leak_cases import LEAK_CASES as _SUPPORT  # noqa: E402

LEAK_CASES.update(_SUPPORT)

from tests.support.api_leak_cases import LEAK_CASES as _API_SUPPORT  # noqa: E402

LEAK_CASES.update(_API_SUPPORT)
from tests.projects.leak_cases_committee import LEAK_CASES as _COMMITTEE  # noqa: E402

LEAK_CASES.update(_COMMITTEE)
from tests.facilities.leak_cases import LEAK_CASES as _FACILITIES  # noqa: E402

LEAK_CASES.update(_FACILITIES)
