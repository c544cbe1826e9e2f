"""Who reads indicators: the cluster's staff and its region's funders (aggregates only).
The records behind a figure (the drill-down) are shown to the staff who may see them."""

from __future__ import annotations

import rules

from clusterdesk.core.rules import is_project_staff, is_region_funder, is_staff

rules.add_perm("results.view_indicators", is_staff | is_region_funder)
rules.add_perm("results.manage_outcomes", is_project_staff)

# The permission a drill-down needs, per indicator group (funders never drill down).
DRILL_DOWN_PERMISSIONS = {
    "projects": "projects.manage_calls",
    "outcomes": "projects.manage_calls",
    "members": "crm.view_members",
}
