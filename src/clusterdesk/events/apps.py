"""Events and registrations."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "clusterdesk.events"
    label = "events"
    verbose_name = _("Events and registrations")

    def ready(self) -> None:
        from clusterdesk.events import audit, indicators, timeline

        audit.register()
        indicators.register_all()
        timeline.register()
