from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from clusterdesk.accounts.models import Invitation
from clusterdesk.accounts.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    invitation_accept,
    invitation_create,
    invitation_from_token,
    invitation_revoke,
    invitation_token,
    team_member_set_roles,
    user_create,
)
from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.models import ClusterRole
from clusterdesk.core.roles import Role
from tests.conftest import Tenant
from tests.factories import UserFactory


def _roles(tenant: Tenant, user: object) -> list[str]:
    with scopes_disabled():
        qs = ClusterRole.objects.filter(cluster=tenant.cluster, user=user)
        return sorted(qs.values_list("role", flat=True))


def test_user_create_rejects_weak_password(db: None) -> None:
    with pytest.raises(ValidationError):
        user_create(email="a@example.org", password="123", full_name="A")


def test_user_create_refuses_existing_email_in_any_case(db: None) -> None:
    user_create(email="Ada@Example.org", password="Long-enough-42", full_name="Ada")
    with pytest.raises(ValidationError):
        user_create(email="ada@example.ORG", password="Long-enough-42", full_name="Ada")


def test_set_roles_changes_roles_and_audits_before_after(tenant_a: Tenant) -> None:
    expert = tenant_a.people[Role.EXPERT]
    with scope(cluster=tenant_a.cluster):
        team_member_set_roles(
            actor=tenant_a.director,
            cluster=tenant_a.cluster,
            user=expert,
            roles=[Role.EXPERT, Role.COMMITTEE_MEMBER],
        )
        entry = AuditEntry.objects.get(action="team.roles_changed")
    assert _roles(tenant_a, expert) == [Role.COMMITTEE_MEMBER, Role.EXPERT]
    assert entry.before == {"roles": [Role.EXPERT]}
    assert entry.after == {"roles": [Role.COMMITTEE_MEMBER, Role.EXPERT]}
    assert entry.actor == tenant_a.director
    assert entry.cluster == tenant_a.cluster


def test_set_roles_to_nothing_removes_the_member(tenant_a: Tenant) -> None:
    finance = tenant_a.people[Role.FINANCE]
    with scope(cluster=tenant_a.cluster):
        team_member_set_roles(
            actor=tenant_a.director, cluster=tenant_a.cluster, user=finance, roles=[]
        )
        assert AuditEntry.objects.filter(action="team.member_removed").count() == 1
    assert _roles(tenant_a, finance) == []
    assert not finance.has_perm("core.view_cluster", tenant_a.cluster)


def test_last_director_cannot_be_removed_and_nothing_changes(tenant_a: Tenant) -> None:
    with scope(cluster=tenant_a.cluster), pytest.raises(ValidationError):
        team_member_set_roles(
            actor=tenant_a.director,
            cluster=tenant_a.cluster,
            user=tenant_a.director,
            roles=[Role.FINANCE],
        )
    assert _roles(tenant_a, tenant_a.director) == [Role.DIRECTOR]
    with scopes_disabled():
        assert not AuditEntry.objects.filter(action__startswith="team.").exists()


def test_unknown_role_is_refused(tenant_a: Tenant) -> None:
    with scope(cluster=tenant_a.cluster), pytest.raises(ValidationError):
        team_member_set_roles(
            actor=tenant_a.director,
            cluster=tenant_a.cluster,
            user=tenant_a.director,
            roles=[Role.DIRECTOR, "emperor"],
        )


def test_invitation_sends_email_on_commit_and_accept_grants_roles(
    tenant_a: Tenant, django_capture_on_commit_callbacks: object
) -> None:
    capture = django_capture_on_commit_callbacks(execute=True)  # type: ignore[operator]
    with scope(cluster=tenant_a.cluster), capture:
        invitation = invitation_create(
            actor=tenant_a.director,
            cluster=tenant_a.cluster,
            email="New.Person@Example.org",
            roles=[Role.EXPERT],
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert tenant_a.cluster.name in message.subject
    link = next(w for w in message.body.split() if "/accounts/invitation/" in w)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    found = invitation_from_token(token)
    assert found is not None and found.pk == invitation.pk

    newcomer = UserFactory(email="new.person@example.org")
    assert invitation_accept(invitation=found, user=newcomer) == [Role.EXPERT]
    assert newcomer.has_perm("core.view_cluster", tenant_a.cluster)
    # A used invitation cannot be used again.
    assert invitation_from_token(token) is None


def test_invitation_token_expires_and_revocation_invalidates(tenant_a: Tenant) -> None:
    with scope(cluster=tenant_a.cluster):
        invitation = invitation_create(
            actor=tenant_a.director,
            cluster=tenant_a.cluster,
            email="x@example.org",
            roles=[Role.FINANCE],
        )
        token = invitation_token(invitation)
        assert invitation_from_token(token + "x") is None
        invitation_revoke(actor=tenant_a.director, invitation=invitation)
    assert invitation_from_token(token) is None
    with scopes_disabled():
        Invitation.objects.filter(pk=invitation.pk).update(
            revoked_at=None, expires_at=timezone.now() - datetime.timedelta(days=1)
        )
    assert invitation_from_token(token) is None


def test_invitation_needs_a_role(tenant_a: Tenant) -> None:
    with scope(cluster=tenant_a.cluster), pytest.raises(ValidationError):
        invitation_create(
            actor=tenant_a.director, cluster=tenant_a.cluster, email="x@example.org", roles=[]
        )


def test_api_token_authenticates_until_revoked_or_expired(db: None) -> None:
    user = UserFactory()
    token, raw = api_token_create(user=user, name="script")
    assert raw.startswith("cd_")
    assert token.secret_hash not in raw  # only a hash is stored
    assert api_token_authenticate(raw) == user
    assert api_token_authenticate(raw[:-2] + "zz") is None
    assert api_token_authenticate("not-a-token") is None
    api_token_revoke(user=user, token=token)
    assert api_token_authenticate(raw) is None

    past = timezone.now() - datetime.timedelta(seconds=1)
    _expired, raw2 = api_token_create(user=user, name="old", expires_at=past)
    assert api_token_authenticate(raw2) is None


def test_api_token_of_inactive_person_is_refused(db: None) -> None:
    user = UserFactory()
    _token, raw = api_token_create(user=user, name="script")
    user.is_active = False
    user.save()
    assert api_token_authenticate(raw) is None


def test_api_token_revoke_refuses_another_persons_token(db: None) -> None:
    owner, other = UserFactory(), UserFactory()
    token, _raw = api_token_create(user=owner, name="script")
    with pytest.raises(ValidationError):
        api_token_revoke(user=other, token=token)
