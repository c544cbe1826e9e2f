"""Writes of the labelling workflow. One service moves an application between states
(``application_transition``): it checks the transition and its rules, writes the audit
entry and sends the e-mails once the transaction commits."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.models import Cluster
from clusterdesk.core.storage import stored_upload
from clusterdesk.crm.models import Organisation, Relationship
from clusterdesk.projects.models import (
    Application,
    ApplicationDocument,
    Call,
    CommitteeSession,
    Conflict,
    Criterion,
    ExpertProfile,
    FundingApplication,
    FundingLine,
    Partner,
    Review,
    ReviewAssignment,
    ReviewScore,
)
from clusterdesk.projects.selectors import conflicts_of, eligibility_problems

S = Application.State
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.ELIGIBLE, S.INELIGIBLE, S.WITHDRAWN},
    S.ELIGIBLE: {S.UNDER_REVIEW, S.WITHDRAWN},
    S.UNDER_REVIEW: {S.AT_COMMITTEE, S.WITHDRAWN},
    S.AT_COMMITTEE: {S.LABELLED, S.NOT_LABELLED, S.REVISE, S.WITHDRAWN},
    S.REVISE: {S.SUBMITTED, S.WITHDRAWN},
}
# States where the reason is required: the applicants are told why.
NEEDS_REASON = {S.INELIGIBLE, S.LABELLED, S.NOT_LABELLED, S.REVISE}
DECISIONS = {S.LABELLED, S.NOT_LABELLED, S.REVISE}
APPLICATION_FIELDS = (
    "acronym",
    "title",
    "summary",
    "summary_en",
    "trl_start",
    "trl_target",
    "duration_months",
)
ALLOWED_DOCUMENTS = {".pdf", ".docx", ".xlsx", ".odt", ".ods", ".pptx", ".png", ".jpg", ".jpeg"}
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


# -- calls ------------------------------------------------------------------------------


@transaction.atomic
def call_save(
    *, actor: Any, call: Call, domains: Iterable[Any] | None = None, **values: Any
) -> Call:
    creating = call.pk is None
    fields = (
        "title",
        "kind",
        "funder",
        "reference",
        "opens_on",
        "closes_on",
        "min_partners",
        "requires_sme",
        "requires_research",
        "reviewers_per_application",
        "review_deadline",
        "score_max",
    )
    before = None if creating else audit_snapshot(call, fields)
    for name, value in values.items():
        setattr(call, name, value)
    if call.closes_on and call.closes_on < call.opens_on:
        raise ValidationError({"closes_on": _("The call closes before it opens.")})
    call.full_clean(exclude=["cluster", "domains"])
    call.save()
    if domains is not None:
        call.domains.set(domains)
    audit_record(
        actor=actor,
        action="call.created" if creating else "call.updated",
        obj=call,
        before=before,
        after=audit_snapshot(call, fields),
    )
    return call


@transaction.atomic
def criterion_add(
    *, actor: Any, call: Call, name: str, weight: Decimal, name_en: str = ""
) -> Criterion:
    if weight <= 0:
        raise ValidationError({"weight": _("A weight is positive.")})
    position = (call.criteria.aggregate(m=Max("position"))["m"] or 0) + 1
    criterion = Criterion.objects.create(
        cluster=call.cluster,
        call=call,
        name=name,
        name_en=name_en,
        weight=weight,
        position=position,
    )
    audit_record(
        actor=actor,
        action="call.criterion_added",
        obj=call,
        after={"criterion": name, "weight": weight},
    )
    return criterion


# -- applications and consortium ----------------------------------------------------------


@transaction.atomic
def application_create(
    *,
    actor: Any,
    call: Call,
    coordinator: Organisation,
    domains: Iterable[Any] = (),
    themes: Iterable[Any] = (),
    **values: Any,
) -> Application:
    """A draft with its coordinator; members create it from the portal, staff from the office."""
    application = Application(cluster=call.cluster, call=call, created_by=actor, **values)
    application.full_clean(
        exclude=["cluster", "call", "created_by", "committee_session", "label_code"]
    )
    application.save()
    application.domains.set(domains)
    application.themes.set(themes)
    Partner.objects.create(
        cluster=call.cluster,
        application=application,
        organisation=coordinator,
        role=Partner.Role.COORDINATOR,
    )
    Relationship.objects.get_or_create(cluster=call.cluster, organisation=coordinator)
    audit_record(
        actor=actor,
        action="application.created",
        obj=application,
        after=audit_snapshot(application, APPLICATION_FIELDS) | {"coordinator": coordinator.pk},
    )
    return application


@transaction.atomic
def application_update(
    *,
    actor: Any,
    application: Application,
    domains: Iterable[Any] | None = None,
    themes: Iterable[Any] | None = None,
    **values: Any,
) -> Application:
    if application.state not in (S.DRAFT, S.REVISE, S.SUBMITTED, S.ELIGIBLE):
        raise ValidationError(_("The file cannot change once it is under review."))
    before = audit_snapshot(application, APPLICATION_FIELDS)
    for name, value in values.items():
        setattr(application, name, value)
    application.full_clean(
        exclude=["cluster", "call", "created_by", "committee_session", "label_code"]
    )
    application.save()
    if domains is not None:
        application.domains.set(domains)
    if themes is not None:
        application.themes.set(themes)
    after = audit_snapshot(application, APPLICATION_FIELDS)
    if before != after:
        audit_record(
            actor=actor, action="application.updated", obj=application, before=before, after=after
        )
    return application


@transaction.atomic
def partner_save(
    *, actor: Any, application: Application, organisation: Organisation, **values: Any
) -> Partner:
    """Add an organisation to the consortium, or change its share."""
    if application.state not in (S.DRAFT, S.REVISE):
        raise ValidationError(_("The consortium can change only while the file is a draft."))
    partner = Partner.objects.filter(application=application, organisation=organisation).first()
    creating = partner is None
    if partner is None:
        partner = Partner(
            cluster=application.cluster, application=application, organisation=organisation
        )
    fields = ("role", "budget_eur", "requested_aid_eur", "person_months")
    before = None if creating else audit_snapshot(partner, fields)
    for name, value in values.items():
        setattr(partner, name, value)
    if partner.requested_aid_eur > partner.budget_eur:
        raise ValidationError({"requested_aid_eur": _("The aid requested exceeds the budget.")})
    if (
        partner.role == Partner.Role.COORDINATOR
        and application.partners.filter(role=Partner.Role.COORDINATOR)
        .exclude(pk=partner.pk)
        .exists()
    ):
        raise ValidationError({"role": _("The consortium already has a coordinator.")})
    partner.full_clean(exclude=["cluster", "application", "organisation", "contact"])
    partner.save()
    Relationship.objects.get_or_create(cluster=application.cluster, organisation=organisation)
    audit_record(
        actor=actor,
        action="application.partner_saved",
        obj=application,
        before=before,
        after={"organisation": organisation.pk} | audit_snapshot(partner, fields),
    )
    return partner


@transaction.atomic
def partner_remove(*, actor: Any, partner: Partner) -> None:
    application = partner.application
    if application.state not in (S.DRAFT, S.REVISE):
        raise ValidationError(_("The consortium can change only while the file is a draft."))
    if partner.role == Partner.Role.COORDINATOR:
        raise ValidationError(_("The coordinator cannot leave its own project."))
    audit_record(
        actor=actor,
        action="application.partner_removed",
        obj=application,
        before={"organisation": partner.organisation_id},
    )
    partner.delete()


@transaction.atomic
def document_add(
    *, actor: Any, application: Application, upload: Any, kind: str = ApplicationDocument.Kind.OTHER
) -> ApplicationDocument:
    name = str(upload.name)
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in ALLOWED_DOCUMENTS:
        raise ValidationError(
            {
                "file": _("Send a PDF, an office document or an image (%(types)s).")
                % {"types": ", ".join(sorted(ALLOWED_DOCUMENTS))}
            }
        )
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB.")})
    document = ApplicationDocument(
        cluster=application.cluster,
        application=application,
        kind=kind,
        name=name[:200],
        size=upload.size,
        uploaded_by=actor,
    )
    target = document.file.field.generate_filename(document, name)
    with stored_upload(document.file.storage, target, upload, field="file") as stored:
        document.file.name = stored
        document.save()
        audit_record(
            actor=actor,
            action="application.document_added",
            obj=application,
            after={"document": name, "kind": kind, "size": upload.size},
        )
    return document


# -- the workflow -----------------------------------------------------------------------


def _check_transition(
    application: Application, to: str, reason: str, session: CommitteeSession | None
) -> None:
    if to not in TRANSITIONS.get(application.state, set()):
        raise ValidationError(
            _("An application cannot go from “%(from)s” to “%(to)s”.")
            % {"from": application.get_state_display(), "to": S(to).label}
        )
    if to in NEEDS_REASON and not reason.strip():
        raise ValidationError({"reason": _("Give the reason: the applicants will read it.")})
    if to == S.SUBMITTED:
        missing = [f for f in ("acronym", "title", "summary") if not getattr(application, f)]
        if missing:
            raise ValidationError(
                _("Complete the file before submitting it: %(fields)s.")
                % {"fields": ", ".join(missing)}
            )
        if not application.call.is_open():
            raise ValidationError(_("The call is closed."))
    if to == S.ELIGIBLE:
        problems = eligibility_problems(application)
        if problems:
            raise ValidationError(problems)
    if to == S.UNDER_REVIEW and not application.assignments.exists():
        raise ValidationError(_("Assign reviewers first."))
    if to == S.AT_COMMITTEE and session is None:
        raise ValidationError({"session": _("Choose the committee session.")})


def _next_label_number(cluster: Cluster, year: int) -> str:
    prefix = f"{cluster.slug[:12].rstrip('-').upper()}-{year}-"
    numbers = Application.objects.filter(cluster=cluster, label_number__startswith=prefix)
    last = max(
        (int(n.rsplit("-", 1)[1]) for n in numbers.values_list("label_number", flat=True)),
        default=0,
    )
    return f"{prefix}{last + 1:03d}"


@transaction.atomic
def application_transition(
    *,
    actor: Any,
    application: Application,
    to: str,
    reason: str = "",
    session: CommitteeSession | None = None,
    today: datetime.date | None = None,
) -> Application:
    """Move the application to ``to``, if allowed; audit it and tell the applicants."""
    from clusterdesk.projects.tasks import send_state_notice

    application = Application.objects.select_for_update().get(pk=application.pk)
    _check_transition(application, to, reason, session)
    before = {"state": application.state}
    now = timezone.now()
    application.state = to
    application.state_reason = reason.strip()
    if to == S.SUBMITTED:
        application.submitted_at = now
    if to == S.AT_COMMITTEE:
        application.committee_session = session
    if to in DECISIONS:
        application.decided_at = now
    if to == S.LABELLED:
        day = today or (
            application.committee_session.date
            if application.committee_session
            else timezone.localdate()
        )
        application.label_date = day
        application.label_number = _next_label_number(application.cluster, day.year)
        application.label_code = Application.new_label_code()
    application.save()
    audit_record(
        actor=actor,
        action=f"application.{to}",
        obj=application,
        before=before,
        after={
            "state": to,
            "reason": application.state_reason,
            "label_number": application.label_number or None,
        },
    )
    transaction.on_commit(
        lambda: send_state_notice.enqueue(application.cluster_id, application.pk, to)
    )
    return application


@transaction.atomic
def project_update(
    *,
    actor: Any,
    application: Application,
    status: str,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
) -> Application:
    """The labelled project runs: its status and dates."""
    if application.state != S.LABELLED:
        raise ValidationError(_("Only a labelled project runs."))
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": _("The project ends before it starts.")})
    fields = ("project_status", "start_date", "end_date")
    before = audit_snapshot(application, fields)
    application.project_status, application.start_date, application.end_date = (
        status,
        start_date,
        end_date,
    )
    application.full_clean(
        exclude=["cluster", "call", "created_by", "committee_session", "label_code"]
    )
    application.save(update_fields=list(fields))
    audit_record(
        actor=actor,
        action="project.updated",
        obj=application,
        before=before,
        after=audit_snapshot(application, fields),
    )
    return application


# -- experts, conflicts, assignments and reviews -----------------------------------------


@transaction.atomic
def expert_profile_save(
    *, actor: Any, cluster: Cluster, user: Any, domains: Iterable[Any] = (), **values: Any
) -> ExpertProfile:
    profile, created = ExpertProfile.objects.get_or_create(cluster=cluster, user=user)
    for name, value in values.items():
        setattr(profile, name, value)
    profile.full_clean(exclude=["cluster", "user", "organisation", "domains"])
    profile.save()
    profile.domains.set(domains)
    audit_record(
        actor=actor,
        action="expert.created" if created else "expert.updated",
        obj=profile,
        after=audit_snapshot(profile, ("competences", "languages", "max_load", "organisation")),
    )
    return profile


@transaction.atomic
def conflict_record(
    *, actor: Any, application: Application, expert: ExpertProfile, reason: str, source: str
) -> Conflict:
    """A conflict declared by the expert or recorded by staff; any assignment goes."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the conflict is.")})
    conflict, _created = Conflict.objects.update_or_create(
        cluster=application.cluster,
        application=application,
        expert=expert,
        defaults={"reason": reason.strip(), "source": source, "recorded_by": actor},
    )
    ReviewAssignment.objects.filter(application=application, expert=expert).delete()
    audit_record(
        actor=actor,
        action="review.conflict_recorded",
        obj=application,
        after={"expert": expert.pk, "source": source},
    )
    return conflict


