"""E-mails of the labelling workflow, sent once the change commits."""

from __future__ import annotations

from clusterdesk.core.links import page_url
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Contact
from clusterdesk.jobs.tasks import cluster_task
from clusterdesk.notifications.services import notify
from clusterdesk.projects.models import Application, ExpertProfile, ReviewAssignment
from clusterdesk.projects.selectors.applications import application_notice_recipients


@cluster_task
def send_state_notice(
    cluster: Cluster, application_id: int, state: str, contact_ids: list[int] | None = None
) -> int:
    """Tell the consortium's contacts chosen by the workflow (``contact_ids``, recorded in
    its audit entry) that the application changed state; returns how many were written to."""
    application = Application.objects.select_related("call").get(pk=application_id)
    if contact_ids is None:
        contact_ids = [c.pk for c in application_notice_recipients(application)]
    people = Contact.objects.filter(pk__in=contact_ids, anonymised_at=None).exclude(email="")
    url = page_url("projects.application_of_member", cluster=cluster, application=application)
    sent = 0
    for person in people:
        context = {"application": application, "cluster": cluster, "person": person, "url": url}
        notify(
            to=person.email,
            language=person.language,
            template="projects/email/state",
            context=context,
        )
        sent += 1
    return sent


@cluster_task
def send_review_reminders(cluster: Cluster, assignment_ids: list[int]) -> int:
    """One e-mail per expert listing the reviews they still owe."""
    owed: dict[int, list[ReviewAssignment]] = {}
    for assignment in ReviewAssignment.objects.filter(pk__in=assignment_ids).select_related(
        "expert__user", "application__call"
    ):
        owed.setdefault(assignment.expert.user_id, []).append(assignment)
    url = page_url("projects.reviews_of_expert", cluster=cluster)
    for assignments in owed.values():
        user = assignments[0].expert.user
        context = {"cluster": cluster, "assignments": assignments, "url": url, "person": user}
        notify(
            to=user.email,
            language=user.language,
            template="projects/email/review_reminder",
            context=context,
        )
    return len(owed)


@cluster_task
def send_assignment_notices(
    cluster: Cluster, added_ids: list[int], removed_pairs: list[list[int]]
) -> int:
    """After a reviewer proposal: one e-mail per expert listing the applications newly
    given to them and those taken off them (``removed_pairs``: [expert id, application
    id]); returns how many experts were written to."""
    added: dict[int, list[Application]] = {}
    for assignment in ReviewAssignment.objects.filter(pk__in=added_ids).select_related(
        "application__call"
    ):
        added.setdefault(assignment.expert_id, []).append(assignment.application)
    removed: dict[int, list[Application]] = {}
    applications = Application.objects.select_related("call").in_bulk(
        [application_id for _expert, application_id in removed_pairs]
    )
    for expert_id, application_id in removed_pairs:
        if application_id in applications:
            removed.setdefault(expert_id, []).append(applications[application_id])
    experts = ExpertProfile.objects.select_related("user").in_bulk([*added, *removed])
    url = page_url("projects.reviews_of_expert", cluster=cluster)
    for expert_id, expert in experts.items():
        user = expert.user
        context = {
            "cluster": cluster,
            "person": user,
            "added": sorted(added.get(expert_id, []), key=lambda a: a.acronym),
            "removed": sorted(removed.get(expert_id, []), key=lambda a: a.acronym),
            "url": url,
        }
        notify(
            to=user.email,
            language=user.language,
            template="projects/email/assignments",
            context=context,
        )
    return len(experts)
