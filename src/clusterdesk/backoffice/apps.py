from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "clusterdesk.backoffice"
    label = "backoffice"
