"""The back-office menu: each entry names the permission it needs on the current cluster.

Domain apps add their entries here, in the order they appear.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    permission: str


CLUSTER_MENU: list[NavEntry] = [
    NavEntry(_("Home"), "backoffice:cluster_home", "core.view_backoffice_cluster"),
    NavEntry(_("Dashboard"), "results:dashboard", "results.view_indicators"),
    NavEntry(_("Member space"), "portal:home", "crm.use_portal"),
    NavEntry(_("Applications"), "portal_projects:applications", "crm.use_portal"),
    NavEntry(_("Results"), "portal_results:follow_ups", "crm.use_portal"),
    NavEntry(_("My reviews"), "reviews:assignments", "projects.review"),
    NavEntry(_("Members"), "crm:organisations", "crm.view_members"),
    NavEntry(_("Projects"), "projects:calls", "projects.manage_calls"),
    NavEntry(_("Outcomes"), "results_outcomes:outcomes", "results.manage_outcomes"),
    NavEntry(_("Reports"), "results_reports:reports", "results.view_indicators"),
    NavEntry(_("Renewals"), "crm:renewals_now", "crm.manage_fees"),
    NavEntry(_("Team"), "backoffice:team", "core.manage_team_cluster"),
    NavEntry(_("Audit log"), "backoffice:audit", "core.view_audit_cluster"),
    NavEntry(_("Settings"), "backoffice:cluster_settings", "core.change_cluster"),
]
