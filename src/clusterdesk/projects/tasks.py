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


@cluster_task
def send_review_reminders(cluster: Cluster, assignment_ids: list[int]) -> int:
    """One e-mail per expert listing the reviews they still owe."""
    from clusterdesk.projects.models import ReviewAssignment

    owed: dict[int, list[ReviewAssignment]] = {}
    for assignment in ReviewAssignment.objects.filter(pk__in=assignment_ids).select_related(
        "expert__user", "application__call"
    ):
        owed.setdefault(assignment.expert.user_id, []).append(assignment)
    url = settings.SITE_URL + reverse("reviews:assignments", args=[cluster.slug])
    for assignments in owed.values():
        user = assignments[0].expert.user
        context = {"cluster": cluster, "assignments": assignments, "url": url, "person": user}
        with translation.override(user.language):
            subject = render_to_string(
                "projects/email/review_reminder_subject.txt", context
            ).strip()
            body = render_to_string("projects/email/review_reminder.txt", context)
        send_mail(subject, body, None, [user.email])
    return len(owed)