@transaction.atomic
def assignment_declare_no_conflict(*, actor: Any, assignment: ReviewAssignment) -> None:
    if assignment.expert.user_id != getattr(actor, "pk", None):
        raise ValidationError(_("Only the expert declares their own conflicts."))
    if assignment.no_conflict_declared_at is None:
        assignment.no_conflict_declared_at = timezone.now()
        assignment.save(update_fields=["no_conflict_declared_at"])
        audit_record(
            actor=actor,
            action="review.no_conflict_declared",
            obj=assignment.application,
            after={"expert": assignment.expert_id},
        )


@transaction.atomic
def assignment_set(
    *, actor: Any, application: Application, expert: ExpertProfile, locked: bool = True
) -> ReviewAssignment:
    """Staff pick (and keep, by default) an expert for an application by hand."""
    blocked = {
        (c.expert_id, c.application_id)
        for c in conflicts_of(call=application.call, experts=[expert])
    }
    if (expert.pk, application.pk) in blocked:
        raise ValidationError(_("This expert has a conflict of interest with the application."))
    assignment, created = ReviewAssignment.objects.get_or_create(
        cluster=application.cluster,
        application=application,
        expert=expert,
        defaults={"locked": locked},
    )
    if not created and assignment.locked != locked:
        assignment.locked = locked
        assignment.save(update_fields=["locked"])
    audit_record(
        actor=actor,
        action="review.assigned",
        obj=application,
        after={"expert": expert.pk, "locked": locked},
    )
    return assignment


