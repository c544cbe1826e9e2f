from typing import Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusterdesk.core.links import page_register
from clusterdesk.web.navigation import NavEntry, menu_register


def _application(*, cluster: Any, application: Any) -> str:
    return reverse("portal_projects:application", args=[cluster.slug, application.pk])


def _centre(*, cluster: Any) -> str:
    return reverse("portal_facilities:home", args=[cluster.slug])


def _follow_ups(*, cluster: Any) -> str:
    return reverse("portal_results:follow_ups", args=[cluster.slug])


class PortalConfig(AppConfig):
    name = "clusterdesk.portal"
    label = "portal"

    def ready(self) -> None:
        # The pages the domain's e-mails link to, see core/links.py.
        page_register("projects.application_of_member", _application)
        page_register("results.follow_ups_of_member", _follow_ups)
        page_register("facilities.bookings_of_member", _centre)
        menu_register(
            NavEntry(_("Member space"), "portal:home", "crm.use_portal", 30),
            NavEntry(_("Applications"), "portal_projects:applications", "crm.use_portal", 40),
            NavEntry(_("Results"), "portal_results:follow_ups", "crm.use_portal", 50),
            NavEntry(_("Invoices"), "portal:invoices", "crm.use_portal", 60),
            NavEntry(_("B2B meetings"), "portal:meetings", "crm.use_portal", 55),
            NavEntry(_("Support"), "portal_support:cases", "crm.use_portal", 57),
            NavEntry(_("Innovation centre"), "portal_facilities:home", "facilities.use_portal", 58),
        )
