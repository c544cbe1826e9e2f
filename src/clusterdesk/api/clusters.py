"""Clusters the caller may read."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from clusterdesk.core.models import Cluster, Domain, Theme
from clusterdesk.core.selectors import user_clusters

router = Router(tags=["clusters"])


class TermOut(Schema):
    id: int
    name: str
    name_en: str


class ClusterOut(Schema):
    slug: str
    name: str
    kind: str
    region: str
    sector: str
    seat_city: str
    founded_year: int | None
    website: str
    state_label: str

    @staticmethod
    def resolve_region(obj: Cluster) -> str:
        return obj.region.name


class ClusterDetailOut(ClusterOut):
    description: str
    domains: list[TermOut]
    themes: list[TermOut]

    @staticmethod
    def resolve_domains(obj: Cluster) -> list[Domain]:
        return list(Domain.objects.filter(cluster=obj))

    @staticmethod
    def resolve_themes(obj: Cluster) -> list[Theme]:
        return list(Theme.objects.filter(cluster=obj))


@router.get("/clusters", response=list[ClusterOut], summary="The clusters you may read")
def cluster_list(request: HttpRequest) -> list[Cluster]:
    return list(user_clusters(request.user).order_by("name"))


@router.get("/clusters/{cluster_slug}", response=ClusterDetailOut, summary="One cluster")
def cluster_detail(request: HttpRequest, cluster_slug: str) -> Cluster:
    # The tenant middleware has checked access and opened the cluster's scope.
    return request.cluster  # type: ignore[attr-defined]
