"""Reviews: an application's reviews (all of them for the project staff, their own for an
expert), and an expert's own assignments, conflict declarations and reviews; anyone else's
assignment is a 404."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from clusterdesk.api.common import Pagination, actor_of, cluster_of, get_or_404, require
from clusterdesk.api.projects.common import APPLICATION, ASSIGNMENT, BASE, application_of
from clusterdesk.api.projects.schemas import AssignmentOut, DeclarationIn, ReviewIn, ReviewOut
from clusterdesk.projects.models import Conflict, ReviewAssignment
from clusterdesk.projects.selectors.reviews import (
    application_reviews_for,
    assignments_of_expert,
    reviews_of_cluster,
)
from clusterdesk.projects.services.reviews import (
    assignment_declare_no_conflict,
    conflict_record,
    review_save,
)

REVIEW = "projects.review"

router = Router()


def _own_assignments(request: HttpRequest) -> QuerySet[ReviewAssignment]:
    return assignments_of_expert(user=request.user, cluster=cluster_of(request))


def _own_assignment_or_404(request: HttpRequest, pk: int) -> ReviewAssignment:
    assignment = get_or_404(_own_assignments(request), pk)
    require(request, REVIEW)
    return assignment


def _scores_by_body_name(exc: ValidationError) -> ValidationError:
    """The service names a criterion's score ``score_<id>``; the body calls it
    ``scores.<id>``, as a 422 would."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {
            f"scores.{field.removeprefix('score_')}"
            if field.startswith("score_")
            else field: errors
            for field, errors in exc.error_dict.items()
        }
    )


@router.get(
    f"{APPLICATION}/reviews",
    response=list[ReviewOut],
    url_name="projects_review_list",
    summary="An application's reviews: all for the project staff, their own for an expert",
    tags=["reviews"],
)
def review_list(request: HttpRequest, cluster_slug: str, application_id: int) -> Any:
    application = application_of(request, application_id)
    return list(application_reviews_for(actor=actor_of(request), application=application))


@router.get(
    f"{BASE}/assignments",
    response=list[AssignmentOut],
    url_name="projects_assignment_list",
    summary="The reviews you are asked for, latest first",
    tags=["reviews"],
)
@paginate(Pagination)
def assignment_list(request: HttpRequest, cluster_slug: str) -> QuerySet[ReviewAssignment]:
    require(request, REVIEW)
    return _own_assignments(request).order_by("-assigned_at", "-pk")


@router.get(
    f"{ASSIGNMENT}/declaration",
    response=AssignmentOut,
    url_name="projects_assignment_declaration_detail",
    summary="Your assignment and whether you declared no conflict of interest",
    tags=["reviews"],
)
def assignment_declaration_detail(
    request: HttpRequest, cluster_slug: str, assignment_id: int
) -> Any:
    return _own_assignment_or_404(request, assignment_id)


@router.post(
    f"{ASSIGNMENT}/declaration",
    response={200: AssignmentOut, 204: None},
    url_name="projects_assignment_declare",
    summary=(
        "Declare no conflict of interest (200), or a conflict (204: the assignment goes; 200 "
        "once your review is submitted: it is kept and flagged to staff)"
    ),
    tags=["reviews"],
)
def assignment_declare(
    request: HttpRequest, cluster_slug: str, assignment_id: int, payload: DeclarationIn
) -> Any:
    assignment = _own_assignment_or_404(request, assignment_id)
    if payload.conflict:
        conflict_record(
            actor=actor_of(request),
            application=assignment.application,
            expert=assignment.expert,
            reason=payload.reason,
            source=Conflict.Source.DECLARED,
        )
        kept = _own_assignments(request).filter(pk=assignment.pk).first()
        return Status(204, None) if kept is None else kept
    assignment_declare_no_conflict(actor=actor_of(request), assignment=assignment)
    return _own_assignments(request).get(pk=assignment.pk)


@router.get(
    f"{ASSIGNMENT}/review",
    response=ReviewOut,
    url_name="projects_review_detail",
    summary="Your review of an assignment (404 before you save one)",
    tags=["reviews"],
)
def review_detail(request: HttpRequest, cluster_slug: str, assignment_id: int) -> Any:
    assignment = _own_assignment_or_404(request, assignment_id)
    review = reviews_of_cluster(cluster_of(request)).filter(assignment=assignment).first()
    if review is None:
        raise Http404
    return review


@router.put(
    f"{ASSIGNMENT}/review",
    response=ReviewOut,
    url_name="projects_review_save",
    summary="Save your review, and submit it when done",
    tags=["reviews"],
)
def review_save_view(
    request: HttpRequest, cluster_slug: str, assignment_id: int, payload: ReviewIn
) -> Any:
    assignment = _own_assignment_or_404(request, assignment_id)
    try:
        review = review_save(
            actor=actor_of(request),
            assignment=assignment,
            scores=payload.scores,
            comments=payload.comments,
            recommendation=payload.recommendation,
            submit=payload.submit,
        )
    except ValidationError as exc:
        raise _scores_by_body_name(exc) from exc
    return reviews_of_cluster(cluster_of(request)).get(pk=review.pk)
