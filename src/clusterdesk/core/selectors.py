"""Reads about regions, clusters and the roles people hold in them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import ngettext

from clusterdesk.core.models import (
    Cluster,
    ClusterRole,
    Domain,
    Region,
    RegionFunderAccess,
    Theme,
)
from clusterdesk.core.roles import STAFF_ROLES, Role


@dataclass(frozen=True)
class ClusterFacts:
    cluster: Cluster
    domains: list[Domain]
    themes: list[Theme]
    team_size: int
    experts: int


def cluster_facts(*, cluster: Cluster) -> ClusterFacts:
    """What the cluster home shows; needs the cluster's scope."""
    roles = ClusterRole.objects.filter(cluster=cluster)
    return ClusterFacts(
        cluster=cluster,
        domains=list(Domain.objects.filter(cluster=cluster)),
        themes=list(Theme.objects.filter(cluster=cluster)),
        team_size=roles.filter(role__in=STAFF_ROLES).values("user").distinct().count(),
        experts=roles.filter(role="expert").count(),
    )


def region_list() -> QuerySet[Region]:
    return Region.objects.annotate(cluster_count=Count("clusters")).order_by("name")


def region_clusters(*, region: Region) -> QuerySet[Cluster]:
    return Cluster.objects.filter(region=region).order_by("name")


def _label_count(state_label: str, n: int) -> str:
    """ "12 labelled for 4 years": the words agree with the count (literal ngettext calls
    for the catalogue)."""
    forms = {
        "4y": ngettext("cluster labelled for 4 years", "clusters labelled for 4 years", n),
        "2y": ngettext(
            "cluster labelled for 2 years (probation)",
            "clusters labelled for 2 years (probation)",
            n,
        ),
        "new": ngettext("newly labelled cluster", "newly labelled clusters", n),
        "none": ngettext(
            "cluster not labelled by the State", "clusters not labelled by the State", n
        ),
    }
    return forms.get(state_label, str(Cluster.StateLabel(state_label).label))


def region_summary(*, region: Region) -> dict[str, Any]:
    clusters = region_clusters(region=region)
    by_label = {
        row["state_label"]: row["n"]
        for row in clusters.values("state_label").annotate(n=Count("id")).order_by()
    }
    return {
        "clusters": clusters.count(),
        "poles": clusters.filter(kind=Cluster.Kind.POLE).count(),
        "by_label": [(_label_count(k, by_label[k]), by_label[k]) for k in sorted(by_label)],
    }


# -- a person's roles: how a scope gets chosen and what the predicates read ----------------


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
    return [(c, sorted(str(Role(r).label) for r in roles[c.pk])) for c in clusters]


def user_audience(user: Any, cluster: Cluster | None) -> str:
    """Who the person is to a cluster, for the words a page speaks to them (a refusal says
    what to do next): ``staff`` (the cluster's team), ``reviewer`` (an expert or committee
    member), ``member`` (the portal), ``funder`` (the region's funder without a role here),
    else ``visitor``. With no cluster, the person's roles anywhere decide."""
    if not getattr(user, "is_authenticated", False):
        return "visitor"
    if cluster is not None:
        roles = user_roles(user, cluster)
        funder = cluster.region_id in user_funded_region_ids(user)
    else:
        roles = frozenset().union(*_role_map(user).values())
        funder = bool(user_funded_region_ids(user))
    if roles & STAFF_ROLES:
        return "staff"
    if roles & {Role.EXPERT, Role.COMMITTEE_MEMBER}:
        return "reviewer"
    if roles & {Role.MEMBER}:
        return "member"
    return "funder" if funder else "visitor"
