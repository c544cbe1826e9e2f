"""The columns of the organisation export, computed from the filtered list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Membership, Relationship
from clusterdesk.crm.selectors import OrganisationFilter, organisation_list

BATCH = 1000


def organisation_rows(
    *, cluster: Cluster, filters: OrganisationFilter
) -> tuple[list[str], Iterator[list[Any]]]:
    headers = [
        _("Name"),
        _("Usual name"),
        _("Kind"),
        _("SME"),
        "SIREN",
        "SIRET",
        _("VAT"),
        "ROR",
        _("Foreign id"),
        _("Creation year"),
        _("Headcount"),
        _("Turnover"),
        _("Street"),
        _("Postal code"),
        _("City"),
        _("Département"),
        _("Country"),
        _("Website"),
        _("Domains"),
        _("Themes"),
        _("Markets"),
        _("Membership status"),
        _("Membership year"),
        _("Listed in the directory"),
    ]
    orgs = organisation_list(cluster=cluster, filters=filters)

    def rows() -> Iterator[list[Any]]:
        # One query per batch for tags and memberships, however many organisations.
        ids: list[int] = []
        batch = []
        for org in orgs.iterator(chunk_size=BATCH):
            batch.append(org)
            ids.append(org.pk)
            if len(batch) == BATCH:
                yield from _rows(cluster, batch)
                batch = []
        if batch:
            yield from _rows(cluster, batch)

    return headers, rows()


def _rows(cluster: Cluster, orgs: list[Any]) -> Iterator[list[Any]]:
    relationships = {
        r.organisation_id: r
        for r in Relationship.objects.filter(
            cluster=cluster, organisation__in=orgs
        ).prefetch_related("domains", "themes", "markets")
    }
    latest: dict[int, Membership] = {}
    for membership in Membership.objects.filter(cluster=cluster, organisation__in=orgs).order_by(
        "year"
    ):
        latest[membership.organisation_id] = membership
    for org in orgs:
        rel = relationships.get(org.pk)
        m = latest.get(org.pk)
        yield [
            org.name,
            org.usual_name,
            org.get_kind_display(),
            org.is_sme,
            org.siren,
            org.siret,
            org.vat,
            org.ror,
            org.foreign_id,
            org.creation_year,
            org.get_headcount_band_display(),
            org.get_turnover_band_display(),
            org.street,
            org.postal_code,
            org.city,
            org.departement,
            org.country,
            org.website,
            [d.label for d in rel.domains.all()] if rel else [],
            [t.label for t in rel.themes.all()] if rel else [],
            [k.label for k in rel.markets.all()] if rel else [],
            m.get_status_display() if m else "",
            m.year if m else "",
            org.directory_consent,
        ]
