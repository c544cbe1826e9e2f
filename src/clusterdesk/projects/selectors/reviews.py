"""Experts and their reviews: conflicts of interest with their reasons, reviewer
assignments and the last proposal, each application's review progress and the comparison of
its reviewers' opinions, an expert's own assignments and who may read which reviews."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.errors import NotAllowed
from clusterdesk.core.models import Cluster
from clusterdesk.projects.models import (
    Application,
    Call,
    Conflict,
    ExpertProfile,
    Partner,
    Review,
    ReviewAssignment,
    ReviewScore,
)

S = Application.State
CONFLICT_LOOKBACK_YEARS = 3


@dataclass(frozen=True)
class ConflictReason:
    expert_id: int
    application_id: int
    reason: str


def conflicts_of(
    *, call: Call, experts: list[ExpertProfile] | None = None, today: datetime.date | None = None
) -> list[ConflictReason]:
    """Every conflict of interest in the call, each with its reason: the expert's
    organisation is a partner; it was a partner with one of them in another project in the
    last three years; or one was declared by the expert or recorded by staff."""
    today = today or timezone.localdate()
    experts = (
        experts
        if experts is not None
        else list(ExpertProfile.objects.filter(cluster=call.cluster).select_related("organisation"))
    )
    apps = list(call.applications.exclude(state="withdrawn").prefetch_related("partners"))
    partners_of = {a.pk: {p.organisation_id for p in a.partners.all()} for a in apps}
    since = today.replace(year=today.year - CONFLICT_LOOKBACK_YEARS)
    # Organisations each expert's organisation worked with in the last three years.
    org_ids = {e.organisation_id for e in experts if e.organisation_id}
    recent = (
        Partner.objects.filter(
            organisation_id__in=org_ids, application__created_at__date__gte=since
        )
        .exclude(application__call=call)
        .values_list("organisation_id", "application_id")
    )
    projects_of: dict[int, set[int]] = {}
    for org, app in recent:
        projects_of.setdefault(org, set()).add(app)
    co_partners: dict[int, set[int]] = {}
    all_apps = {a for apps_ in projects_of.values() for a in apps_}
    for app_id, org in Partner.objects.filter(application_id__in=all_apps).values_list(
        "application_id", "organisation_id"
    ):
        for own_org, apps_ in projects_of.items():
            if app_id in apps_ and org != own_org:
                co_partners.setdefault(own_org, set()).add(org)
    found = []
    names = {}
    for e in experts:
        for a in apps:
            reason = ""
            if e.organisation_id and e.organisation_id in partners_of[a.pk]:
                reason = _("%(org)s, the expert's organisation, is a partner.") % {
                    "org": e.organisation
                }
            elif (
                e.organisation_id and co_partners.get(e.organisation_id, set()) & partners_of[a.pk]
            ):
                reason = _(
                    "The expert's organisation was a partner of one of them in the last "
                    "three years."
                )
            if reason:
                found.append(ConflictReason(e.pk, a.pk, reason))
                names[(e.pk, a.pk)] = True
    for c in Conflict.objects.filter(application__call=call).select_related("expert"):
        if (c.expert_id, c.application_id) not in names:
            found.append(
                ConflictReason(
                    c.expert_id, c.application_id, f"{c.get_source_display()}: {c.reason}"
                )
            )
    return found


@dataclass(frozen=True)
class ReviewProgress:
    application: Application
    assigned: int
    cleared: int
    submitted: int
    average: float | None


def review_progress(*, call: Call) -> list[ReviewProgress]:
    """Per application: assigned experts, those who declared no conflict, reviews in, and
    the average weighted score (out of the call's maximum)."""
    apps = call.applications.filter(
        state__in=["eligible", "under_review", "at_committee", "labelled", "not_labelled", "revise"]
    ).prefetch_related("assignments__review__scores__criterion")
    out = []
    for app in apps:
        assignments = list(app.assignments.all())
        scores = [
            weighted_score(a.review)
            for a in assignments
            if hasattr(a, "review") and a.review.submitted_at
        ]
        valid = [s for s in scores if s is not None]
        out.append(
            ReviewProgress(
                application=app,
                assigned=len(assignments),
                cleared=sum(1 for a in assignments if a.no_conflict_declared_at),
                submitted=len(scores),
                average=sum(valid) / len(valid) if valid else None,
            )
        )
    return out


def weighted_score(review: Any) -> float | None:
    scores = list(review.scores.all())
    weight = sum(float(s.criterion.weight) for s in scores)
    if not weight:
        return None
    return sum(float(s.criterion.weight) * s.score for s in scores) / weight


@dataclass(frozen=True)
class Opinion:
    expert: ExpertProfile
    submitted: bool
    recommendation: str  # the label, empty until submitted
    score: float | None


@dataclass(frozen=True)
class ReviewComparison:
    progress: ReviewProgress
    opinions: list[Opinion] = field(default_factory=list)


def review_comparison(*, progress: list[ReviewProgress]) -> list[ReviewComparison]:
    """Each reviewed application with every reviewer's recommendation and weighted score,
    the best average first; built on ``review_progress`` (its reviews are prefetched), plus
    one query for the experts' names."""
    expert_ids = {a.expert_id for p in progress for a in p.application.assignments.all()}
    experts = ExpertProfile.objects.select_related("user").in_bulk(expert_ids)
    labels = dict(Review.Recommendation.choices)
    rows = []
    for p in progress:
        opinions = []
        for a in p.application.assignments.all():
            review = getattr(a, "review", None)
            submitted = bool(review and review.submitted_at)
            opinions.append(
                Opinion(
                    expert=experts[a.expert_id],
                    submitted=submitted,
                    recommendation=str(labels.get(review.recommendation, ""))
                    if submitted and review
                    else "",
                    score=weighted_score(review) if submitted else None,
                )
            )
        rows.append(ReviewComparison(progress=p, opinions=opinions))
    rows.sort(key=lambda r: (r.progress.average is None, -(r.progress.average or 0)))
    return rows


def call_assignments(*, call: Call) -> QuerySet[ReviewAssignment]:
    """The proposed and kept pairs of the call, with the review when there is one."""
    return (
        ReviewAssignment.objects.filter(application__call=call)
        .select_related("application", "expert__user", "review")
        .order_by("application__acronym", "application_id", "-locked", "-affinity")
    )


def assignable_applications(*, call: Call) -> QuerySet[Application]:
    return call.applications.filter(state__in=[S.ELIGIBLE, S.UNDER_REVIEW]).order_by("acronym")


def assignments_to_keep(*, applications: Iterable[Application]) -> QuerySet[ReviewAssignment]:
    """The assignments of ``applications`` a new proposal keeps as they are: the pairs
    someone relies on (locked by staff, declared free of conflict by the expert, with a
    review started or submitted)."""
    relied_on = (
        Q(locked=True)
        | Q(no_conflict_declared_at__isnull=False)
        | Q(Exists(Review.objects.filter(assignment=OuterRef("pk"))))
    )
    return ReviewAssignment.objects.filter(relied_on, application__in=list(applications))


@dataclass(frozen=True)
class ProposalPreview:
    """What re-running the reviewer proposal on a call would touch."""

    applications: int
    experts: int
    kept: int
    replaceable: int


def assignment_proposal_preview(*, call: Call) -> ProposalPreview:
    applications = list(assignable_applications(call=call))
    kept = assignments_to_keep(applications=applications).count()
    return ProposalPreview(
        applications=len(applications),
        experts=ExpertProfile.objects.filter(cluster=call.cluster).count(),
        kept=kept,
        replaceable=ReviewAssignment.objects.filter(application__in=applications).count() - kept,
    )


def experts_of_cluster(*, cluster: Cluster) -> QuerySet[ExpertProfile]:
    return (
        ExpertProfile.objects.filter(cluster=cluster)
        .select_related("user", "organisation")
        .order_by("user__full_name", "user__email")
    )


@dataclass(frozen=True)
class Proposal:
    """The summary of the last run of ``services.assignment_propose`` (from its audit entry)."""

    at: datetime.datetime
    by: Any
    assigned: int
    kept: int
    total_affinity: float
    unfilled: list[dict[str, Any]]


def assignment_proposal_last(*, call: Call) -> Proposal | None:
    entry = (
        AuditEntry.objects.filter(
            cluster=call.cluster,
            action="review.assignment_proposed",
            content_type=ContentType.objects.get_for_model(Call),
            object_id=str(call.pk),
        )
        .select_related("actor")
        .first()
    )
    if entry is None or not entry.after:
        return None
    summary = entry.after
    return Proposal(
        at=entry.created_at,
        by=entry.actor,
        assigned=int(summary.get("assigned", 0)),
        kept=int(summary.get("kept", 0)),
        total_affinity=float(summary.get("total_affinity", 0)),
        unfilled=list(summary.get("unfilled", [])),
    )


@dataclass(frozen=True)
class NamedConflict:
    expert: ExpertProfile | None
    application: Application | None
    reason: str


def conflicts_named(
    conflicts: list[ConflictReason],
    experts: list[ExpertProfile],
    applications: list[Application],
) -> list[NamedConflict]:
    """``conflicts_of`` with the expert and the application instead of their ids."""
    expert_by_id = {e.pk: e for e in experts}
    application_by_id = {a.pk: a for a in applications}
    rows = [
        NamedConflict(
            expert_by_id.get(c.expert_id), application_by_id.get(c.application_id), c.reason
        )
        for c in conflicts
    ]
    return sorted(
        rows, key=lambda r: (r.application.acronym if r.application else "", str(r.expert))
    )


@dataclass(frozen=True)
class Shortfall:
    application: Application
    missing: int
    reason: str


def proposal_shortfalls(
    *,
    call: Call,
    unfilled: list[dict[str, Any]],
    experts: list[ExpertProfile],
    conflicts: list[ConflictReason],
) -> list[Shortfall]:
    """Why each application of the last proposal lacks reviewers: too few experts free of a
    conflict with it, or those experts already at their maximum load for the call."""
    if not unfilled:
        return []
    apps = call.applications.in_bulk([int(u["application"]) for u in unfilled])
    blocked = {(c.expert_id, c.application_id) for c in conflicts}
    loads = Counter(
        ReviewAssignment.objects.filter(application__call=call).values_list("expert_id", flat=True)
    )
    out = []
    for u in unfilled:
        app = apps.get(int(u["application"]))
        if app is None:
            continue
        free = [e for e in experts if (e.pk, app.pk) not in blocked]
        if len(free) < call.reviewers_per_application:
            reason = _(
                "Only %(n)d of the %(total)d experts have no conflict of interest with it."
            ) % {"n": len(free), "total": len(experts)}
        elif all(loads[e.pk] >= e.max_load for e in free):
            reason = _("The experts free of conflict have reached their maximum load.")
        else:
            reason = _("Not enough experts with room left in their load.")
        out.append(Shortfall(application=app, missing=int(u["missing"]), reason=reason))
    return out


def assignments_of_expert(*, user: Any, cluster: Cluster) -> QuerySet[ReviewAssignment]:
    """The person's own review assignments in the cluster; anyone else's (the staff's view
    included) is unknown to them."""
    return ReviewAssignment.objects.filter(cluster=cluster, expert__user=user.pk).select_related(
        "application__call", "expert", "review"
    )


def reviews_of_cluster(cluster: Cluster) -> QuerySet[Review]:
    """The cluster's reviews with their expert and scores, for reading."""
    return (
        Review.objects.filter(cluster=cluster)
        .select_related("assignment__expert__user")
        .prefetch_related(
            Prefetch("scores", queryset=ReviewScore.objects.select_related("criterion"))
        )
        .order_by("pk")
    )


def application_reviews_for(*, actor: Any, application: Application) -> QuerySet[Review]:
    """An application's reviews the actor may read: all of them for the project staff, the
    submitted ones for the members of its committee session, their own for an expert
    assigned to it; anyone else who sees the application reads none
    (NotAllowed)."""
    reviews = reviews_of_cluster(application.cluster).filter(assignment__application=application)
    if actor.has_perm("projects.manage_application", application):
        return reviews
    if actor.has_perm("projects.read_reviews", application):
        # A member of its committee (without a conflict) reads the reviews handed in.
        return reviews.filter(submitted_at__isnull=False)
    if application.assignments.filter(expert__user=actor.pk).exists():
        return reviews.filter(assignment__expert__user=actor.pk)
    raise NotAllowed("projects.manage_application")
