"""What the audit log shows of the innovation centre (see ``audit.visibility``): bookings,
authorisations, leases and statements are as confidential as the records themselves."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from clusterdesk.audit import visibility
from clusterdesk.audit.wording import actions_register
from clusterdesk.facilities.selectors import (
    authorisations_visible_to,
    bookings_visible_to,
    leases_visible_to,
    statements_visible_to,
)


def register() -> None:
    visibility.register("facilities.booking", bookings_visible_to)
    visibility.register("facilities.authorisation", authorisations_visible_to)
    visibility.register("facilities.lease", leases_visible_to)
    visibility.register("facilities.statement", statements_visible_to)
    actions_register(
        {
            "site.*": _("Sites: every action"),
            "site.created": _("Site added"),
            "resource.*": _("Spaces and instruments: every action"),
            "resource.created": _("Space or instrument added"),
            "resource.updated": _("Space or instrument changed"),
            "price.*": _("Prices: every action"),
            "price.set": _("Price set"),
            "price.removed": _("Price removed"),
            "authorisation.*": _("Authorisations: every action"),
            "authorisation.granted": _("Authorisation granted"),
            "authorisation.revoked": _("Authorisation revoked"),
            "booking.*": _("Bookings: every action"),
            "booking.created": _("Booking made"),
            "booking.approved": _("Booking approved"),
            "booking.declined": _("Booking declined"),
            "booking.cancelled": _("Booking cancelled"),
            "booking.flagged": _("Booking flagged (authorisation revoked)"),
            "booking.checked_in": _("Check-in recorded"),
            "booking.checked_out": _("Check-out recorded"),
            "waitlist.*": _("Waiting lists: every action"),
            "waitlist.joined": _("Joined the waiting list"),
            "lease.*": _("Leases: every action"),
            "lease.created": _("Lease signed"),
            "lease.notice_given": _("Notice given on a lease"),
            "lease.renewed": _("Lease renewed"),
            "consumable.*": _("Consumables: every action"),
            "consumable.added": _("Consumable billed"),
            "statement.*": _("Statements: every action"),
            "statement.issued": _("Monthly statement issued"),
        }
    )
