"""One notification service: every e-mail ClusterDesk sends goes through ``notify``."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from clusterdesk.notifications.tasks import email_deliver

# A file sent with the e-mail: its name, its bytes and its MIME type.
Attachment = tuple[str, bytes, str]


def notify(
    *,
    to: str,
    language: str,
    template: str,
    context: dict[str, Any],
    attachments: Sequence[Attachment] = (),
) -> None:
    """Render ``<template>_subject.txt`` and ``<template>.txt`` in the recipient's language
    now, and queue the send once the current transaction commits (at once outside one), so
    that a write rolled back sends nothing. ``attachments`` (an invitation's iCalendar file)
    travel to the worker as base64 text, which the task queue can store."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    files = [
        [name, base64.b64encode(content).decode("ascii"), mime]
        for name, content, mime in attachments
    ]
    transaction.on_commit(
        lambda: email_deliver.enqueue(to=to, subject=subject, body=body, attachments=files)
    )
