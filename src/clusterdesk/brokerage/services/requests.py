"""Meeting requests: a participant asks another for a meeting (priority, message); the other
accepts or declines, or the event accepts every request by itself; the sender may withdraw.

Refused with a message: a request to oneself, to a colleague of one's own organisation, to
someone not validated or of another event, the same request twice (``Conflict`` naming it).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.brokerage.models import MeetingRequest, Participant
from clusterdesk.brokerage.selectors import same_organisation
from clusterdesk.brokerage.services.participants import require_self
from clusterdesk.core.errors import Conflict, NotAllowed, conflict_on_duplicate

REQUEST_FIELDS = ("priority", "message", "status")


def _exists(existing: MeetingRequest) -> str:
    return _("You already asked %(name)s for a meeting (request no. %(id)s).") % {
        "name": existing.target.name,
        "id": existing.pk,
    }


@transaction.atomic
def meeting_request_create(
    *,
    actor: Any,
    requester: Participant,
    target: Participant,
    priority: int = MeetingRequest.Priority.MEDIUM,
    message: str = "",
) -> MeetingRequest:
    require_self(actor, requester)
    brokerage = requester.brokerage
    if target.pk == requester.pk:
        raise ValidationError({"target": _("You cannot request a meeting with yourself.")})
    if target.brokerage_id != requester.brokerage_id:
        raise ValidationError({"target": _("This participant takes part in another event.")})
    if same_organisation(requester, target):
        raise ValidationError(
            {
                "target": _("%(name)s is from your own organisation; meet them at the office.")
                % {"name": target.name}
            }
        )
    if requester.status != Participant.Status.VALIDATED:
        raise NotAllowed(_("Your profile must be validated by the organiser first."))
    if target.status != Participant.Status.VALIDATED:
        raise ValidationError({"target": _("This participant's profile is not validated.")})
    if priority not in MeetingRequest.Priority.values:
        raise ValidationError({"priority": _("The priority is 1 (high), 2 or 3 (low).")})
    if len(message) > 2000:
        raise ValidationError({"message": _("At most 2,000 characters.")})
    same = MeetingRequest.objects.filter(requester=requester, target=target)
    existing = same.select_related("target__registration").first()
    if existing is not None:
        raise Conflict(_exists(existing), existing=existing)
    request = MeetingRequest(
        cluster=requester.cluster,
        brokerage=brokerage,
        requester=requester,
        target=target,
        priority=priority,
        message=message.strip(),
    )
    if brokerage.auto_accept:
        request.status, request.answered_at = MeetingRequest.Status.ACCEPTED, timezone.now()
    with conflict_on_duplicate(same.first, _exists):
        request.save()
    audit_record(
        actor=actor,
        action="meeting_request.created",
        obj=request,
        after=audit_snapshot(request, REQUEST_FIELDS),
    )
    return request


@transaction.atomic
def meeting_request_answer(*, actor: Any, request: MeetingRequest, accept: bool) -> MeetingRequest:
    """The person asked accepts or declines (a change of mind is allowed until scheduled)."""
    require_self(actor, request.target)
    if request.status == MeetingRequest.Status.WITHDRAWN:
        raise ValidationError({"status": _("The sender has withdrawn this request.")})
    before = request.status
    request.status = MeetingRequest.Status.ACCEPTED if accept else MeetingRequest.Status.DECLINED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])
    audit_record(
        actor=actor,
        action="meeting_request.answered",
        obj=request,
        before={"status": before},
        after={"status": request.status},
    )
    return request


@transaction.atomic
def meeting_request_withdraw(*, actor: Any, request: MeetingRequest) -> MeetingRequest:
    require_self(actor, request.requester)
    before = request.status
    request.status = MeetingRequest.Status.WITHDRAWN
    request.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="meeting_request.withdrawn",
        obj=request,
        before={"status": before},
        after={"status": request.status},
    )
    return request
