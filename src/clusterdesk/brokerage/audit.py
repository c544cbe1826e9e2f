"""What the audit log shows of brokerage events (see ``audit.visibility``): entries about a
participant, a request or a meeting are shown to those who read the brokerage pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clusterdesk.audit import visibility
from clusterdesk.audit.wording import actions_register
from clusterdesk.brokerage.models import Meeting, MeetingRequest, Participant
from clusterdesk.brokerage.rules import can_view_brokerage
from clusterdesk.core.models import Cluster


def _readable(model: Any) -> Any:
    def readable(user: Any, cluster: Cluster) -> QuerySet[Any]:
        qs = model.objects.filter(cluster=cluster)
        return qs if can_view_brokerage.test(user, cluster) else qs.none()

    return readable


def register() -> None:
    visibility.register("brokerage.participant", _readable(Participant))
    visibility.register("brokerage.meetingrequest", _readable(MeetingRequest))
    visibility.register("brokerage.meeting", _readable(Meeting))
    actions_register(
        {
            "brokerage.*": _("B2B meetings: every action"),
            "brokerage.set_up": _("B2B meetings set up for the event"),
            "brokerage.changed": _("B2B meeting settings changed"),
            "brokerage.closed": _("B2B meetings closed"),
            "brokerage.partnership_types_set": _("Partnership types set"),
            "brokerage.slots_generated": _("Meeting slots generated"),
            "participant.*": _("B2B participants: every action"),
            "participant.created": _("Participant added"),
            "participant.validated": _("Participant validated"),
            "participant.rejected": _("Participant refused"),
            "participant.profile_changed": _("Participant's profile changed"),
            "participant.availability_set": _("Participant's availability set"),
            "participant.link_reset": _("Participant's personal link renewed"),
            "opportunity.*": _("Cooperation opportunities: every action"),
            "opportunity.saved": _("Cooperation opportunity saved"),
            "opportunity.deleted": _("Cooperation opportunity deleted"),
            "meeting_request.*": _("Meeting requests: every action"),
            "meeting_request.created": _("Meeting requested"),
            "meeting_request.answered": _("Meeting request answered"),
            "meeting_request.withdrawn": _("Meeting request withdrawn"),
            "meeting.*": _("Meetings: every action"),
            "meeting.cancelled": _("Meeting cancelled"),
            "meeting.marked": _("Meeting marked held or missed"),
            "meeting.walk_in": _("Walk-in meeting placed"),
            "meeting.feedback": _("Meeting rated or followed up"),
            "meeting.application_linked": _("Meeting linked to an application"),
            "schedule.*": _("Meeting schedules: every action"),
            "schedule.started": _("Scheduling started"),
            "schedule.drafted": _("Schedule drafted"),
            "schedule.published": _("Schedule published"),
            "schedule.discarded": _("Schedule discarded"),
        }
    )
