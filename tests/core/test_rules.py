from __future__ import annotations

import pytest

from clusterdesk.core.roles import STAFF_ROLES, Role
from tests.conftest import Tenant

PERMISSIONS = {
    "core.view_cluster": set(Role.values),
    "core.view_backoffice_cluster": set(Role.values) - {Role.MEMBER},
    "core.change_cluster": {Role.DIRECTOR},
    "core.manage_team_cluster": {Role.DIRECTOR},
    "core.view_audit_cluster": set(STAFF_ROLES),
    "core.view_jobs_cluster": set(STAFF_ROLES),
}


@pytest.mark.parametrize("perm", sorted(PERMISSIONS))
@pytest.mark.parametrize("role", Role.values)
def test_role_permissions_on_own_cluster(perm: str, role: str, tenant_a: Tenant) -> None:
    user = tenant_a.people[role]
    assert user.has_perm(perm, tenant_a.cluster) is (role in PERMISSIONS[perm])


@pytest.mark.parametrize("perm", sorted(PERMISSIONS))
def test_roles_give_nothing_on_another_cluster(
    perm: str, tenant_a: Tenant, tenant_b: Tenant
) -> None:
    for user in tenant_a.people.values():
        assert not user.has_perm(perm, tenant_b.cluster)


def test_region_funder_only_reads(tenant_a: Tenant, region_funder: object) -> None:
    user = region_funder
    readable = {"core.view_cluster", "core.view_backoffice_cluster"}
    for perm in readable:
        assert user.has_perm(perm, tenant_a.cluster)  # type: ignore[attr-defined]
    for perm in set(PERMISSIONS) - readable:
        assert not user.has_perm(perm, tenant_a.cluster)  # type: ignore[attr-defined]


def test_person_with_roles_in_two_clusters_holds_each_separately(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    from django_scopes import scopes_disabled

    from tests.factories import grant

    pm = tenant_a.people[Role.PROJECT_MANAGER]
    with scopes_disabled():
        grant(pm, tenant_b.cluster, Role.DIRECTOR)
    from clusterdesk.core.selectors import forget_cached_roles

    forget_cached_roles(pm)
    assert pm.has_perm("core.manage_team_cluster", tenant_b.cluster)
    assert not pm.has_perm("core.manage_team_cluster", tenant_a.cluster)
