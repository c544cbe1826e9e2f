"""Reads about people: a cluster's team, its invitations, a person's tokens.

A person's roles and the clusters they may open are read by ``core.selectors``.
"""

from __future__ import annotations

from django.db.models import QuerySet

from clusterdesk.accounts.models import ApiToken, Invitation, User
from clusterdesk.core.models import Cluster, ClusterRole


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
