from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed for its `clusterdesk demo` command."""

    name = "clusterdesk.demo"
    label = "demo"

    def ready(self) -> None:
        from clusterdesk.demo import audit

        audit.register()
