"""Who may see and change what in the CRM.

Cluster-level permissions (checked against the cluster) are named here with
``rules.add_perm``, and so is the portal's object-level one on an ``Organisation``
(``crm.change_profile_organisation``): the predicates read the models, so the models do not
import them.
"""

from __future__ import annotations

from typing import Any

import rules

from clusterdesk.core.roles import Role
from clusterdesk.core.rules import has_role, is_finance_staff, is_staff
from clusterdesk.crm.selectors import organisation_ids_of_member


@rules.predicate
def is_contact_of_organisation(user: Any, organisation: Any) -> bool:
    """A member's portal account is linked to a contact of this organisation."""
    if organisation is None or not getattr(user, "is_authenticated", False):
        return False
    return organisation.pk in organisation_ids_of_member(user)


# Who else may open the member portal to a contact, as predicates (user, contact) that
# other domains append (projects: the coordinator of an application the contact's
# organisation is a partner of): the CRM cannot know those domains.
PORTAL_INVITERS: list[rules.Predicate] = []


@rules.predicate
def is_invited_by_another_domain(user: Any, contact: Any) -> bool:
    return any(inviter.test(user, contact) for inviter in PORTAL_INVITERS)


can_edit_organisation = is_contact_of_organisation
can_keep_members = has_role(Role.DIRECTOR, Role.PROJECT_MANAGER, Role.EVENT_MANAGER)


@rules.predicate
def keeps_members_of_contact(user: Any, contact: Any) -> bool:
    return contact is not None and can_keep_members.test(user, contact.cluster)


rules.add_perm("crm.view_members", is_staff)
rules.add_perm("crm.change_members", can_keep_members)
rules.add_perm("crm.manage_fees", is_finance_staff)
# Writing memberships: the fee fields stay with finance (crm.services.memberships).
rules.add_perm("crm.change_memberships", can_keep_members | is_finance_staff)
rules.add_perm("crm.merge_organisations", has_role(Role.DIRECTOR, Role.PROJECT_MANAGER))
rules.add_perm("crm.import_organisations", can_keep_members)
rules.add_perm("crm.use_portal", has_role(Role.MEMBER))
# On an Organisation (declared here, not in its Meta: the models sit below these predicates).
rules.add_perm("crm.change_profile_organisation", can_edit_organisation)
# On a Contact.
rules.add_perm(
    "crm.grant_portal_access_contact", keeps_members_of_contact | is_invited_by_another_domain
)
