"""The roles a person can hold in a cluster, and the Region's funder role.

Roles are data (rows of ``core.ClusterRole``); what a role may do is decided only by the
django-rules predicates in ``core/rules.py``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DIRECTOR = "director", _("Director / administrator")
    PROJECT_MANAGER = "project_manager", _("Project manager")
    EVENT_MANAGER = "event_manager", _("Event manager")
    FACILITY_MANAGER = "facility_manager", _("Facility manager")
    FINANCE = "finance", _("Finance")
    EXPERT = "expert", _("Expert")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    # A contact of a member organisation with access to the member portal.
    MEMBER = "member", _("Member (portal)")


# The cluster's own team; experts and committee members are outside people, and members
# reach only the member portal.
STAFF_ROLES = frozenset(
    {
        Role.DIRECTOR,
        Role.PROJECT_MANAGER,
        Role.EVENT_MANAGER,
        Role.FACILITY_MANAGER,
        Role.FINANCE,
    }
)
