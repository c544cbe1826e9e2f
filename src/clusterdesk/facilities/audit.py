"""What the audit log shows of the innovation centre (see ``audit.visibility``): bookings,
authorisations, leases and statements are as confidential as the records themselves."""

from __future__ import annotations

from clusterdesk.audit import visibility
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
