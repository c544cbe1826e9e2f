"""Writing audit entries. Every service that changes state calls ``audit_record``."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.models import Cluster


def _json_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return value


def audit_snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON-ready values of the named fields (foreign keys as ids)."""
    snapshot = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        snapshot[name] = _json_value(getattr(obj, attname))
    return snapshot


def audit_record_many(
    *,
    actor: Any,
    action: str,
    cluster: Cluster,
    changes: Iterable[tuple[models.Model, dict[str, Any] | None, dict[str, Any] | None]],
) -> int:
    """Append one entry per (object, before, after), in one query: for bulk work (imports)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record_many must run inside the service's transaction.")
    content_types: dict[type, ContentType] = {}
    entries = []
    for obj, before, after in changes:
        ct = content_types.get(type(obj))
        if ct is None:
            ct = content_types[type(obj)] = ContentType.objects.get_for_model(obj)
        entries.append(
            AuditEntry(
                cluster=cluster,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                action=action,
                content_type=ct,
                object_id=str(obj.pk),
                object_repr=str(obj)[:255],
                before=_json_value(before) if before is not None else None,
                after=_json_value(after) if after is not None else None,
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    cluster: Cluster | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry; must run inside the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction.")
    if cluster is None and obj is not None:
        cluster = obj if isinstance(obj, Cluster) else getattr(obj, "cluster", None)
    entry = AuditEntry(
        cluster=cluster,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        before=_json_value(before) if before is not None else None,
        after=_json_value(after) if after is not None else None,
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:255]
    entry.save()
    return entry
