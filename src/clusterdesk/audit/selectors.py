"""Reading the audit log, per cluster, per object and per person."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.models import Cluster


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    action: str = ""
    content_type_id: int | None = None
    object_id: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def audit_entries(*, cluster: Cluster, filters: AuditFilter | None = None) -> QuerySet[AuditEntry]:
    f = filters or AuditFilter()
    qs = AuditEntry.objects.filter(cluster=cluster).select_related("actor", "content_type")
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
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor")


def audit_actions(*, cluster: Cluster) -> list[str]:
    return sorted(set(AuditEntry.objects.filter(cluster=cluster).values_list("action", flat=True)))


def audit_object_types(*, cluster: Cluster) -> list[ContentType]:
    ids = (
        AuditEntry.objects.filter(cluster=cluster)
        .exclude(content_type=None)
        .values_list("content_type_id", flat=True)
        .distinct()
    )
    return list(ContentType.objects.filter(pk__in=list(ids)))


def audit_entries_of_person(*, user_id: int) -> QuerySet[AuditEntry]:
    """A person's own instance-level entries (account, tokens), which no cluster owns."""
    return AuditEntry.objects.with_scopes_disabled().filter(actor_id=user_id, cluster=None)


def audit_actors(*, cluster: Cluster) -> list[Any]:
    ids = AuditEntry.objects.filter(cluster=cluster).values_list("actor_id", flat=True).distinct()
    # The audit log sits below accounts: it names the user model through the setting.
    return list(get_user_model().objects.filter(pk__in=[i for i in ids if i is not None]))
