"""Writes of results: declaring an outcome with its evidence, validating outcomes, the
yearly follow-up campaign.

Each service checks its permission itself (``results/rules.py``): the back office and the
member portal call the same ``outcome_declare``, and the person's role decides. A project
is confidential: someone who may not see it gets ``NotVisible`` (a 404), someone who sees
it but may not declare gets ``NotAllowed`` (a 403). Regional grants and State ratings have
no write service yet (the demo loads them); the reports are started by
``results.reports.report_start``.
"""

from __future__ import annotations

import contextlib
import datetime
import posixpath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.errors import Conflict, NotAllowed, NotVisible, require
from clusterdesk.core.models import Cluster
from clusterdesk.core.storage import stored_upload
from clusterdesk.jobs.models import Job
from clusterdesk.jobs.services import job_start
from clusterdesk.projects.models import Application
from clusterdesk.results.indicators import REGISTRY
from clusterdesk.results.models import FollowUpCampaign, FollowUpRequest, Outcome
from clusterdesk.results.reports import FORMATS as REPORT_FORMATS
from clusterdesk.results.rules import DRILL_DOWN_PERMISSIONS
from clusterdesk.results.selectors import campaign_projects, follow_up_contact
from clusterdesk.results.tasks import (
    build_report,
    export_indicator_records,
    send_follow_up_requests,
)

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


def _require_declare(actor: User, cluster: Cluster, application: Application | None) -> None:
    """Project staff declare any outcome; a project's consortium contacts (portal) declare
    the project's. Whoever may not see the project is answered as if it did not exist."""
    if application is None:
        require(actor, "results.manage_outcomes", cluster)
        return
    if application.cluster_id != cluster.pk:
        raise ValidationError({"application": _("This project belongs to another cluster.")})
    hidden = not actor.has_perm("projects.view_application", application)
    require(actor, "results.declare_outcome", application, hidden=hidden)


@transaction.atomic
def outcome_declare(
    *,
    actor: User,
    cluster: Cluster,
    application: Application | None = None,
    follow_up: FollowUpRequest | None = None,
    evidence: UploadedFile | None = None,
    **values: Any,
) -> Outcome:
    """Record an outcome as declared, with its evidence (a file, or ``evidence_url``).

    In answer to a follow-up request, the outcome is the request's project's and the request
    must still be open."""
    unknown = set(values) - set(OUTCOME_FIELDS)
    if unknown:
        raise TypeError(f"Not outcome fields: {', '.join(sorted(unknown))}")
    if follow_up is not None:
        # Someone else's request is not found, whatever the reason.
        require(actor, "results.answer_follow_up", follow_up, hidden=True)
        application = follow_up.application
    else:
        _require_declare(actor, cluster, application)
    if follow_up is not None and follow_up.completed_at is not None:
        raise ValidationError(_("This follow-up is complete: nothing more can be declared."))
    outcome = Outcome(
        cluster=cluster, application=application, declared_by=actor, follow_up=follow_up, **values
    )
    _check_outcome(outcome)
    outcome.save()
    audit_record(
        actor=actor,
        action="outcome.declared",
        obj=outcome,
        after=audit_snapshot(outcome, OUTCOME_FIELDS),
    )
    if evidence is not None:
        _evidence_store(actor=actor, outcome=outcome, upload=evidence)
    return outcome


def evidence_path(outcome: Outcome, filename: str) -> str:
    # Stored per cluster and outcome, served only through a permission-checked view.
    name = get_valid_filename(posixpath.basename(filename.replace("\\", "/"))) or "evidence"
    return f"clusters/{outcome.cluster_id}/outcomes/{outcome.pk}/{name}"


def _evidence_store(
    *, actor: User, outcome: Outcome, upload: UploadedFile | None, url: str = ""
) -> Outcome:
    before = {"evidence": outcome.evidence.name or "", "evidence_url": outcome.evidence_url}
    fields = []
    # A file that cannot be stored is a clear error; one whose row fails is removed again.
    with contextlib.ExitStack() as on_failure:
        if upload is not None:
            storage = Outcome._meta.get_field("evidence").storage
            target = evidence_path(outcome, upload.name or "")
            outcome.evidence.name = on_failure.enter_context(
                stored_upload(storage, target, upload, field="evidence")
            )
            fields.append("evidence")
        if url:
            outcome.evidence_url = url
            fields.append("evidence_url")
        if not fields:
            return outcome
        outcome.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="outcome.evidence",
            obj=outcome,
            before=before,
            after={"evidence": outcome.evidence.name or "", "evidence_url": outcome.evidence_url},
        )
    return outcome


@transaction.atomic
def outcome_evidence_attach(
    *, actor: User, outcome: Outcome, upload: UploadedFile | None = None, url: str = ""
) -> Outcome:
    """Add or replace the evidence of an outcome already declared (project staff): a file
    stored under its cluster, or a link. A replaced file stays in storage (the audit entry
    names it)."""
    require(actor, "results.manage_outcomes", outcome.cluster)
    return _evidence_store(actor=actor, outcome=outcome, upload=upload, url=url)