@transaction.atomic
def assignment_remove(*, actor: Any, assignment: ReviewAssignment) -> None:
    if hasattr(assignment, "review") and assignment.review.submitted_at:
        raise ValidationError(_("This expert has already reviewed the application."))
    audit_record(
        actor=actor,
        action="review.unassigned",
        obj=assignment.application,
        before={"expert": assignment.expert_id},
    )
    assignment.delete()


@transaction.atomic
def review_save(
    *,
    actor: Any,
    assignment: ReviewAssignment,
    scores: dict[int, int],
    comments: str,
    recommendation: str,
    submit: bool,
) -> Review:
    """Save (and optionally submit) the expert's scores per criterion and recommendation."""
    application = assignment.application
    if assignment.expert.user_id != getattr(actor, "pk", None):
        raise ValidationError(_("Only the assigned expert writes this review."))
    if assignment.no_conflict_declared_at is None:
        raise ValidationError(_("Declare that you have no conflict of interest first."))
    if application.state != S.UNDER_REVIEW:
        raise ValidationError(_("The application is not under review."))
    review, _c = Review.objects.get_or_create(cluster=application.cluster, assignment=assignment)
    if review.submitted_at:
        raise ValidationError(_("This review was submitted; it cannot change."))
    criteria = {c.pk: c for c in application.call.criteria.all()}
    errors = {}
    for pk, score in scores.items():
        if pk not in criteria:
            errors[f"score_{pk}"] = _("Not a criterion of this call.")
        elif not 0 <= score <= application.call.score_max:
            errors[f"score_{pk}"] = _("A score is between 0 and %(max)d.") % {
                "max": application.call.score_max
            }
    if submit and set(criteria) - set(scores):
        errors["scores"] = _("Score every criterion before submitting.")
    if submit and not recommendation:
        errors["recommendation"] = _("Give your recommendation.")
    if errors:
        raise ValidationError(errors)
    for pk, score in scores.items():
        ReviewScore.objects.update_or_create(
            cluster=application.cluster,
            review=review,
            criterion=criteria[pk],
            defaults={"score": score},
        )
    review.comments, review.recommendation = comments, recommendation
    if submit:
        review.submitted_at = timezone.now()
    review.save()
    audit_record(
        actor=actor,
        action="review.submitted" if submit else "review.saved",
        obj=application,
        after={"expert": assignment.expert_id, "recommendation": recommendation},
    )
    return review


