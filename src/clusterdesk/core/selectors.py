"""Reads about regions and clusters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from clusterdesk.core.models import Cluster, Domain, Region, Theme
from clusterdesk.core.roles import STAFF_ROLES


@dataclass(frozen=True)
class ClusterFacts:
    cluster: Cluster
    domains: list[Domain]
    themes: list[Theme]
    team_size: int
    experts: int


def cluster_facts(*, cluster: Cluster) -> ClusterFacts:
    """What the cluster home shows; needs the cluster's scope."""
    from clusterdesk.accounts.models import ClusterRole

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


def region_summary(*, region: Region) -> dict[str, Any]:
    clusters = region_clusters(region=region)
    by_label = {
        row["state_label"]: row["n"]
        for row in clusters.values("state_label").annotate(n=Count("id")).order_by()
    }
    return {
        "clusters": clusters.count(),
        "poles": clusters.filter(kind=Cluster.Kind.POLE).count(),
        "by_label": [(Cluster.StateLabel(k).label, by_label[k]) for k in sorted(by_label)],
    }
