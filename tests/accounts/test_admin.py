"""Superusers repair roles, tokens and second factors in Django's admin: audited too."""

from __future__ import annotations

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.models import ClusterRole
from clusterdesk.core.roles import Role
from tests.conftest import Tenant, client_for
from tests.factories import UserFactory


def test_admin_role_grant_and_removal_are_audited(tenant_a: Tenant) -> None:
    root = UserFactory(is_superuser=True, is_staff=True)
    newcomer = UserFactory()
    client = client_for(root)
    added = client.post(
        reverse("admin:core_clusterrole_add"),
        {
            "cluster": tenant_a.cluster.pk,
            "user": newcomer.pk,
            "role": Role.DIRECTOR,
            "granted_at_0": "2026-03-02",
            "granted_at_1": "09:00:00",
        },
    )
    assert added.status_code == 302
    with scopes_disabled():
        role = ClusterRole.objects.get(user=newcomer)
        created = AuditEntry.objects.get(action="admin.clusterrole_created")
    assert created.cluster == tenant_a.cluster and created.actor == root
    assert created.after["role"] == Role.DIRECTOR

    client.post(
        reverse("admin:core_clusterrole_changelist"),
        {"action": "delete_selected", "_selected_action": [role.pk], "post": "yes"},
    )
    with scopes_disabled():
        assert not ClusterRole.objects.filter(user=newcomer).exists()
        deleted = AuditEntry.objects.get(action="admin.clusterrole_deleted")
    assert deleted.object_id == str(role.pk)


def test_admin_removing_a_lost_phone_is_audited(db: None) -> None:
    root = UserFactory(is_superuser=True, is_staff=True)
    person = UserFactory()
    device = TOTPDevice.objects.create(user=person, name="authenticator", confirmed=True)
    response = client_for(root).post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="admin.totpdevice_deleted")
    assert entry.actor == root and entry.object_id == str(device.pk)
