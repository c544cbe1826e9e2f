from django.apps import AppConfig
from django.urls import reverse

from clusterdesk.core.links import page_register


def _invitation(*, token: str) -> str:
    return reverse("accounts:invitation", args=[token])


def _password_set(*, uidb64: str, token: str) -> str:
    return reverse("accounts:password_reset_confirm", args=[uidb64, token])


class PublicConfig(AppConfig):
    name = "clusterdesk.public"
    label = "public"

    def ready(self) -> None:
        # The account pages the e-mails link to, see core/links.py.
        page_register("accounts.invitation", _invitation)
        page_register("accounts.password_set", _password_set)
