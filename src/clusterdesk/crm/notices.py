"""E-mails of the CRM, composed by the worker once the change that asks for them commits."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from clusterdesk.core.links import page_url
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Contact, Membership
from clusterdesk.jobs.tasks import cluster_task
from clusterdesk.notifications.services import notify


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
        notify(
            to=person.email,
            language=person.language,
            template="crm/email/fee_notice",
            context=context,
        )
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
    context = {
        "contact": contact,
        "cluster": cluster,
        "url": page_url("accounts.password_set", uidb64=uid, token=token),
    }
    notify(
        to=user.email,
        language=contact.language,
        template="crm/email/portal_welcome",
        context=context,
    )