# -- committee --------------------------------------------------------------------------


@transaction.atomic
def session_save(
    *, actor: Any, session: CommitteeSession, members: Iterable[Any], **values: Any
) -> CommitteeSession:
    creating = session.pk is None
    for name, value in values.items():
        setattr(session, name, value)
    session.full_clean(exclude=["cluster", "members"])
    session.save()
    session.members.set(members)
    audit_record(
        actor=actor,
        action="committee.created" if creating else "committee.updated",
        obj=session,
        after={"date": session.date, "members": [m.pk for m in members]},
    )
    return session


# -- funding ----------------------------------------------------------------------------


@transaction.atomic
def funding_save(
    *,
    actor: Any,
    application: Application,
    funding: FundingApplication | None,
    lines: dict[int, tuple[Decimal, Decimal]],
    **values: Any,
) -> FundingApplication:
    """A funding application of a labelled project, with each partner's requested and
    granted amounts (partner id -> (requested, granted))."""
    if application.state != S.LABELLED:
        raise ValidationError(_("Only a labelled project applies for funding here."))
    creating = funding is None
    if funding is None:
        funding = FundingApplication(cluster=application.cluster, application=application)
    fields = ("funder", "programme", "reference", "status", "submitted_on", "decided_on")
    before = None if creating else audit_snapshot(funding, fields)
    for name, value in values.items():
        setattr(funding, name, value)
    if (
        funding.status in (FundingApplication.Status.GRANTED, FundingApplication.Status.REFUSED)
        and funding.decided_on is None
    ):
        raise ValidationError({"decided_on": _("Give the date of the decision.")})
    funding.full_clean(exclude=["cluster", "application"])
    funding.save()
    partners = {p.pk: p for p in application.partners.all()}
    for partner_id, (requested, granted) in lines.items():
        if partner_id not in partners:
            raise ValidationError(
                _("Partner %(id)s is not in this consortium.") % {"id": partner_id}
            )
        if requested < 0 or granted < 0:
            raise ValidationError(_("Amounts cannot be negative."))
        if granted and funding.status != FundingApplication.Status.GRANTED:
            raise ValidationError(_("Only a granted application has granted amounts."))
        FundingLine.objects.update_or_create(
            cluster=application.cluster,
            funding=funding,
            partner=partners[partner_id],
            defaults={"requested_eur": requested, "granted_eur": granted},
        )
    audit_record(
        actor=actor,
        action="funding.created" if creating else "funding.updated",
        obj=application,
        before=before,
        after=audit_snapshot(funding, fields)
        | {"lines": {str(k): [v[0], v[1]] for k, v in lines.items()}},
    )
    return funding


