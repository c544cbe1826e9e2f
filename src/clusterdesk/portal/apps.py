from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from clusterdesk.web.navigation import NavEntry, menu_register


class PortalConfig(AppConfig):
    name = "clusterdesk.portal"
    label = "portal"

    def ready(self) -> None:
        menu_register(
            NavEntry(_("Member space"), "portal:home", "crm.use_portal", 30),
            NavEntry(_("Applications"), "portal_projects:applications", "crm.use_portal", 40),
            NavEntry(_("Results"), "portal_results:follow_ups", "crm.use_portal", 50),
        )
