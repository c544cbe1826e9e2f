"""Support cases: opening one (the staff) or asking for one (a member company), changing
it, moving it to another stage, closing or reopening it, its rating by the company, its
actions and outcomes."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.errors import require
from clusterdesk.core.models import Cluster
from clusterdesk.core.rules import is_project_staff
from clusterdesk.core.storage import stored_upload
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import member_organisations
from clusterdesk.projects.models import Application, Partner
from clusterdesk.support.choices import (
    ENDED_STATUSES,
    ActionKind,
    CaseStatus,
    FundingRound,
    Need,
    OutcomeKind,
    Stage,
)
from clusterdesk.support.models import CaseAction, CaseOutcome, StagePeriod, SupportCase
from clusterdesk.support.notices import notify_support_requested
from clusterdesk.support.rules import require_on_case
from clusterdesk.support.services.common import euros, followed_organisation

CASE_FIELDS = (
    "organisation",
    "title",
    "need",
    "description",
    "stage",
    "trl",
    "owner",
    "status",
    "opened_on",
    "closed_on",
    "stage_since",
)
EDITABLE = ("title", "need", "description", "trl", "owner")
MANAGE_CASE = "support.manage_case"


def _choice(value: str, choices: Any, field: str) -> None:
    if value not in choices.values:
        raise ValidationError({field: _("Unknown value: %(value)s.") % {"value": value}})


def _check_owner(cluster: Cluster, owner: User | None) -> None:
    if owner is not None and not is_project_staff(owner, cluster):
        raise ValidationError(
            {
                "owner": _("%(person)s is not a director or project manager of the cluster.")
                % {"person": owner}
            }
        )


def _check_case(case: SupportCase) -> None:
    _choice(case.need, Need, "need")
    _choice(case.stage, Stage, "stage")
    _check_owner(case.cluster, case.owner)
    case.full_clean(
        exclude=["organisation", "owner", "requested_by", "cluster"], validate_unique=False
    )


def _open(case: SupportCase, actor: User, action: str) -> SupportCase:
    followed_organisation(case.cluster, case.organisation, field="organisation")
    _check_case(case)
    case.stage_since = case.opened_on
    case.save()
    StagePeriod.objects.create(
        cluster=case.cluster, case=case, stage=case.stage, entered_on=case.opened_on
    )
    audit_record(actor=actor, action=action, obj=case, after=audit_snapshot(case, CASE_FIELDS))
    return case


@transaction.atomic
def support_case_create(
    *,
    actor: User,
    cluster: Cluster,
    organisation: Organisation,
    title: str,
    need: str,
    stage: str,
    description: str = "",
    trl: int | None = None,
    owner: User | None = None,
    opened_on: datetime.date | None = None,
) -> SupportCase:
    """Open a case for a company the cluster follows (the support staff)."""
    require(actor, "support.manage_cases", cluster)
    case = SupportCase(
        cluster=cluster,
        organisation=organisation,
        title=title,
        need=need,
        stage=stage,
        description=description,
        trl=trl,
        owner=owner,
        status=CaseStatus.OPEN,
        opened_on=opened_on or timezone.localdate(),
    )
    return _open(case, actor, "support_case.created")


@transaction.atomic
def support_case_request(
    *,
    actor: User,
    cluster: Cluster,
    organisation: Organisation,
    title: str,
    need: str,
    stage: str,
    description: str = "",
) -> SupportCase:
    """A member company asks for support from the portal: a case the staff then take up
    (status "requested"). The person must speak for the company."""
    require(actor, "support.request_support", cluster)
    if not member_organisations(cluster=cluster, user=actor).filter(pk=organisation.pk).exists():
        raise ValidationError(
            {
                "organisation": _("You do not speak for %(organisation)s.")
                % {"organisation": organisation}
            }
        )
    case = SupportCase(
        cluster=cluster,
        organisation=organisation,
        title=title,
        need=need,
        stage=stage,
        description=description,
        status=CaseStatus.REQUESTED,
        requested_by=actor,
        opened_on=timezone.localdate(),
    )
    _open(case, actor, "support_case.requested")
    notify_support_requested(case)
    return case


@transaction.atomic
def support_case_update(*, actor: User, case: SupportCase, **values: Any) -> SupportCase:
    """Change what the case is about and who owns it (the stage and status have their own
    services, which keep their history)."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Not editable case fields: {', '.join(sorted(unknown))}")
    require_on_case(actor, MANAGE_CASE, case)
    case = SupportCase.objects.select_for_update().get(pk=case.pk)
    before = audit_snapshot(case, EDITABLE)
    for name, value in values.items():
        setattr(case, name, value)
    _check_case(case)
    case.save()
    after = audit_snapshot(case, EDITABLE)
    if before != after:
        audit_record(
            actor=actor, action="support_case.updated", obj=case, before=before, after=after
        )
    return case


