from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "clusterdesk.results"
    label = "results"
    verbose_name = _("Results and impact")

    def ready(self) -> None:
        from clusterdesk.results import audit

        audit.register()
