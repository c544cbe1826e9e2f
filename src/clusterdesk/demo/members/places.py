"""Where a cluster's members are and in what trade."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from clusterdesk.core.models import Cluster
from clusterdesk.crm.geography import REGIONS, departement_of_postal_code
from clusterdesk.demo import names
from clusterdesk.demo.members.organisations import Place

if TYPE_CHECKING:
    from random import Random


def weighted_places(
    places: Sequence[tuple[str, str, int]], seat: str
) -> tuple[list[Place], list[float]]:
    """The region's places, weighted, six times more around the cluster's seat."""
    seat_dep = next((departement_of_postal_code(p) for c, p, _w in places if c == seat), None)
    weights = [
        w * (6.0 if departement_of_postal_code(p) == seat_dep else 1.0) for _c, p, w in places
    ]
    return [(c, p) for c, p, _w in places], weights


def cluster_places(rng: Random, cluster: Cluster) -> tuple[str, tuple[list[Place], list[float]]]:
    """(INSEE region code, weighted places) where a cluster's members are."""
    by_name = {name: code for code, name in REGIONS.items()}
    code = by_name.get(cluster.region.name, "")
    if code == "84":
        return code, weighted_places(names.REGION_PLACES, cluster.seat_city)
    if code not in names.OTHER_PLACES:
        # The national list often leaves the region out: place the cluster somewhere.
        code = rng.choice(sorted(names.OTHER_PLACES))
    places = list(names.OTHER_PLACES[code])
    return code, (places, [1.0] * len(places))


def cluster_profiles(rng: Random, cluster: Cluster) -> list[names.Profile]:
    """The trades of a cluster's companies, from its sector, else from its name."""
    for text in (cluster.sector.lower(), cluster.name.lower()):
        for word, key in names.SECTOR_WORDS:
            if word in text:
                if key == "santé":
                    return list(names.HEALTH_PROFILES)
                return [names.SECTOR_PROFILES[key]]
    return [rng.choice(list(names.SECTOR_PROFILES.values()))]
