"""Named-permission predicates about a cluster; the object passed is always the Cluster.

A user's roles are read once per request and cached on the user object (see
``core.selectors.user_roles``). The permissions on the core models are declared at the end:
the models sit below this module (the predicates read their rows), so they cannot name the
predicates in their ``Meta``.
"""

from __future__ import annotations

from typing import Any

import rules

from clusterdesk.core.roles import STAFF_ROLES, Role
from clusterdesk.core.selectors import user_funded_region_ids, user_roles


def _roles(user: Any, cluster: Any) -> frozenset[str]:
    if cluster is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    return user_roles(user, cluster)


def has_role(*roles: str) -> rules.Predicate:
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_role({','.join(sorted(wanted))})")
    def predicate(user: Any, cluster: Any) -> bool:
        return bool(_roles(user, cluster) & wanted)

    return predicate


@rules.predicate
def is_region_funder(user: Any, cluster: Any) -> bool:
    if cluster is None or not getattr(user, "is_authenticated", False):
        return False
    return cluster.region_id in user_funded_region_ids(user)


is_director = has_role(Role.DIRECTOR)
is_staff = has_role(*STAFF_ROLES)
is_project_staff = has_role(Role.DIRECTOR, Role.PROJECT_MANAGER)
is_event_staff = has_role(Role.DIRECTOR, Role.EVENT_MANAGER)
is_facility_staff = has_role(Role.DIRECTOR, Role.FACILITY_MANAGER)
is_finance_staff = has_role(Role.DIRECTOR, Role.FINANCE)
is_expert = has_role(Role.EXPERT)
is_committee_member = has_role(Role.COMMITTEE_MEMBER)
is_member = has_role(Role.MEMBER)
has_any_role = has_role(*Role.values)
# Opening the cluster at all (the tenant scope): anyone with a role, or its region's funder.
can_read_cluster = has_any_role | is_region_funder
# The back office: everyone but the members, who have the portal.
can_use_backoffice = has_role(*(set(Role.values) - {Role.MEMBER})) | is_region_funder

for _name, _predicate in {
    "core.view_cluster": can_read_cluster,
    "core.view_backoffice_cluster": can_use_backoffice,
    "core.change_cluster": is_director,
    "core.manage_team_cluster": is_director,
    "core.view_audit_cluster": is_staff,
    "core.view_jobs_cluster": is_staff,
    "core.change_clusterrole": is_director,
    "core.delete_clusterrole": is_director,
}.items():
    rules.add_perm(_name, _predicate)
