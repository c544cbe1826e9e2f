"""E-mails of the yearly follow-up, sent by the worker."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from clusterdesk.core.models import Cluster
from clusterdesk.jobs.tasks import cluster_task
from clusterdesk.results.models import FollowUpCampaign


def _portal_url(cluster: Cluster) -> str:
    try:
        path = reverse("portal_results:follow_ups", args=[cluster.slug])
    except NoReverseMatch:  # the follow-up pages are not installed: send to the portal
        path = reverse("portal:home", args=[cluster.slug])
    return settings.SITE_URL + path


@cluster_task
def send_follow_up_requests(cluster: Cluster, campaign_id: int, reminder: bool) -> int:
    campaign = FollowUpCampaign.objects.get(pk=campaign_id)
    pending = (
        campaign.requests.filter(completed_at=None)
        .exclude(contact=None)
        .select_related("contact", "application")
    )
    now, sent = timezone.now(), 0
    for request in pending:
        person = request.contact
        if person is None or not person.email or person.anonymised_at is not None:
            continue
        context = {
            "campaign": campaign,
            "cluster": cluster,
            "request": request,
            "person": person,
            "reminder": reminder,
            "url": _portal_url(cluster),
        }
        with translation.override(person.language):
            subject = render_to_string("results/email/follow_up_subject.txt", context).strip()
            body = render_to_string("results/email/follow_up.txt", context)
        send_mail(subject, body, None, [person.email])
        if reminder:
            request.reminded_at, request.reminders = now, request.reminders + 1
        else:
            request.sent_at = now
        request.save(update_fields=["sent_at", "reminded_at", "reminders"])
        sent += 1
    return sent
