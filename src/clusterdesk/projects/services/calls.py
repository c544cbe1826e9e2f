"""Calls for projects and their evaluation criteria (the project staff's)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.errors import require
from clusterdesk.projects.models import Call, Criterion

MANAGE_CALLS = "projects.manage_calls"
CALL_FIELDS = (
    "title",
    "kind",
    "funder",
    "reference",
    "opens_on",
    "closes_on",
    "min_partners",
    "requires_sme",
    "requires_research",
    "reviewers_per_application",
    "review_deadline",
    "score_max",
)


@transaction.atomic
def call_save(
    *,
    actor: User,
    call: Call,
    domains: Iterable[Any] | None = None,
    criteria: Iterable[Mapping[str, Any]] = (),
    **values: Any,
) -> Call:
    """Create or change a call, then add ``criteria`` (each ``name``, ``weight``, optional
    ``name_en``) after its others: all of it, or nothing."""
    require(actor, MANAGE_CALLS, call.cluster)
    creating = call.pk is None
    if creating or values or domains is not None:
        before = None if creating else audit_snapshot(call, CALL_FIELDS)
        for name, value in values.items():
            setattr(call, name, value)
        if call.closes_on and call.closes_on < call.opens_on:
            raise ValidationError({"closes_on": _("The call closes before it opens.")})
        call.full_clean(exclude=["cluster", "domains"])
        call.save()
        if domains is not None:
            call.domains.set(domains)
        audit_record(
            actor=actor,
            action="call.created" if creating else "call.updated",
            obj=call,
            before=before,
            after=audit_snapshot(call, CALL_FIELDS),
        )
    for criterion in criteria:
        criterion_add(actor=actor, call=call, **criterion)
    return call


@transaction.atomic
def criterion_add(
    *, actor: User, call: Call, name: str, weight: Decimal, name_en: str = ""
) -> Criterion:
    require(actor, MANAGE_CALLS, call.cluster)
    if weight <= 0:
        raise ValidationError({"weight": _("A weight is positive.")})
    position = (call.criteria.aggregate(m=Max("position"))["m"] or 0) + 1
    criterion = Criterion.objects.create(
        cluster=call.cluster,
        call=call,
        name=name,
        name_en=name_en,
        weight=weight,
        position=position,
    )
    audit_record(
        actor=actor,
        action="call.criterion_added",
        obj=call,
        after={"criterion": name, "weight": weight},
    )
    return criterion