@transaction.atomic
def assignment_propose(*, actor: Any, call: Call, affinity: Any = None) -> dict[str, Any]:
    """Propose reviewers for every application of the call awaiting review: maximum total
    affinity, ``reviewers_per_application`` each, loads within each expert's maximum,
    conflicts excluded, staff's kept (locked) pairs kept. Unlocked assignments without a
    submitted review are replaced by the proposal. Returns the solver's summary."""
    from clusterdesk.solvers import reviewers as solver
    from clusterdesk.solvers.reviewers import affinity as affinity_lib

    model = affinity or affinity_lib.TfidfDomainAffinity()
    applications = list(
        call.applications.filter(state__in=[S.ELIGIBLE, S.UNDER_REVIEW])
        .prefetch_related("domains")
        .order_by("pk")
    )
    experts = list(
        ExpertProfile.objects.filter(cluster=call.cluster)
        .select_related("organisation")
        .prefetch_related("domains")
        .order_by("pk")
    )
    if not applications or not experts:
        raise ValidationError(_("The call needs applications awaiting review and experts."))
    app_index = {a.pk: i for i, a in enumerate(applications)}
    expert_index = {e.pk: r for r, e in enumerate(experts)}
    current = list(
        ReviewAssignment.objects.filter(application__in=applications).select_related("review")
    )
    kept = [a for a in current if a.locked or (hasattr(a, "review") and a.review.submitted_at)]
    scores = model.score_matrix(
        [
            affinity_lib.ApplicationProfile(
                id=a.pk,
                summary=f"{a.title} {a.summary} {a.summary_en}",
                domains=[d.name for d in a.domains.all()],
            )
            for a in applications
        ],
        [
            affinity_lib.ExpertProfile(
                id=e.pk, competences=e.competences, domains=[d.name for d in e.domains.all()]
            )
            for e in experts
        ],
    )
    conflicts = {
        (app_index[c.application_id], expert_index[c.expert_id])
        for c in conflicts_of(call=call, experts=experts)
        if c.application_id in app_index
    }
    locked = [(app_index[a.application_id], expert_index[a.expert_id]) for a in kept]
    try:
        problem = solver.make_problem(
            [
                solver.Item(id=a.pk, reviewers_needed=call.reviewers_per_application)
                for a in applications
            ],
            [solver.Reviewer(id=e.pk, max_load=e.max_load) for e in experts],
            scores,
            conflicts=sorted(conflicts - set(locked)),
            locked=locked,
        )
    except solver.ReviewerInputError as exc:
        # Kept pairs beyond a load or a need: staff must unlock some first.
        raise ValidationError(str(exc)) from exc
    result = solver.assign(problem)
    kept_ids = {a.pk for a in kept}
    ReviewAssignment.objects.filter(application__in=applications).exclude(pk__in=kept_ids).delete()
    kept_pairs = {(a.application_id, a.expert_id) for a in kept}
    new = [
        ReviewAssignment(
            cluster=call.cluster,
            application_id=int(p.item),
            expert_id=int(p.reviewer),
            affinity=p.score,
        )
        for p in result.pairs
        if (int(p.item), int(p.reviewer)) not in kept_pairs
    ]
    ReviewAssignment.objects.bulk_create(new)
    summary = {
        "assigned": len(result.pairs),
        "kept": len(kept),
        "total_affinity": round(result.total_score, 4),
        "unfilled": [{"application": int(u.item), "missing": u.missing} for u in result.unfilled],
        "solve_s": round(result.solve_s, 4),
    }
    audit_record(actor=actor, action="review.assignment_proposed", obj=call, after=summary)
    return summary


@transaction.atomic
def review_remind(*, actor: Any, call: Call) -> int:
    """Remind every expert whose review of an application under review is not submitted
    (before the call's review deadline, if any), once the transaction commits."""
    from clusterdesk.projects.tasks import send_review_reminders

    pending = (
        ReviewAssignment.objects.filter(application__call=call, application__state=S.UNDER_REVIEW)
        .exclude(review__submitted_at__isnull=False)
        .select_related("expert__user")
    )
    ids = [a.pk for a in pending]
    now = timezone.now()
    ReviewAssignment.objects.filter(pk__in=ids).update(reminded_at=now)
    audit_record(
        actor=actor,
        action="review.reminded",
        obj=call,
        after={"assignments": len(ids), "deadline": call.review_deadline},
    )
    if ids:
        transaction.on_commit(lambda: send_review_reminders.enqueue(call.cluster_id, ids))
    return len(ids)
