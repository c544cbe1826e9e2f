from typing import Any
from urllib.parse import urlencode

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusterdesk.core.links import page_register
from clusterdesk.web.navigation import NavEntry, menu_register


def _interaction(*, cluster: Any, organisation: Any, interaction: Any) -> str:
    return reverse("members:interaction_edit", args=[cluster.slug, organisation.pk, interaction.pk])


def _event_registrations(*, event: Any) -> str:
    return reverse("events:registrations", args=[event.cluster.slug, event.pk])


def _check_in(*, event: Any, code: str = "") -> str:
    path = reverse("events:check_in", args=[event.cluster.slug, event.pk])
    return f"{path}?{urlencode({'code': code})}" if code else path


def _support_case(*, cluster: Any, case: Any) -> str:
    return reverse("support:case", args=[cluster.slug, case.pk])


def _missions_of_expert(*, cluster: Any) -> str:
    return reverse("support:my_missions", args=[cluster.slug])


def _reviews(*, cluster: Any) -> str:
    return reverse("reviews:assignments", args=[cluster.slug])


class BackofficeConfig(AppConfig):
    name = "clusterdesk.backoffice"
    label = "backoffice"

    def ready(self) -> None:
        # The pages that domain code names (timelines, e-mails), see core/links.py.
        page_register("crm.interaction", _interaction)
        page_register("projects.reviews_of_expert", _reviews)
        page_register("events.registrations", _event_registrations)
        page_register("events.check_in", _check_in)
        page_register("support.case", _support_case)
        page_register("support.missions_of_expert", _missions_of_expert)
        menu_register(
            NavEntry(_("Home"), "backoffice:cluster_home", "core.view_backoffice_cluster", 10),
            NavEntry(_("Dashboard"), "dashboards:dashboard", "results.view_indicators", 20),
            NavEntry(_("My reviews"), "reviews:assignments", "projects.review", 60),
            NavEntry(_("Committee"), "committee:sessions", "projects.sit_on_committee", 65),
            NavEntry(_("Members"), "members:organisations", "crm.view_members", 70),
            NavEntry(_("Projects"), "labelling:calls", "projects.manage_calls", 80),
            NavEntry(_("Events"), "events:events", "events.view_events", 85),
            NavEntry(_("B2B meetings"), "brokerage:brokerages", "brokerage.view_brokerage", 86),
            NavEntry(_("Outcomes"), "outcomes:outcomes", "results.manage_outcomes", 90),
            NavEntry(_("Support"), "support:cases", "support.view_cases", 92),
            NavEntry(_("Pipeline"), "support:pipeline", "support.view_pipeline", 93),
            NavEntry(_("Expert network"), "support:experts", "support.manage_experts", 94),
            NavEntry(_("Reports"), "reports:reports", "results.view_indicators", 100),
            NavEntry(_("Renewals"), "members:renewals_now", "crm.manage_fees", 110),
            NavEntry(_("Invoices"), "members:invoices", "crm.manage_fees", 115),
            NavEntry(
                _("Innovation centre"), "facilities:resources", "facilities.view_facilities", 115
            ),
            NavEntry(_("Team"), "backoffice:team", "core.manage_team_cluster", 120),
            NavEntry(_("Audit log"), "backoffice:audit", "core.view_audit_cluster", 130),
            NavEntry(_("Settings"), "backoffice:cluster_settings", "core.change_cluster", 140),
        )
