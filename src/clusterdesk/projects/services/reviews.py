"""Experts, conflicts of interest, reviewer assignments and reviews.

The project staff (``projects.manage_calls`` on the cluster, ``projects.manage_application``
on an application) keep the expert network, record conflicts and assign reviewers; an
expert declares their own conflicts and writes their own reviews, and anyone else's
assignment is unknown to them (NotVisible).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.errors import NotAllowed, NotVisible, require
from clusterdesk.core.models import Cluster
from clusterdesk.projects.matching import (
    PROPOSAL_BUDGET_S,
    embedding_cache,
    embedding_cache_keep,
    encoder_name,
    why_json,
)
from clusterdesk.projects.models import (
    Application,
    Call,
    Conflict,
    ExpertProfile,
    Review,
    ReviewAssignment,
    ReviewScore,
)
from clusterdesk.projects.rules import require_on_application
from clusterdesk.projects.selectors.reviews import assignments_to_keep, conflicts_of
from clusterdesk.projects.states import ELIGIBLE, UNDER_REVIEW
from clusterdesk.projects.tasks import send_assignment_notices, send_review_reminders

MANAGE_CALLS = "projects.manage_calls"
MANAGE_APPLICATION = "projects.manage_application"


def _require_own(actor: User, assignment: ReviewAssignment) -> None:
    """An expert acts on their own assignments only; anyone else's is unknown to them."""
    if assignment.expert.user_id != actor.pk:
        raise NotVisible("projects.review")


@transaction.atomic
def expert_profile_save(
    *, actor: User, cluster: Cluster, user: Any, domains: Iterable[Any] = (), **values: Any
) -> ExpertProfile:
    require(actor, MANAGE_CALLS, cluster)
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
    *, actor: User, application: Application, expert: ExpertProfile, reason: str, source: str
) -> Conflict:
    """A conflict declared by the expert (``source`` "declared", on an application they are
    assigned to) or recorded by staff. The assignment goes with its draft review; a submitted
    review is kept and its assignment flagged for staff."""
    if source == Conflict.Source.DECLARED:
        require(actor, "projects.declare_conflict", application, hidden=True)
        if expert.user_id != actor.pk:
            raise NotAllowed("projects.declare_conflict")
    else:
        require_on_application(actor, MANAGE_APPLICATION, application)
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the conflict is.")})
    conflict, _created = Conflict.objects.update_or_create(
        cluster=application.cluster,
        application=application,
        expert=expert,
        defaults={"reason": reason.strip(), "source": source, "recorded_by": actor},
    )
    assignment = (
        ReviewAssignment.objects.select_for_update()
        .filter(application=application, expert=expert)
        .first()
    )
    reviewed = (
        assignment is not None
        and Review.objects.filter(assignment=assignment, submitted_at__isnull=False).exists()
    )
    if assignment is not None and reviewed:
        assignment.late_conflict_at = timezone.now()
        assignment.late_conflict_reason = reason.strip()
        assignment.save(update_fields=["late_conflict_at", "late_conflict_reason"])
    elif assignment is not None:
        assignment.delete()
    audit_record(
        actor=actor,
        action="review.conflict_after_review" if reviewed else "review.conflict_recorded",
        obj=application,
        after={"expert": expert.pk, "source": source, "review_kept": reviewed},
    )
    return conflict


@transaction.atomic
def assignment_declare_no_conflict(*, actor: User, assignment: ReviewAssignment) -> None:
    _require_own(actor, assignment)
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
    *, actor: User, application: Application, expert: ExpertProfile, locked: bool = True
) -> ReviewAssignment:
    """Staff pick (and keep, by default) an expert for an application by hand."""
    require_on_application(actor, MANAGE_APPLICATION, application)
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
def assignment_remove(*, actor: User, assignment: ReviewAssignment) -> None:
    require_on_application(actor, MANAGE_APPLICATION, assignment.application)
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
    actor: User,
    assignment: ReviewAssignment,
    scores: dict[int, int],
    comments: str,
    recommendation: str,
    submit: bool,
) -> Review:
    """Save (and optionally submit) the expert's scores per criterion and recommendation."""
    application = assignment.application
    _require_own(actor, assignment)
    if assignment.no_conflict_declared_at is None:
        raise ValidationError(_("Declare that you have no conflict of interest first."))
    if application.state != UNDER_REVIEW:
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


