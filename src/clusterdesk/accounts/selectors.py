"""Reads about people: a cluster's team, its invitations, a person's tokens and second factor.

A person's roles and the clusters they may open are read by ``core.selectors``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clusterdesk.accounts.models import ApiToken, Invitation, User
from clusterdesk.core.models import Cluster, ClusterRole
from clusterdesk.core.roles import STAFF_ROLES


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


def two_factor_required_for(user: Any) -> bool:
    """Whether the person must sign in with a second factor: the one rule, read by the
    middleware that enforces it and by the profile page.

    Required of the staff of a cluster that requires it (``Cluster.two_factor_required``) and
    of the funders of a region where one of the clusters requires it; one query.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    staff = Q(
        cluster_roles__role__in=STAFF_ROLES,
        cluster_roles__cluster__two_factor_required=True,
    )
    funder = Q(funder_accesses__region__clusters__two_factor_required=True)
    return User.objects.filter(pk=user.pk).filter(staff | funder).exists()


def two_factor_device(*, user: Any, confirmed: bool = True) -> TOTPDevice | None:
    """The person's authenticator device (confirmed, or the one waiting to be confirmed)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()


def recovery_codes_left(*, user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
