from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrokerageConfig(AppConfig):
    name = "clusterdesk.brokerage"
    label = "brokerage"
    verbose_name = _("B2B brokerage meetings")

    def ready(self) -> None:
        from clusterdesk.brokerage import audit, indicators, rules, timeline  # noqa: F401

        audit.register()
        indicators.register_all()
        timeline.register()
