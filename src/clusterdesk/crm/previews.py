"""Reads: what each bulk action of the CRM would do, for its confirmation step.

The renewal campaign's services (``crm.services.memberships``) select their memberships
with the querysets below, so that the count the confirmation shows is the count the
service then acts on. A merge's preview (``merge_preview``) counts every link of the
dropped organisation per kind and per cluster, as ``organisation_merge`` moves them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import IDENTIFIER_FIELDS, Membership, Organisation
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


def merge_fills(keep: Organisation, drop: Organisation, *, fields: Iterable[str]) -> list[str]:
    """The fields of ``keep`` a merge fills from ``drop``: empty in one, set in the other."""
    return [
        f for f in fields if getattr(keep, f) in ("", None) and getattr(drop, f) not in ("", None)
    ]


@dataclass(frozen=True)
class MergeLine:
    """``count`` links of one kind (``label``, the model's plural name) in one cluster;
    ``duplicates`` of them the kept record already has (the same year's membership, the
    same cluster's relationship): those do not move, they go with the dropped record (a
    relationship's tags are added to the kept one's)."""

    label: str
    cluster: str
    count: int
    duplicates: int = 0


def _unique_sets(model: Any, fk_name: str) -> list[tuple[str, ...]]:
    """The unique field sets of ``model`` that include its link ``fk_name``."""
    sets = [tuple(c.fields) for c in model._meta.total_unique_constraints]
    sets += [tuple(u) for u in model._meta.unique_together]
    return [s for s in sets if fk_name in s]


def _duplicates_keep(model: Any, fk_name: str, row: Any, keep: Organisation) -> bool:
    for fields in _unique_sets(model, fk_name):
        lookup: dict[str, Any] = {
            f: getattr(row, model._meta.get_field(f).attname) for f in fields if f != fk_name
        }
        if model._base_manager.filter(**lookup, **{fk_name: keep}).exists():
            return True
    return False


def merge_preview(*, keep: Organisation, drop: Organisation) -> list[MergeLine]:
    """Every link of ``drop`` that merging it into ``keep`` moves, counted per kind and per
    cluster, with those that duplicate a link of ``keep`` counted apart."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    # Unscoped on purpose: the organisation is shared, its links in every cluster move.
    with scopes_disabled():
        names = dict(Cluster.objects.values_list("pk", "name"))
        for rel in Organisation._meta.related_objects:
            if not (rel.one_to_many or rel.one_to_one):
                continue
            model, fk = rel.related_model, rel.field
            label = str(model._meta.verbose_name_plural)
            tenant = any(f.name == "cluster" for f in model._meta.fields)
            unique = bool(_unique_sets(model, fk.name))
            for row in model._base_manager.filter(**{fk.name: drop}):
                where = names.get(getattr(row, "cluster_id", 0), "") if tenant else ""
                line = counts[(label, where)]
                line[0] += 1
                if unique and _duplicates_keep(model, fk.name, row, keep):
                    line[1] += 1
    return [
        MergeLine(label, cluster, n, duplicates)
        for (label, cluster), (n, duplicates) in sorted(counts.items())
    ]


# -- undoing a merge --------------------------------------------------------------------

MERGED = "organisation.merged"
UNDONE = "organisation.merge_undone"


def _merge_entries(*, cluster: Cluster, organisation: Organisation) -> QuerySet[AuditEntry]:
    """The cluster's merges into ``organisation`` that recorded how to undo them."""
    content_type = ContentType.objects.get_for_model(Organisation)
    return (
        AuditEntry.objects.filter(
            cluster=cluster,
            action=MERGED,
            content_type=content_type,
            object_id=str(organisation.pk),
        )
        .filter(after__has_key="_undo")
        .select_related("actor")
    )


def merge_entry_of(
    *, cluster: Cluster, organisation: Organisation, entry_id: int
) -> AuditEntry | None:
    return _merge_entries(cluster=cluster, organisation=organisation).filter(pk=entry_id).first()


def merge_undo_problem(entry: AuditEntry) -> str:
    """Why the merge of ``entry`` can no longer be undone ("" if it can)."""
    if AuditEntry.objects.filter(
        cluster=entry.cluster, action=UNDONE, after__merge_entry=entry.pk
    ).exists():
        return _("This merge has already been undone.")
    undo = (entry.after or {})["_undo"]
    dropped = (entry.before or {})["dropped"]
    taken = Q(pk=undo["dropped_id"])
    for field in IDENTIFIER_FIELDS:
        # The kept record gives back what it took; anyone else holding it blocks the undo.
        if dropped.get(field):
            taken |= Q(**{field: dropped[field]}) & ~Q(pk=int(entry.object_id))
    if Organisation.objects.instance_wide().filter(taken).exists():
        return _("Another record has taken the merged record's number or identifiers.")
    return ""


@dataclass(frozen=True)
class UndoableMerge:
    entry: AuditEntry
    dropped_name: str
    moved: int


def merges_undoable(*, cluster: Cluster, organisation: Organisation) -> list[UndoableMerge]:
    """The cluster's merges into ``organisation`` that can still be undone, newest first."""
    found = []
    for entry in _merge_entries(cluster=cluster, organisation=organisation).order_by("-pk"):
        if merge_undo_problem(entry):
            continue
        found.append(
            UndoableMerge(
                entry=entry,
                dropped_name=str((entry.before or {})["dropped"].get("name", "")),
                moved=sum(len(m["pks"]) for m in (entry.after or {})["_undo"]["moved"].values()),
            )
        )
    return found
