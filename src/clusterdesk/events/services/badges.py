"""Badges (one person's at once, the whole event's as a background job) and the export of
an event's registrations (a job)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.core.errors import require
from clusterdesk.events.badges import badges_pdf
from clusterdesk.events.models import Event, Registration
from clusterdesk.events.tasks import export_registrations, render_badges
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


def registrations_export_start(*, actor: User, event: Event, fmt: str) -> Job:
    """The event's registrations as CSV or XLSX, for those who read them."""
    require(actor, "events.view_registrations", event.cluster)
    if fmt not in ("csv", "xlsx"):
        raise ValidationError(_("Unknown format."))
    return job_start(
        cluster=event.cluster,
        user=actor,
        kind="events.export",
        label=_("Registrations of “%(event)s” (%(format)s)")
        % {"event": event.label, "format": fmt.upper()},
        task=export_registrations,
        event_id=event.pk,
        fmt=fmt,
    )
