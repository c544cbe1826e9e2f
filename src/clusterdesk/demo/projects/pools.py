"""The organisations a cluster draws its consortia from."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING

from clusterdesk.core.models import Cluster
from clusterdesk.crm.kinds import SME_KINDS
from clusterdesk.crm.kinds import OrganisationKind as Kind
from clusterdesk.crm.models import Relationship
from clusterdesk.crm.sme import sme_from_bands
from clusterdesk.demo.projects.figures import FOUNDED
from clusterdesk.projects.selectors.applications import RESEARCH_KINDS

if TYPE_CHECKING:
    from random import Random


@dataclass(frozen=True)
class PoolOrg:
    pk: int
    name: str
    kind: str
    sme: bool
    research: bool
    company: bool
    joined: int
    created: int
    domains: tuple[int, ...] = ()


class Pool:
    """A cluster's organisations (its CRM relationships), weighted per year: those that
    were members by then count fully, those that joined later (the project brought them
    in) a fifth; an organisation created after the year is left out."""

    def __init__(self, orgs: list[PoolOrg]) -> None:
        self.orgs = orgs
        self.years: dict[int, dict[str, tuple[list[PoolOrg], list[float]]]] = {}

    def year(self, year: int) -> dict[str, tuple[list[PoolOrg], list[float]]]:
        if year not in self.years:
            groups: dict[str, list[tuple[PoolOrg, float]]] = defaultdict(list)
            for o in self.orgs:
                if o.created > year:
                    continue
                weight = 1.0 if o.joined <= year else 0.2
                if o.sme:
                    groups["sme"].append((o, weight))
                if o.research:
                    groups["research"].append((o, weight))
                if o.company:
                    groups["company"].append((o, weight))
                    if not o.sme:
                        groups["large"].append((o, weight))
            self.years[year] = {
                name: ([o for o, _w in pairs], list(accumulate(w for _o, w in pairs)))
                for name, pairs in groups.items()
            }
        return self.years[year]

    def draw(self, rng: Random, year: int, group: str) -> PoolOrg | None:
        groups = self.year(year)
        fallback = "company" if group in ("sme", "large") else "sme"
        orgs, cumulative = groups.get(group) or groups.get(fallback) or ([], [])
        if not orgs:
            return None
        return rng.choices(orgs, cum_weights=cumulative)[0]


def consortium_pools(clusters: list[Cluster], health: Cluster) -> dict[int, Pool]:
    domains: dict[int, list[int]] = defaultdict(list)
    through = Relationship.domains.through
    for org_id, domain_id in (
        through.objects.filter(relationship__cluster=health)
        .order_by("relationship__organisation_id", "domain_id")
        .values_list("relationship__organisation_id", "domain_id")
    ):
        domains[org_id].append(domain_id)
    orgs: dict[int, list[PoolOrg]] = defaultdict(list)
    rows = (
        Relationship.objects.filter(cluster__in=clusters)
        .order_by("cluster_id", "organisation_id")
        .values_list(
            "cluster_id",
            "created_at",
            "organisation_id",
            "organisation__name",
            "organisation__kind",
            "organisation__creation_year",
            "organisation__headcount_band",
            "organisation__turnover_band",
            "organisation__sme_override",
        )
    )
    companies = {Kind.TPE, Kind.PME, Kind.STARTUP, Kind.ETI, Kind.LARGE_COMPANY}
    for cluster_id, created_at, pk, name, kind, creation, headcount, turnover, override in rows:
        sme = override
        if sme is None:
            sme = sme_from_bands(headcount or None, turnover or None)
        if sme is None:
            sme = kind in SME_KINDS
        orgs[cluster_id].append(
            PoolOrg(
                pk=pk,
                name=name,
                kind=kind,
                sme=bool(sme) and kind in companies,
                research=kind in RESEARCH_KINDS,
                company=kind in companies,
                joined=created_at.year,
                created=creation or FOUNDED,
                domains=tuple(domains.get(pk, ())) if cluster_id == health.pk else (),
            )
        )
    return {c.pk: Pool(orgs[c.pk]) for c in clusters}
