from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "clusterdesk.facilities"
    label = "facilities"
    verbose_name = _("Innovation centre")

    def ready(self) -> None:
        from clusterdesk.facilities import audit, indicators, timeline

        audit.register()
        indicators.register_all()
        timeline.register()
