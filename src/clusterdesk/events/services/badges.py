"""Badges: one person's at once, the whole event's as a background job."""

from __future__ import annotations

from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.core.errors import require
from clusterdesk.events.badges import badges_pdf
from clusterdesk.events.models import Event, Registration
from clusterdesk.events.tasks import render_badges
from clusterdesk.jobs.models import Job
from clusterdesk.jobs.services import job_start

MANAGE = "events.manage_events"


def badge_of(*, actor: User, registration: Registration) -> bytes:
    require(actor, MANAGE, registration.cluster, hidden=True)
    return badges_pdf([registration])


def badges_start(*, actor: User, event: Event) -> Job:
    require(actor, MANAGE, event.cluster, hidden=True)
    return job_start(
        cluster=event.cluster,
        user=actor,
        kind="events.badges",
        label=_("Badges of “%(event)s”") % {"event": event.label},
        task=render_badges,
        event_id=event.pk,
    )
