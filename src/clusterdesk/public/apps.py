from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "clusterdesk.public"
    label = "public"
