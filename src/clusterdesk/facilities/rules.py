"""Who may do what in the innovation centre.

The director and the facility managers run it (``facilities.manage``); finance reads the
calendars and the statements; the people of a hosted company (portal accounts of an
organisation with a current lease) book for themselves (``facilities.book``). A statement
is confidential to its company and to the centre's and finance staff
(``can_view_statement`` agrees with ``selectors.statements_visible_to``).
"""

from __future__ import annotations

from typing import Any

import rules

from clusterdesk.core.rules import is_facility_staff, is_finance_staff, is_member
from clusterdesk.crm.selectors import organisation_ids_of_member
from clusterdesk.facilities.selectors import is_hosted_person


@rules.predicate
def is_hosted(user: Any, cluster: Any) -> bool:
    if cluster is None or not getattr(user, "is_authenticated", False):
        return False
    return is_hosted_person(user, cluster)


@rules.predicate
def speaks_for_statement_organisation(user: Any, statement: Any) -> bool:
    if statement is None or not getattr(user, "is_authenticated", False):
        return False
    return statement.organisation_id in organisation_ids_of_member(user)


@rules.predicate
def statement_centre_staff(user: Any, statement: Any) -> bool:
    if statement is None:
        return False
    cluster = statement.cluster
    return bool(is_facility_staff.test(user, cluster) or is_finance_staff.test(user, cluster))


@rules.predicate
def is_booking_person(user: Any, booking: Any) -> bool:
    return booking is not None and booking.person_id == getattr(user, "pk", None)


@rules.predicate
def manages_booking_cluster(user: Any, booking: Any) -> bool:
    return booking is not None and is_facility_staff.test(user, booking.cluster)


can_view_statement = statement_centre_staff | (
    speaks_for_statement_organisation & rules.predicate(lambda u, s: is_member.test(u, s.cluster))
)

# On the cluster.
rules.add_perm("facilities.manage", is_facility_staff)
rules.add_perm("facilities.view_facilities", is_facility_staff | is_finance_staff)
rules.add_perm("facilities.view_statements", is_facility_staff | is_finance_staff)
rules.add_perm("facilities.issue_statements", is_facility_staff)
rules.add_perm("facilities.book", is_facility_staff | (is_member & is_hosted))
rules.add_perm("facilities.use_portal", is_member)
# On a Statement.
rules.add_perm("facilities.view_statement", can_view_statement)
# On a Booking: the person who booked cancels and checks in their own; the staff any.
rules.add_perm("facilities.change_booking", is_booking_person | manages_booking_cluster)
