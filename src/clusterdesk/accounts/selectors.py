"""Reads about people: their roles, the clusters they may open, their tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from clusterdesk.accounts.models import ApiToken, ClusterRole, Invitation, RegionFunderAccess, User
from clusterdesk.core.models import Cluster


def _role_map(user: Any) -> dict[int, frozenset[str]]:
    # Cached on the user object, so one query per request however many checks a page makes.
    cached = getattr(user, "_clusterdesk_roles", None)
    if cached is None:
        # Filtered by the person, not by a cluster: this is how a scope gets chosen at all.
        rows = ClusterRole.objects.with_scopes_disabled().filter(user=user)
        by_cluster: dict[int, set[str]] = {}
        for cluster_id, role in rows.values_list("cluster_id", "role"):
            by_cluster.setdefault(cluster_id, set()).add(role)
        cached = {k: frozenset(v) for k, v in by_cluster.items()}
        user._clusterdesk_roles = cached
    return cached


def user_roles(user: Any, cluster: Cluster) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return _role_map(user).get(cluster.pk, frozenset())


def user_funded_region_ids(user: Any) -> frozenset[int]:
    """Ids of the regions the person funds (none for a visitor who has not signed in)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_clusterdesk_funded_regions", None)
    if cached is None:
        cached = frozenset(
            RegionFunderAccess.objects.filter(user=user).values_list("region_id", flat=True)
        )
        user._clusterdesk_funded_regions = cached
    return cached


def forget_cached_roles(user: Any) -> None:
    for attr in ("_clusterdesk_roles", "_clusterdesk_funded_regions"):
        if hasattr(user, attr):
            delattr(user, attr)


def user_cluster_ids(user: Any) -> frozenset[int]:
    """Ids of every cluster the person may open: by a role or through a funded region."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    ids = set(_role_map(user))
    regions = user_funded_region_ids(user)
    if regions:
        ids.update(Cluster.objects.filter(region_id__in=regions).values_list("pk", flat=True))
    return frozenset(ids)


def user_clusters(user: Any) -> QuerySet[Cluster]:
    return Cluster.objects.filter(pk__in=user_cluster_ids(user)).select_related("region")


def user_role_clusters(user: Any) -> list[tuple[Cluster, list[str]]]:
    """The clusters where the person holds roles, with the role labels (for the switcher)."""
    roles = _role_map(user) if getattr(user, "is_authenticated", False) else {}
    clusters = Cluster.objects.filter(pk__in=roles).order_by("name")
    from clusterdesk.core.roles import Role

    return [(c, sorted(str(Role(r).label) for r in roles[c.pk])) for c in clusters]


def cluster_team(*, cluster: Cluster) -> list[tuple[User, list[ClusterRole]]]:
    """Everyone holding a role in the cluster, with their roles (current scope required)."""
    people: dict[int, tuple[User, list[ClusterRole]]] = {}
    rows = ClusterRole.objects.filter(cluster=cluster).select_related("user")
    for row in rows.order_by("user__full_name", "user__email", "role"):
        people.setdefault(row.user_id, (row.user, []))[1].append(row)
    return list(people.values())


def cluster_pending_invitations(*, cluster: Cluster) -> list[Invitation]:
    return [i for i in Invitation.objects.filter(cluster=cluster, accepted_at=None) if i.is_pending]


def user_api_tokens(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at=None)
