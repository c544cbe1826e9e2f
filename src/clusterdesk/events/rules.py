"""Who may do what with events and registrations.

- The cluster's staff read its events (``events.view_events``); the director and the event
  managers create and change them, their categories and registrations
  (``events.manage_events``) and check people in on the day (``events.check_in``).
- Registrations hold people's names and e-mails: the event staff read them, and finance,
  which invoices the fees (``events.view_registrations``; ``can_view_registration`` for one,
  ``selectors.registrations_visible_to`` for lists: tests hold the two together).
- Anybody may register for a public event through its public page, and cancel their own
  registration through the signed link they received; the services decide both.
"""

from __future__ import annotations

from typing import Any

import rules

from clusterdesk.core.rules import is_event_staff, is_finance_staff, is_staff

can_view_events = is_staff
can_manage_events = is_event_staff
can_view_registrations = is_event_staff | is_finance_staff


@rules.predicate
def can_view_registration(user: Any, registration: Any) -> bool:
    return registration is not None and bool(
        can_view_registrations.test(user, registration.cluster)
    )


rules.add_perm("events.view_events", can_view_events)
rules.add_perm("events.manage_events", can_manage_events)
rules.add_perm("events.check_in", can_manage_events)
rules.add_perm("events.view_registrations", can_view_registrations)
# On a Registration.
rules.add_perm("events.view_registration", can_view_registration)
