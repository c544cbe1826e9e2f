"""Writes about a cluster: its facts and its taxonomy of domains and themes."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.models import Cluster, TaxonomyTerm

CLUSTER_FIELDS = (
    "name",
    "kind",
    "sector",
    "seat_city",
    "founded_year",
    "website",
    "description",
    "state_label",
    "two_factor_required",
    "legal_name",
    "siret",
    "vat_number",
    "billing_address",
    "iban",
    "bic",
    "vat_exemption",
)
TERM_FIELDS = ("name", "name_en", "position")


@transaction.atomic
def cluster_update(*, actor: Any, cluster: Cluster, **values: Any) -> Cluster:
    unknown = set(values) - set(CLUSTER_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    before = audit_snapshot(cluster, CLUSTER_FIELDS)
    for name, value in values.items():
        setattr(cluster, name, value)
    cluster.full_clean()
    cluster.save()
    after = audit_snapshot(cluster, CLUSTER_FIELDS)
    if before != after:
        audit_record(actor=actor, action="cluster.updated", obj=cluster, before=before, after=after)
    return cluster


@transaction.atomic
def taxonomy_term_save(*, actor: Any, term: TaxonomyTerm, **values: Any) -> TaxonomyTerm:
    """Create (unsaved ``term``) or update a domain or theme of the cluster."""
    creating = term.pk is None
    before = None if creating else audit_snapshot(term, TERM_FIELDS)
    for name, value in values.items():
        setattr(term, name, value)
    term.full_clean()
    term.save()
    kind = term._meta.model_name
    after = audit_snapshot(term, TERM_FIELDS)
    if before != after:
        action = f"{kind}.created" if creating else f"{kind}.updated"
        audit_record(actor=actor, action=action, obj=term, before=before, after=after)
    return term
