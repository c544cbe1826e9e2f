"""Writes of results: declaring and validating outcomes, the yearly follow-up campaign,
and the facts funders record (regional grants, State ratings)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Contact
from clusterdesk.projects.models import Application, Partner
from clusterdesk.results.models import FollowUpCampaign, FollowUpRequest, Outcome
from clusterdesk.results.tasks import send_follow_up_requests

OUTCOME_FIELDS = (
    "kind",
    "application",
    "organisation",
    "date",
    "title",
    "registry",
    "reference",
    "phase",
    "ce_marked",
    "fte",
    "amount_eur",
    "investors",
    "new_organisation",
    "evidence_url",
)
# What each kind of outcome must say, to be counted.
REQUIRED: dict[str, tuple[str, ...]] = {
    Outcome.Kind.PATENT: ("registry", "reference"),
    Outcome.Kind.CLINICAL_TRIAL: ("registry", "reference", "phase"),
    Outcome.Kind.JOBS: ("fte", "organisation"),
    Outcome.Kind.STARTUP: ("new_organisation",),
    Outcome.Kind.FUNDING_RAISED: ("amount_eur",),
}


def _check_outcome(outcome: Outcome) -> None:
    if outcome.application_id is None and outcome.organisation_id is None:
        raise ValidationError(_("Tie the outcome to a project or an organisation."))
    missing = {
        f: _("Required for this kind of outcome.")
        for f in REQUIRED.get(str(outcome.kind), ())
        if getattr(outcome, f) in (None, "")
    }
    if missing:
        raise ValidationError(missing)
    if outcome.fte is not None and outcome.fte <= 0:
        raise ValidationError({"fte": _("Give a positive number of jobs.")})
    if outcome.date > timezone.localdate():
        raise ValidationError({"date": _("An outcome cannot be in the future.")})
    outcome.full_clean(
        exclude=[
            "cluster",
            "application",
            "organisation",
            "new_organisation",
            "declared_by",
            "validated_by",
            "follow_up",
            "evidence",
        ]
    )


@transaction.atomic
def outcome_declare(
    *, actor: Any, cluster: Cluster, follow_up: FollowUpRequest | None = None, **values: Any
) -> Outcome:
    """Record an outcome as declared (by a project's contact or by staff)."""
    unknown = set(values) - set(OUTCOME_FIELDS)
    if unknown:
        raise TypeError(f"Not outcome fields: {', '.join(sorted(unknown))}")
    outcome = Outcome(cluster=cluster, declared_by=actor, follow_up=follow_up, **values)
    project = outcome.application
    if project is not None and project.cluster_id != cluster.pk:
        raise ValidationError({"application": _("This project belongs to another cluster.")})
    _check_outcome(outcome)
    outcome.save()
    audit_record(
        actor=actor,
        action="outcome.declared",
        obj=outcome,
        after=audit_snapshot(outcome, OUTCOME_FIELDS),
    )
    return outcome


@transaction.atomic
def outcome_review(*, actor: Any, outcome: Outcome, validate: bool) -> Outcome:
    """Staff validate (the outcome counts) or reject a declared outcome."""
    before = {"state": outcome.state}
    outcome.state = Outcome.State.VALIDATED if validate else Outcome.State.REJECTED
    outcome.validated_by = actor
    outcome.validated_at = timezone.now()
    outcome.save(update_fields=["state", "validated_by", "validated_at"])
    audit_record(
        actor=actor,
        action=f"outcome.{outcome.state}",
        obj=outcome,
        before=before,
        after={"state": outcome.state},
    )
    return outcome


def _coordinator_contact(application: Application) -> Contact | None:
    coordinator = application.partners.filter(role=Partner.Role.COORDINATOR).first()
    if coordinator is None:
        return None
    contacts = Contact.objects.filter(
        cluster=application.cluster, organisation=coordinator.organisation_id, anonymised_at=None
    ).exclude(email="")
    return contacts.exclude(user=None).first() or contacts.first()


@transaction.atomic
def campaign_open(
    *, actor: Any, cluster: Cluster, year: int, closes_on: datetime.date
) -> FollowUpCampaign:
    """Ask every running or completed labelled project to declare the year's outcomes."""
    if FollowUpCampaign.objects.filter(cluster=cluster, year=year).exists():
        raise ValidationError(
            {"year": _("The %(year)d campaign is already open.") % {"year": year}}
        )
    if closes_on <= timezone.localdate():
        raise ValidationError({"closes_on": _("The campaign must close in the future.")})
    campaign = FollowUpCampaign.objects.create(
        cluster=cluster, year=year, closes_on=closes_on, created_by=actor
    )
    projects = Application.objects.filter(
        cluster=cluster,
        state=Application.State.LABELLED,
        project_status__in=[Application.ProjectStatus.RUNNING, Application.ProjectStatus.COMPLETED],
    )
    requests = [
        FollowUpRequest(
            cluster=cluster, campaign=campaign, application=p, contact=_coordinator_contact(p)
        )
        for p in projects
    ]
    FollowUpRequest.objects.bulk_create(requests)
    audit_record(
        actor=actor,
        action="follow_up.opened",
        obj=campaign,
        after={"year": year, "projects": len(requests), "closes_on": closes_on},
    )
    transaction.on_commit(lambda: send_follow_up_requests.enqueue(cluster.pk, campaign.pk, False))
    return campaign


@transaction.atomic
def campaign_remind(*, actor: Any, campaign: FollowUpCampaign) -> int:
    pending = campaign.requests.filter(completed_at=None).exclude(contact=None)
    count = pending.count()
    audit_record(actor=actor, action="follow_up.reminded", obj=campaign, after={"pending": count})
    transaction.on_commit(
        lambda: send_follow_up_requests.enqueue(campaign.cluster_id, campaign.pk, True)
    )
    return count


@transaction.atomic
def follow_up_complete(*, actor: Any, request: FollowUpRequest) -> FollowUpRequest:
    """The project says it has declared everything for the year (possibly nothing)."""
    if request.completed_at is None:
        request.completed_at = timezone.now()
        request.save(update_fields=["completed_at"])
        audit_record(
            actor=actor,
            action="follow_up.completed",
            obj=request.campaign,
            after={"project": request.application_id},
        )
    return request
