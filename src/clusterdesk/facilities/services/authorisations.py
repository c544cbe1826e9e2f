"""Authorisations: granted after a training, for a containment level or one instrument;
revoked at once, which flags the person's future bookings that needed it."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_record_many, audit_snapshot
from clusterdesk.core.errors import require
from clusterdesk.core.models import Cluster
from clusterdesk.core.storage import stored_upload
from clusterdesk.facilities.models import Authorisation, Booking, ContainmentLevel, Resource
from clusterdesk.facilities.services.bookings import authorisation_problem

MANAGE = "facilities.manage"
AUTHORISATION_FIELDS = (
    "person",
    "level",
    "resource",
    "trained_on",
    "trainer",
    "valid_from",
    "valid_until",
    "revoked_at",
    "revoked_reason",
)


@transaction.atomic
def authorisation_grant(
    *,
    actor: User,
    cluster: Cluster,
    person: User,
    valid_from: datetime.date,
    valid_until: datetime.date,
    level: str = "",
    resource: Resource | None = None,
    trained_on: datetime.date | None = None,
    trainer: str = "",
    evidence: Any = None,
) -> Authorisation:
    """Authorise ``person`` for a containment level or for one resource (one of the two)."""
    require(actor, MANAGE, cluster)
    level = level or ""
    if bool(level) == (resource is not None):
        raise ValidationError(
            {"level": _("Give either a containment level or a resource, not both.")}
        )
    if level and level not in ContainmentLevel.values:
        raise ValidationError({"level": _("The level is P1, P2 or P3.")})
    if resource is not None and resource.cluster_id != cluster.pk:
        raise ValidationError({"resource": _("This resource belongs to another cluster.")})
    if valid_until < valid_from:
        raise ValidationError({"valid_until": _("The authorisation ends before it starts.")})
    if trained_on is not None and trained_on > valid_from:
        raise ValidationError({"trained_on": _("The training comes before the authorisation.")})
    authorisation = Authorisation(
        cluster=cluster,
        person=person,
        level=level,
        resource=resource,
        trained_on=trained_on,
        trainer=trainer,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    authorisation.full_clean(exclude=["cluster", "person", "resource", "evidence"])
    if evidence is not None:
        name = f"facilities/evidence/{cluster.pk}/{evidence.name}"
        with stored_upload(
            authorisation.evidence.storage, name, evidence, field="evidence"
        ) as saved:
            authorisation.evidence.name = saved
            authorisation.save()
    else:
        authorisation.save()
    audit_record(
        actor=actor,
        action="authorisation.granted",
        obj=authorisation,
        after=audit_snapshot(authorisation, AUTHORISATION_FIELDS),
    )
    return authorisation


@transaction.atomic
def authorisation_revoke(*, actor: User, authorisation: Authorisation, reason: str = "") -> int:
    """Revoke now; the person's future bookings that no other valid authorisation covers
    are flagged at once (returns how many)."""
    require(actor, MANAGE, authorisation.cluster)
    authorisation = Authorisation.objects.select_for_update().get(pk=authorisation.pk)
    if authorisation.revoked_at is not None:
        raise ValidationError(_("This authorisation is already revoked."))
    before = audit_snapshot(authorisation, ("revoked_at", "revoked_reason"))
    authorisation.revoked_at = timezone.now()
    authorisation.revoked_reason = reason
    authorisation.save(update_fields=["revoked_at", "revoked_reason"])
    audit_record(
        actor=actor,
        action="authorisation.revoked",
        obj=authorisation,
        before=before,
        after=audit_snapshot(authorisation, ("revoked_at", "revoked_reason")),
    )
    future = (
        Booking.objects.select_for_update()
        .filter(
            cluster=authorisation.cluster_id,
            person=authorisation.person_id,
            status__in=[Booking.Status.CONFIRMED, Booking.Status.PENDING],
            end__gt=timezone.now(),
        )
        .select_related("resource", "person")
    )
    flagged = []
    for booking in future:
        problem = authorisation_problem(
            booking.resource, booking.person, booking.start, booking.end
        )
        if problem:
            booking.status = Booking.Status.FLAGGED
            booking.flag_reason = problem[:300]
            flagged.append(booking)
    Booking.objects.bulk_update(flagged, ["status", "flag_reason"])
    audit_record_many(
        actor=actor,
        action="booking.flagged",
        cluster=authorisation.cluster,
        changes=[
            (b, {"status": "confirmed"}, {"status": b.status, "flag_reason": b.flag_reason})
            for b in flagged
        ],
    )
    return len(flagged)
