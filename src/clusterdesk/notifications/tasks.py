"""The send itself, run by the worker so that no request waits on the mail server."""

from __future__ import annotations

from django.core.mail import send_mail
from django_tasks import task


@task()
def email_deliver(*, to: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [to])