@transaction.atomic
def assignment_propose(*, actor: User, call: Call, affinity: Any = None) -> dict[str, Any]:
    """Propose reviewers for every application of the call awaiting review: maximum total
    affinity, ``reviewers_per_application`` each, loads within each expert's maximum,
    conflicts excluded. Running it again keeps every pair someone relies on: locked by
    staff, declared free of conflict by the expert, with a review started or submitted
    (``selectors.reviews.assignments_to_keep``); the other pairs the proposal no longer
    makes go, and each expert is e-mailed their new and removed assignments once the
    transaction commits. Returns the solver's summary."""
    require(actor, MANAGE_CALLS, call.cluster)
    # Deferred, not a cycle: the solver loads OR-Tools (0.3 s), which only this needs.
    from clusterdesk.solvers import reviewers as solver
    from clusterdesk.solvers.reviewers import affinity as affinity_lib

    cache = embedding_cache()
    model = affinity or affinity_lib.MatcherAffinity(
        encoder=encoder_name(), cache=cache, encode_budget_s=PROPOSAL_BUDGET_S
    )
    applications = list(
        call.applications.filter(state__in=[ELIGIBLE, UNDER_REVIEW])
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
    current = list(ReviewAssignment.objects.filter(application__in=applications))
    kept_ids = set(assignments_to_keep(applications=applications).values_list("pk", flat=True))
    kept = [a for a in current if a.pk in kept_ids]
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
    embedding_cache_keep(cache)
    explanations = getattr(model, "explanations", {})
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
    proposed = {(int(p.item), int(p.reviewer)): p.score for p in result.pairs}
    # A pair the proposal keeps stays as it is (reminders, affinity); one it drops goes; a
    # new one is created. Declared, started, submitted and locked pairs are always kept.
    removed = [
        a
        for a in current
        if a.pk not in kept_ids and (a.application_id, a.expert_id) not in proposed
    ]
    ReviewAssignment.objects.filter(pk__in=[a.pk for a in removed]).delete()
    existing = {(a.application_id, a.expert_id) for a in current if a not in removed}
    new = ReviewAssignment.objects.bulk_create(
        [
            ReviewAssignment(
                cluster=call.cluster,
                application_id=item,
                expert_id=reviewer,
                affinity=score,
                affinity_why=why_json(explanations[(item, reviewer)])
                if (item, reviewer) in explanations
                else {},
            )
            for (item, reviewer), score in proposed.items()
            if (item, reviewer) not in existing
        ]
    )
    added = [a.pk for a in new]
    removed_pairs = [[a.expert_id, a.application_id] for a in removed]
    if added or removed_pairs:
        transaction.on_commit(
            lambda: send_assignment_notices.enqueue(call.cluster_id, added, removed_pairs)
        )
    summary = {
        "assigned": len(result.pairs),
        "kept": len(kept),
        "added": len(added),
        "removed": len(removed),
        "total_affinity": round(result.total_score, 4),
        "unfilled": [{"application": int(u.item), "missing": u.missing} for u in result.unfilled],
        "solve_s": round(result.solve_s, 4),
        "model": str(getattr(model, "model", "") or type(model).__name__),
    }
    audit_record(actor=actor, action="review.assignment_proposed", obj=call, after=summary)
    return summary


@transaction.atomic
def review_remind(*, actor: User, call: Call) -> int:
    """Remind every expert whose review of an application under review is not submitted
    (before the call's review deadline, if any), once the transaction commits."""
    require(actor, MANAGE_CALLS, call.cluster)
    pending = (
        ReviewAssignment.objects.filter(application__call=call, application__state=UNDER_REVIEW)
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