@transaction.atomic
def support_case_move(
    *, actor: User, case: SupportCase, stage: str, on: datetime.date | None = None
) -> SupportCase:
    """The company reached another stage on ``on`` (today by default): the period in the
    old stage ends, one in the new stage begins. Moving a case to its own stage changes
    nothing."""
    require_on_case(actor, MANAGE_CASE, case)
    _choice(stage, Stage, "stage")
    case = SupportCase.objects.select_for_update().get(pk=case.pk)
    if case.status in ENDED_STATUSES:
        raise ValidationError({"stage": _("A closed case does not move; reopen it first.")})
    if stage == case.stage:
        return case
    on = on or timezone.localdate()
    if on < case.stage_since:
        raise ValidationError(
            {
                "on": _("The company entered its current stage on %(date)s.")
                % {"date": case.stage_since}
            }
        )
    before = audit_snapshot(case, ("stage", "stage_since"))
    StagePeriod.objects.filter(case=case, left_on=None).update(left_on=on)
    StagePeriod.objects.create(cluster=case.cluster, case=case, stage=stage, entered_on=on)
    case.stage, case.stage_since = stage, on
    if case.status == CaseStatus.REQUESTED:
        case.status = CaseStatus.OPEN
    case.save(update_fields=["stage", "stage_since", "status"])
    audit_record(
        actor=actor,
        action="support_case.stage_changed",
        obj=case,
        before=before,
        after=audit_snapshot(case, ("stage", "stage_since")),
    )
    return case


@transaction.atomic
def support_case_set_status(
    *, actor: User, case: SupportCase, status: str, on: datetime.date | None = None
) -> SupportCase:
    """Take up a requested case, put it on hold, close or decline it (on ``on``), or reopen
    it."""
    require_on_case(actor, MANAGE_CASE, case)
    _choice(status, CaseStatus, "status")
    case = SupportCase.objects.select_for_update().get(pk=case.pk)
    if status == case.status:
        return case
    if status == CaseStatus.REQUESTED:
        raise ValidationError({"status": _("Only the company asks for support.")})
    before = audit_snapshot(case, ("status", "closed_on"))
    on = on or timezone.localdate()
    if status in ENDED_STATUSES:
        if on < case.opened_on:
            raise ValidationError(
                {"on": _("The case opened on %(date)s.") % {"date": case.opened_on}}
            )
        case.closed_on = on
    else:
        case.closed_on = None
    case.status = status
    case.save(update_fields=["status", "closed_on"])
    audit_record(
        actor=actor,
        action="support_case.status_changed",
        obj=case,
        before=before,
        after=audit_snapshot(case, ("status", "closed_on")),
    )
    return case


@transaction.atomic
def support_case_rate(
    *, actor: User, case: SupportCase, satisfaction: int, comment: str = ""
) -> SupportCase:
    """The company's contact rates the support (1 to 5)."""
    require_on_case(actor, "support.rate_case", case)
    if not isinstance(satisfaction, int) or not 1 <= satisfaction <= 5:
        raise ValidationError({"satisfaction": _("Give a rating from 1 to 5.")})
    case = SupportCase.objects.select_for_update().get(pk=case.pk)
    before = audit_snapshot(case, ("satisfaction", "satisfaction_comment"))
    case.satisfaction, case.satisfaction_comment = satisfaction, comment.strip()
    case.save(update_fields=["satisfaction", "satisfaction_comment"])
    audit_record(
        actor=actor,
        action="support_case.rated",
        obj=case,
        before=before,
        after=audit_snapshot(case, ("satisfaction", "satisfaction_comment")),
    )
    return case


# -- actions and outcomes -------------------------------------------------------------------


