"""E-mails of the labelling workflow, sent once the change commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Contact
from clusterdesk.jobs.tasks import cluster_task
from clusterdesk.projects.models import Application


@cluster_task
def send_state_notice(cluster: Cluster, application_id: int, state: str) -> int:
    """Tell the consortium's portal contacts that the application changed state."""
    application = Application.objects.select_related("call").get(pk=application_id)
    orgs = application.partners.values("organisation_id")
    people = Contact.objects.filter(
        cluster=cluster, organisation_id__in=orgs, anonymised_at=None
    ).exclude(email="")
    url = settings.SITE_URL + reverse(
        "portal_projects:application", args=[cluster.slug, application.pk]
    )
    sent = 0
    for person in people.exclude(user=None):
        context = {"application": application, "cluster": cluster, "person": person, "url": url}
        with translation.override(person.language):
            subject = render_to_string("projects/email/state_subject.txt", context).strip()
            body = render_to_string("projects/email/state.txt", context)
        send_mail(subject, body, None, [person.email])
        sent += 1
    return sent
