from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "clusterdesk.crm"
    label = "crm"
    verbose_name = _("Members")

    def ready(self) -> None:
        from clusterdesk.crm import audit

        audit.register()
