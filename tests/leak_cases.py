"""The routes that take an object identifier, and how to make such an object in a cluster.

Every URL pattern and API route with a parameter other than ``cluster_slug`` must appear
here, either in LEAK_CASES (the generic leak test then checks that a person of cluster A
gets 404 for cluster B's object, and not for cluster A's own) or in NOT_TENANT_ROUTES with
the reason its parameter is not a tenant object. New domains add their routes here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from clusterdesk.accounts.models import Invitation
from clusterdesk.accounts.services import api_token_create
from clusterdesk.core.roles import Role
from clusterdesk.jobs.models import Job
from tests.factories import DomainFactory, ThemeFactory


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


LEAK_CASES: dict[str, LeakCase] = {
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
    "region": "public facts of a region, shown to everyone",
    "accounts:password_reset_confirm": "a signed, expiring password-reset token",
    "accounts:invitation": "a signed, expiring invitation token",
    "admin:*": "Django's admin, for superusers only",
}
