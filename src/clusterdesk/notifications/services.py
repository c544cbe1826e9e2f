"""One notification service: every e-mail ClusterDesk sends goes through ``notify``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from clusterdesk.notifications.tasks import email_deliver


def notify(*, to: str, language: str, template: str, context: dict[str, Any]) -> None:
    """Render ``<template>_subject.txt`` and ``<template>.txt`` in the recipient's language
    now, and queue the send once the current transaction commits (at once outside one), so
    that a write rolled back sends nothing."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    transaction.on_commit(lambda: email_deliver.enqueue(to=to, subject=subject, body=body))
