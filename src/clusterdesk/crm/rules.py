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


can_edit_organisation = is_contact_of_organisation
can_keep_members = has_role(Role.DIRECTOR, Role.PROJECT_MANAGER, Role.EVENT_MANAGER)

rules.add_perm("crm.view_members", is_staff)
rules.add_perm("crm.change_members", can_keep_members)
rules.add_perm("crm.manage_fees", is_finance_staff)
rules.add_perm("crm.merge_organisations", has_role(Role.DIRECTOR, Role.PROJECT_MANAGER))
rules.add_perm("crm.import_organisations", can_keep_members)
rules.add_perm("crm.use_portal", has_role(Role.MEMBER))
# On an Organisation (declared here, not in its Meta: the models sit below these predicates).
rules.add_perm("crm.change_profile_organisation", can_edit_organisation)
