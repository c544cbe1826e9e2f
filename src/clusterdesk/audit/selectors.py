"""Reading the audit log, per cluster, per object and per person.

Every front end (the log page, its filters, the cluster's home, the CSV export) reads a
cluster's log through ``audit_entries_readable``: the entries of the cluster and of the
shared records it follows, less those about objects the person may not read (see
``audit.visibility``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Model, Q, QuerySet
from django.db.models.functions import Cast

from clusterdesk.audit.models import AuditEntry
from clusterdesk.audit.visibility import shared_types, visibility_rules
from clusterdesk.core.models import Cluster


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    action: str = ""
    content_type_id: int | None = None
    object_id: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _content_type(model_label: str) -> ContentType:
    return ContentType.objects.get_for_model(apps.get_model(model_label), for_concrete_model=False)


def _as_object_ids(objects: QuerySet[Any]) -> QuerySet[Any]:
    """The objects' keys as the audit log stores them (text), for an ``IN`` subquery."""
    return (
        objects.order_by()
        .annotate(audit_object_id=Cast("pk", output_field=CharField()))
        .values("audit_object_id")
    )


def audit_entries_readable(*, cluster: Cluster, user: Any) -> QuerySet[AuditEntry]:
    """Every entry of the cluster's log that ``user`` may read.

    The cluster's own entries and those any cluster wrote about a shared record the cluster
    follows; an entry about an object of a registered type only if ``user`` may read the
    object. Callers have checked the cluster-level ``core.view_audit_cluster``.
    """
    mine = Q(cluster=cluster)
    for label, followed in shared_types().items():
        mine |= Q(
            content_type=_content_type(label), object_id__in=_as_object_ids(followed(cluster))
        )
    # Unscoped on purpose: the condition above names the cluster, and another cluster's
    # entries come in only about a shared record this cluster follows.
    qs = AuditEntry.objects.with_scopes_disabled().filter(mine)
    rules = visibility_rules()
    if rules:
        types = {label: _content_type(label).pk for label in rules}
        allowed = ~Q(content_type_id__in=list(types.values()))
        for label, visible in rules.items():
            allowed |= Q(
                content_type_id=types[label],
                object_id__in=_as_object_ids(visible(user, cluster)),
            )
        qs = qs.filter(allowed)
    return qs


def audit_entries(
    *, cluster: Cluster, user: Any, filters: AuditFilter | None = None
) -> QuerySet[AuditEntry]:
    f = filters or AuditFilter()
    qs = audit_entries_readable(cluster=cluster, user=user).select_related(
        "actor", "content_type", "cluster"
    )
    if f.actor_id:
        qs = qs.filter(actor_id=f.actor_id)
    if f.action:
        # "team" matches every team.* action; "team.invited" matches exactly that one.
        qs = qs.filter(action__startswith=f.action)
    if f.content_type_id:
        qs = qs.filter(content_type_id=f.content_type_id)
    if f.object_id:
        qs = qs.filter(object_id=f.object_id)
    if f.date_from:
        qs = qs.filter(created_at__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(created_at__date__lte=f.date_to)
    return qs


def audit_entries_for_object(*, obj: Model) -> QuerySet[AuditEntry]:
    """The history of one object in the current scope (callers have checked it is readable)."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor")


def audit_entries_for_shared_object(*, cluster: Cluster, obj: Model) -> QuerySet[AuditEntry]:
    """The history of a shared record as ``cluster`` sees it: written by any cluster, if
    the cluster follows it (empty otherwise)."""
    label = obj._meta.label_lower
    followed = shared_types().get(label)
    if followed is None or not followed(cluster).filter(pk=obj.pk).exists():
        return AuditEntry.objects.filter(cluster=cluster).none()
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    # Unscoped on purpose: a shared record's changes are shown to every cluster following it.
    return (
        AuditEntry.objects.with_scopes_disabled()
        .filter(content_type=ct, object_id=str(obj.pk))
        .select_related("actor", "cluster")
    )


def audit_actions(*, cluster: Cluster, user: Any) -> list[str]:
    """The actions of the entries ``user`` may read, for the log's filter."""
    readable = audit_entries_readable(cluster=cluster, user=user).order_by()
    return sorted(set(readable.values_list("action", flat=True).distinct()))


def audit_object_types(*, cluster: Cluster, user: Any) -> list[ContentType]:
    readable = audit_entries_readable(cluster=cluster, user=user).order_by()
    ids = readable.exclude(content_type=None).values_list("content_type_id", flat=True).distinct()
    return list(ContentType.objects.filter(pk__in=list(ids)))


def audit_actors(*, cluster: Cluster, user: Any) -> list[Any]:
    """The people who wrote entries ``user`` may read, for the log's filter."""
    readable = audit_entries_readable(cluster=cluster, user=user).order_by()
    ids = readable.exclude(actor=None).values_list("actor_id", flat=True).distinct()
    return list(get_user_model().objects.filter(pk__in=list(ids)))


def audit_entries_of_person(*, user_id: int) -> QuerySet[AuditEntry]:
    """A person's own instance-level entries (account, tokens), which no cluster owns."""
    return AuditEntry.objects.with_scopes_disabled().filter(actor_id=user_id, cluster=None)
