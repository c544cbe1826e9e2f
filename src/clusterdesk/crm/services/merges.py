"""Undoing a merge of two organisations (``organisations.organisation_merge``).

A merge keeps in its audit entry what it did: the dropped record, the links it moved, the
fields of the kept record it filled and the rows deleted with the dropped one. While that
entry exists and nothing has taken the dropped record's place (its number, its
identifiers), ``organisation_merge_undo`` puts it back: the record, its links (those that
still point at the kept record), its deleted rows, and the kept record's fields as they
were. The cluster's staff who may merge may undo, from the kept organisation's page.
"""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record
from clusterdesk.core.errors import NotVisible, require
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import IDENTIFIER_FIELDS, Organisation
from clusterdesk.crm.previews import MERGED, UNDONE, merge_entry_of, merge_undo_problem
from clusterdesk.crm.services.organisations import MERGE, organisation_derive


@transaction.atomic
def organisation_merge_undo(
    *, actor: User, cluster: Cluster, organisation: Organisation, entry_id: int
) -> Organisation:
    """Undo the merge recorded by the cluster's audit entry ``entry_id`` into
    ``organisation``; returns the restored organisation."""
    require(actor, MERGE, cluster)
    entry = merge_entry_of(cluster=cluster, organisation=organisation, entry_id=entry_id)
    if entry is None:
        raise NotVisible(_("No such merge of this organisation."))
    keep = Organisation.objects.followed_by(cluster).select_for_update().get(pk=organisation.pk)
    problem = merge_undo_problem(entry)
    if problem:
        raise ValidationError(problem)
    undo: dict[str, Any] = (entry.after or {})["_undo"]
    kept_before: dict[str, Any] = (entry.before or {})["kept"]
    dropped_before: dict[str, Any] = (entry.before or {})["dropped"]
    # The kept record's fields the merge filled go back to empty, unless changed since.
    restored_fields = []
    for field in undo["filled"]:
        current = getattr(keep, field)
        if str(current) == str(dropped_before[field]):
            setattr(keep, field, None if field in IDENTIFIER_FIELDS else kept_before[field])
            restored_fields.append(field)
    organisation_derive(keep)
    keep.save()
    moved_back: dict[str, int] = {}
    skipped = 0
    # Unscoped on purpose, as the merge: the record's links in every cluster come back.
    with scopes_disabled():
        try:
            with transaction.atomic():
                for obj in serializers.deserialize("json", json.dumps(undo["deleted"]["rows"])):
                    model = type(obj.object)
                    if model._base_manager.filter(pk=obj.object.pk).exists():
                        skipped += 1
                        continue
                    obj.save()
        except IntegrityError as exc:
            raise ValidationError(
                _("The merged record can no longer be restored: another record took its place.")
            ) from exc
        drop = Organisation._base_manager.get(pk=undo["dropped_id"])
        for label, move in undo["moved"].items():
            model = apps.get_model(label)
            count = 0
            for pk in move["pks"]:
                try:
                    with transaction.atomic():
                        count += model._base_manager.filter(pk=pk, **{move["field"]: keep}).update(
                            **{move["field"]: drop}
                        )
                except IntegrityError:
                    skipped += 1
            if count:
                moved_back[str(model._meta.verbose_name_plural)] = count
        for emptied in undo["deleted"]["emptied"]:
            apps.get_model(emptied["model"])._base_manager.filter(
                pk=emptied["pk"], **{emptied["field"]: None}
            ).update(**{emptied["field"]: emptied["value"]})
    audit_record(
        actor=actor,
        action=UNDONE,
        obj=keep,
        cluster=cluster,
        after={
            "merge_entry": entry.pk,
            "restored": str(drop),
            "moved_back": moved_back,
            "fields_emptied": restored_fields,
            "not_restored": skipped,
        },
    )
    audit_record(
        actor=actor,
        action="organisation.restored",
        obj=drop,
        cluster=cluster,
        after={"merge_entry": entry.pk, "split_from": keep.pk},
    )
    return drop


__all__ = ["MERGED", "UNDONE", "organisation_merge_undo"]
