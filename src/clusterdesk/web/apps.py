from django.apps import AppConfig


class WebConfig(AppConfig):
    """What every page shares: the tenant scope, refusals, the view mixin and the menu."""

    name = "clusterdesk.web"
    label = "web"
