"""Reads: what each bulk action of the CRM would do, for its confirmation step.

The renewal campaign's services (``crm.services.memberships``) select their memberships
with the querysets below, so that the count the confirmation shows is the count the
service then acts on. A merge's preview (``merge_preview``) counts every link of the
dropped organisation per kind and per cluster, as ``organisation_merge`` moves them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django_scopes import scopes_disabled

from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Membership, Organisation
from clusterdesk.crm.selectors import fee_for

EXAMPLES = 5


@dataclass(frozen=True)
class BulkPreview:
    """How many records a bulk action changes, how many e-mails it sends, a few names."""

    count: int
    emails: int = 0
    examples: tuple[str, ...] = ()


def memberships_to_renew(*, cluster: Cluster, year: int) -> QuerySet[Membership]:
    """Last year's active memberships whose organisation has none for ``year`` yet."""
    already = Membership.objects.filter(cluster=cluster, year=year).values("organisation_id")
    return (
        Membership.objects.filter(cluster=cluster, year=year - 1, status=Membership.Status.ACTIVE)
        .exclude(organisation_id__in=already)
        .select_related("organisation", "category", "representative")
        .order_by("organisation__name", "pk")
    )


def memberships_to_call(*, cluster: Cluster, year: int) -> QuerySet[Membership]:
    """The year's active memberships whose fee is not called yet."""
    return (
        Membership.objects.filter(
            cluster=cluster, year=year, status=Membership.Status.ACTIVE, fee_called_on=None
        )
        .select_related("organisation", "category", "representative")
        .order_by("organisation__name", "pk")
    )


def memberships_unpaid(*, cluster: Cluster, year: int) -> QuerySet[Membership]:
    """The year's active memberships whose called fee is not paid (reminded, then lapsed)."""
    return (
        Membership.objects.filter(
            cluster=cluster, year=year, status=Membership.Status.ACTIVE, fee_paid_on=None
        )
        .exclude(fee_called_on=None)
        .select_related("organisation", "representative")
        .order_by("organisation__name", "pk")
    )


def _mailed(membership: Membership) -> bool:
    person = membership.representative
    return bool(person is not None and person.email and person.anonymised_at is None)


def _preview(memberships: list[Membership], mail: bool) -> BulkPreview:
    return BulkPreview(
        count=len(memberships),
        emails=sum(1 for m in memberships if _mailed(m)) if mail else 0,
        examples=tuple(str(m.organisation) for m in memberships[:EXAMPLES]),
    )


def renewal_preview(*, cluster: Cluster, year: int, action: str) -> BulkPreview:
    """What ``action`` (renew, call, remind, lapse) of the year's campaign would do."""
    if action == "renew":
        return _preview(list(memberships_to_renew(cluster=cluster, year=year)), mail=False)
    if action == "call":
        callable_ = [
            m
            for m in memberships_to_call(cluster=cluster, year=year)
            if m.fee_amount is not None
            or fee_for(category=m.category, organisation=m.organisation) is not None
        ]
        return _preview(callable_, mail=True)
    if action == "remind":
        return _preview(list(memberships_unpaid(cluster=cluster, year=year)), mail=True)
    if action == "lapse":
        return _preview(list(memberships_unpaid(cluster=cluster, year=year)), mail=False)
    raise ValueError(action)


# -- merges -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeLine:
    """``count`` links of one kind (``label``, the model's plural name) in one cluster."""

    label: str
    cluster: str
    count: int


def merge_preview(*, drop: Organisation) -> list[MergeLine]:
    """Every link of ``drop`` that a merge moves, counted per kind and per cluster."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    # Unscoped on purpose: the organisation is shared, its links in every cluster move.
    with scopes_disabled():
        names = dict(Cluster.objects.values_list("pk", "name"))
        for rel in Organisation._meta.related_objects:
            if not (rel.one_to_many or rel.one_to_one):
                continue
            model = rel.related_model
            fk = rel.field
            label = str(model._meta.verbose_name_plural)
            rows = model._base_manager.filter(**{fk.name: drop})
            if any(f.name == "cluster" for f in model._meta.fields):
                for cluster_id in rows.values_list("cluster_id", flat=True):
                    counts[(label, names.get(cluster_id, ""))] += 1
            else:
                n = rows.count()
                if n:
                    counts[(label, "")] += n
    return [MergeLine(label, cluster, n) for (label, cluster), n in sorted(counts.items())]
