from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "clusterdesk.api"
    label = "clusterdesk_api"
