"""The send itself, run by the worker so that no request waits on the mail server."""

from __future__ import annotations

import base64

from django.core.mail import EmailMessage
from django_tasks import task


@task()
def email_deliver(
    *, to: str, subject: str, body: str, attachments: list[list[str]] | None = None
) -> None:
    message = EmailMessage(subject, body, None, [to])
    for name, content, mime in attachments or []:
        message.attach(name, base64.b64decode(content), mime)
    message.send()