@transaction.atomic
def case_action_add(
    *,
    actor: User,
    case: SupportCase,
    kind: str,
    subject: str,
    date: datetime.date | None = None,
    detail: str = "",
    introduced_to: Organisation | None = None,
    document: Any = None,
    shared_with_company: bool = False,
) -> CaseAction:
    """Record a meeting, an introduction (to an organisation the cluster follows), a
    document or a note on the case."""
    require_on_case(actor, MANAGE_CASE, case)
    _choice(kind, ActionKind, "kind")
    if introduced_to is not None:
        followed_organisation(case.cluster, introduced_to, field="introduced_to")
    if kind == ActionKind.INTRODUCTION and introduced_to is None:
        raise ValidationError(
            {"introduced_to": _("Name the organisation the company was introduced to.")}
        )
    if kind == ActionKind.DOCUMENT and not document:
        raise ValidationError({"document": _("Attach the document.")})
    action = CaseAction(
        cluster=case.cluster,
        case=case,
        kind=kind,
        subject=subject,
        date=date or timezone.localdate(),
        detail=detail,
        introduced_to=introduced_to,
        shared_with_company=shared_with_company,
        author=actor,
    )
    action.full_clean(exclude=["case", "introduced_to", "author", "cluster", "document"])
    after = {"kind": kind, "subject": subject, "date": action.date, "shared": shared_with_company}
    if document:
        name = getattr(document, "name", "document")
        target = action.document.field.generate_filename(action, name)
        with stored_upload(action.document.storage, target, document, field="document") as stored:
            action.document.name = stored
            action.save()
            audit_record(actor=actor, action="support_case.action_added", obj=case, after=after)
        return action
    action.save()
    audit_record(actor=actor, action="support_case.action_added", obj=case, after=after)
    return action


@transaction.atomic
def case_outcome_record(
    *,
    actor: User,
    case: SupportCase,
    kind: str,
    date: datetime.date,
    amount_eur: Any = None,
    currency: str = "EUR",
    funding_round: str = "",
    investors: str = "",
    reference: str = "",
    partner: Organisation | None = None,
    application: Application | None = None,
    note: str = "",
) -> CaseOutcome:
    """What came of the case. Funds raised need their amount in euros (never negative, never
    another currency); a partner is an organisation the cluster follows; an application is
    one of the cluster's with the company among its partners."""
    require_on_case(actor, MANAGE_CASE, case)
    _choice(kind, OutcomeKind, "kind")
    amount = euros(amount_eur, field="amount_eur", currency=currency)
    if kind == OutcomeKind.FUNDS_RAISED and amount is None:
        raise ValidationError({"amount_eur": _("Give the amount raised, in euros.")})
    if funding_round:
        _choice(funding_round, FundingRound, "funding_round")
    if partner is not None:
        followed_organisation(case.cluster, partner, field="partner")
    if kind == OutcomeKind.PARTNER_FOUND and partner is None:
        raise ValidationError({"partner": _("Name the partner found.")})
    if application is not None:
        ours = Partner.objects.filter(
            cluster=case.cluster, application=application, organisation=case.organisation
        )
        if application.cluster_id != case.cluster_id or not ours.exists():
            raise ValidationError(
                {
                    "application": _("%(organisation)s is not a partner of this application.")
                    % {"organisation": case.organisation}
                }
            )
    if kind == OutcomeKind.APPLICATION_SUBMITTED and application is None and not reference:
        raise ValidationError({"application": _("Name the application (or give its reference).")})
    outcome = CaseOutcome(
        cluster=case.cluster,
        case=case,
        kind=kind,
        date=date,
        amount_eur=amount,
        funding_round=funding_round,
        investors=investors,
        reference=reference,
        partner=partner,
        application=application,
        note=note,
        recorded_by=actor,
    )
    outcome.full_clean(exclude=["case", "partner", "application", "recorded_by", "cluster"])
    outcome.save()
    audit_record(
        actor=actor,
        action="support_case.outcome_recorded",
        obj=case,
        after=audit_snapshot(
            outcome,
            (
                "kind",
                "date",
                "amount_eur",
                "funding_round",
                "investors",
                "reference",
                "partner",
                "application",
            ),
        ),
    )
    return outcome
