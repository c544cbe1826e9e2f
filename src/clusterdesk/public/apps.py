from typing import Any

from django.apps import AppConfig
from django.urls import reverse

from clusterdesk.core.links import page_register


def _invitation(*, token: str) -> str:
    return reverse("accounts:invitation", args=[token])


def _password_set(*, uidb64: str, token: str) -> str:
    return reverse("accounts:password_reset_confirm", args=[uidb64, token])


def _event(*, event: Any) -> str:
    return reverse("public_events:event", args=[event.cluster.slug, event.slug])


def _event_cancel(*, event: Any, code: str) -> str:
    return reverse("public_events:cancel", args=[event.cluster.slug, event.slug, code])


class PublicConfig(AppConfig):
    name = "clusterdesk.public"
    label = "public"

    def ready(self) -> None:
        # The account pages the e-mails link to, see core/links.py.
        page_register("accounts.invitation", _invitation)
        page_register("accounts.password_set", _password_set)
        page_register("events.public", _event)
        page_register("events.cancel", _event_cancel)
