from django.apps import AppConfig


class FundersConfig(AppConfig):
    """The pages of a region's funders (signed in): its clusters side by side."""

    name = "clusterdesk.funders"
    label = "funders"
