"""What the audit log shows of the events domain (see ``audit.visibility``): an entry about
a registration (a person's name and e-mail) is shown to those who may read registrations."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clusterdesk.audit import visibility
from clusterdesk.audit.wording import actions_register
from clusterdesk.core.models import Cluster
from clusterdesk.events.models import Registration
from clusterdesk.events.selectors import registrations_visible_to


def readable_registrations(user: Any, cluster: Cluster) -> QuerySet[Registration]:
    return registrations_visible_to(user=user, cluster=cluster)


def register() -> None:
    visibility.register("events.registration", readable_registrations)
    actions_register(
        {
            "event.*": _("Events: every action"),
            "event.created": _("Event created"),
            "event.updated": _("Event changed"),
            "event.category_created": _("Registration category added"),
            "event.category_updated": _("Registration category changed"),
            "registration.*": _("Registrations: every action"),
            "registration.created": _("Registration recorded"),
            "registration.cancelled": _("Registration cancelled"),
            "registration.promoted": _("Registration moved from the waiting list"),
            "registration.checked_in": _("Arrival recorded"),
            "registration.check_in_undone": _("Arrival cancelled"),
            "registration.organisation_confirmed": _("Registrant's organisation confirmed"),
        }
    )
