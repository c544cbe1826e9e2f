"""E-mails of the CRM, sent by the worker once the change that asks for them commits."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Contact, Membership
from clusterdesk.jobs.tasks import cluster_task


def _send(template: str, context: dict[str, object], language: str, to: str) -> None:
    with translation.override(language):
        subject = render_to_string(f"crm/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"crm/email/{template}.txt", context)
    send_mail(subject, body, None, [to])


@cluster_task
def send_fee_notices(cluster: Cluster, membership_ids: list[int], notice: str) -> int:
    """A fee call or reminder to each membership's representative; returns how many."""
    sent = 0
    memberships = Membership.objects.filter(pk__in=membership_ids).select_related(
        "organisation", "representative", "category"
    )
    for membership in memberships:
        person = membership.representative
        if person is None or not person.email or person.anonymised_at is not None:
            continue
        context = {
            "membership": membership,
            "cluster": cluster,
            "person": person,
            "reminder": notice == "reminder",
        }
        _send("fee_notice", context, person.language, person.email)
        sent += 1
    return sent


@cluster_task
def send_portal_welcome(cluster: Cluster, contact_id: int) -> None:
    contact = Contact.objects.select_related("user", "organisation").get(pk=contact_id)
    user = contact.user
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", args=[uid, token])
    context = {"contact": contact, "cluster": cluster, "url": f"{settings.SITE_URL}{path}"}
    _send("portal_welcome", context, contact.language, user.email)
