from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "clusterdesk.projects"
    label = "projects"
    verbose_name = _("Projects and labelling")

    def ready(self) -> None:
        from clusterdesk.projects import audit

        audit.register()
