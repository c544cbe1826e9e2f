"""An organisation's B2B meetings on its timeline (``crm.selectors.timeline_source_add``):
one entry per published meeting of its people, shown to those who read the brokerage
pages (the staff); participants' names stay on the meeting pages."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.brokerage.rules import can_view_brokerage
from clusterdesk.brokerage.selectors import organisation_meetings
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import TimelineItem, timeline_source_add


def meeting_items(
    cluster: Cluster, organisation: Organisation, viewer: User
) -> Iterable[TimelineItem]:
    if not can_view_brokerage.test(viewer, cluster):
        return
    for m in organisation_meetings(cluster=cluster, organisation=organisation):
        ours_a = m.participant_a.registration.organisation_id == organisation.pk
        other = m.participant_b if ours_a else m.participant_a
        detail = _("With %(organisation)s · %(status)s") % {
            "organisation": other.organisation_label,
            "status": m.get_status_display(),
        }
        if m.application is not None:
            detail += " · " + _("led to application %(acronym)s") % {
                "acronym": m.application.acronym
            }
        yield TimelineItem(
            date=timezone.localtime(m.slot.starts_at).date(),
            kind="meeting",
            title=_("B2B meeting at %(event)s") % {"event": m.brokerage.event.title},
            detail=detail,
            sort_key=(m.slot.starts_at, m.pk),
        )


def register() -> None:
    timeline_source_add(meeting_items)
