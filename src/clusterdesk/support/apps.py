from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "clusterdesk.support"
    label = "support"
    verbose_name = _("SME support and experts")

    def ready(self) -> None:
        from clusterdesk.support import audit, indicators, timeline

        audit.register()
        indicators.register_all()
        timeline.register()