@transaction.atomic
def outcome_review(*, actor: User, outcome: Outcome, validate: bool) -> Outcome:
    """Staff validate (the outcome counts) or reject a declared outcome."""
    require(actor, "results.manage_outcomes", outcome.cluster)
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


@transaction.atomic
def campaign_open(
    *, actor: User, cluster: Cluster, year: int, closes_on: datetime.date
) -> FollowUpCampaign:
    """Ask every running or completed labelled project to declare the year's outcomes."""
    require(actor, "results.manage_outcomes", cluster)
    if FollowUpCampaign.objects.filter(cluster=cluster, year=year).exists():
        raise ValidationError(
            {"year": _("The %(year)d campaign is already open.") % {"year": year}}
        )
    if closes_on <= timezone.localdate():
        raise ValidationError({"closes_on": _("The campaign must close in the future.")})
    campaign = FollowUpCampaign.objects.create(
        cluster=cluster, year=year, closes_on=closes_on, created_by=actor
    )
    requests = [
        FollowUpRequest(
            cluster=cluster, campaign=campaign, application=p, contact=follow_up_contact(p)
        )
        for p in campaign_projects(cluster)
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
def campaign_project_add(
    *, actor: User, campaign: FollowUpCampaign, application: Application
) -> FollowUpRequest:
    """Ask one more labelled project in an open campaign (one labelled or finished after
    the campaign opened, or forgotten): its coordinator's contact is e-mailed."""
    require(actor, "results.manage_outcomes", campaign.cluster)
    if application.cluster_id != campaign.cluster_id:
        raise NotVisible
    if application.state != Application.State.LABELLED:
        raise ValidationError(
            {"application": _("Only a labelled project is asked for its outcomes.")}
        )
    if campaign.closes_on < timezone.localdate():
        raise ValidationError(_("The %(year)d campaign is closed.") % {"year": campaign.year})
    existing = campaign.requests.filter(application=application).first()
    if existing is not None:
        raise Conflict(
            _("%(acronym)s is already asked in the %(year)d campaign.")
            % {"acronym": application.acronym, "year": campaign.year}
        )
    request = FollowUpRequest.objects.create(
        cluster=campaign.cluster,
        campaign=campaign,
        application=application,
        contact=follow_up_contact(application),
    )
    audit_record(
        actor=actor,
        action="follow_up.project_added",
        obj=campaign,
        after={"project": application.acronym},
    )
    transaction.on_commit(
        lambda: send_follow_up_requests.enqueue(
            campaign.cluster_id, campaign.pk, False, [request.pk]
        )
    )
    return request


@transaction.atomic
def campaign_remind(*, actor: User, campaign: FollowUpCampaign) -> int:
    """Remind the projects that have not answered yet."""
    require(actor, "results.manage_outcomes", campaign.cluster)
    pending = campaign.requests.filter(completed_at=None).exclude(contact=None)
    count = pending.count()
    audit_record(actor=actor, action="follow_up.reminded", obj=campaign, after={"pending": count})
    transaction.on_commit(
        lambda: send_follow_up_requests.enqueue(campaign.cluster_id, campaign.pk, True)
    )
    return count


@transaction.atomic
def follow_up_complete(*, actor: User, request: FollowUpRequest) -> FollowUpRequest:
    """The project says it has declared everything for the year (possibly nothing): whoever
    may answer it."""
    require(actor, "results.answer_follow_up", request, hidden=True)
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


# -- background work a person starts and follows on the job's page ------------------------


def report_start(
    *,
    actor: User,
    cluster: Cluster,
    label: str,
    language: str,
    report: str,
    fmt: str,
    **params: Any,
) -> Job:
    """Build a report for funders in the background (who may read indicators: the staff and
    the region's funders); what it lists is decided when it is built, from the person."""
    require(actor, "results.view_indicators", cluster)
    if fmt not in REPORT_FORMATS or report not in ("annual", "custom"):
        raise ValidationError(_("Unknown report or format."))
    return job_start(
        cluster=cluster,
        user=actor,
        kind="results.report",
        label=label,
        task=build_report,
        language=language,
        report=report,
        fmt=fmt,
        **params,
    )


def records_export_start(
    *,
    actor: User,
    cluster: Cluster,
    name: str,
    label: str,
    start: datetime.date,
    end: datetime.date,
    filters: dict[str, Any],
    fmt: str,
) -> Job:
    """Export the records an indicator counts (CSV or XLSX) in the background, for the staff
    who may drill down into its group."""
    indicator = REGISTRY.get(name)
    if indicator is None or indicator.records is None:
        raise ValidationError(_("No records behind this figure."))
    permission = DRILL_DOWN_PERMISSIONS.get(indicator.group)
    if permission is None:
        raise NotAllowed(name)
    require(actor, permission, cluster)
    if fmt not in ("csv", "xlsx"):
        raise ValidationError(_("Unknown format."))
    return job_start(
        cluster=cluster,
        user=actor,
        kind="results.export",
        label=label,
        task=export_indicator_records,
        name=name,
        start=start.isoformat(),
        end=end.isoformat(),
        filters=filters,
        fmt=fmt,
    )
