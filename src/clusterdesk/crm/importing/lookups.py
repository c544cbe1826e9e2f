"""What the rows of an import are checked against, read once: the cluster's taxonomy and
membership categories, and the existing organisations by identifier and by name and city.
"""

from __future__ import annotations

import contextlib
from typing import Any

from rapidfuzz import fuzz, process

from clusterdesk.core.models import Cluster, Domain, Market, Theme
from clusterdesk.crm import identifiers
from clusterdesk.crm.importing.values import normalise
from clusterdesk.crm.models import MembershipCategory, Organisation
from clusterdesk.crm.selectors import organisations_by_identifier, organisations_followed


class Lookups:
    """What the rows are checked against, read once: the cluster's taxonomy and categories,
    and the existing organisations by identifier and by name and city."""

    def __init__(self, cluster: Cluster, rows: list[dict[str, str]]) -> None:
        self.terms = {
            "domains": _terms(Domain.objects.filter(cluster=cluster)),
            "themes": _terms(Theme.objects.filter(cluster=cluster)),
            "markets": _terms(Market.objects.filter(cluster=cluster)),
        }
        self.categories = _terms(MembershipCategory.objects.filter(cluster=cluster))
        self.by_identifier: dict[str, dict[str, Organisation]] = {}
        for name, clean in identifiers.CLEANERS.items():
            values = []
            for row in rows:
                with contextlib.suppress(identifiers.IdentifierError):
                    values.append(clean(row.get(name, "")) if row.get(name) else "")
            if name == "siren":  # a SIRET also names its SIREN
                for row in rows:
                    with contextlib.suppress(identifiers.IdentifierError, KeyError):
                        values.append(
                            identifiers.siren_of_siret(identifiers.clean_siret(row["siret"]))
                        )
            self.by_identifier[name] = organisations_by_identifier(name, values)
        followed = organisations_followed(cluster=cluster).only("id", "name", "city")
        self.by_name_city = {(normalise(o.name), normalise(o.city)): o for o in followed}

    def term(self, kind: str, label: str) -> Any:
        """The cluster's term a label names: same words, or a spelling so close it can
        only be that term ("Maladie infectieuse" for "Maladies infectieuses")."""
        terms = self.terms[kind]
        key = normalise(label)
        if key in terms or not terms:
            return terms.get(key)
        best = process.extractOne(key, list(terms), scorer=fuzz.ratio, score_cutoff=92)
        return terms[best[0]] if best else None


def _terms(qs: Any) -> dict[str, Any]:
    found = {}
    for term in qs:
        found[normalise(term.name)] = term
        if term.name_en:
            found.setdefault(normalise(term.name_en), term)
    return found
