"""The reviewers' pages: an expert's assignments, the conflict-of-interest declaration and
the review itself.

Every page needs ``projects.review`` on the cluster (the expert role). An assignment is
fetched among the person's own in this cluster (anyone else's is not found) and checked
with ``projects.declare_conflict``. Until the expert declares no conflict they see only what
judging a conflict needs (acronym, title, the partners' names); the file itself (summary,
budgets, documents) needs ``projects.view_application``, which only a cleared reviewer has.
A refused object answers 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View

from clusterdesk.projects.member_forms import ConflictForm, ReviewForm, criterion_name
from clusterdesk.projects.models import Application, Conflict, Review, ReviewAssignment
from clusterdesk.projects.selectors.applications import application_file
from clusterdesk.projects.services.reviews import (
    assignment_declare_no_conflict,
    conflict_record,
    review_save,
)
from clusterdesk.web.http import stored_file_download
from clusterdesk.web.views import ClusterPermissionMixin, apply_service

PAGE_SIZE = 30


def review_of(assignment: ReviewAssignment) -> Review | None:
    try:
        return assignment.review
    except Review.DoesNotExist:
        return None


def review_status(assignment: ReviewAssignment) -> str:
    review = review_of(assignment)
    if assignment.no_conflict_declared_at is None:
        return _("Declare your conflicts of interest")
    if review is not None and review.submitted_at:
        return pgettext("review status", "Submitted")
    state = assignment.application.state
    if state in (Application.State.SUBMITTED, Application.State.ELIGIBLE):
        return _("Not open for review yet")
    if state != Application.State.UNDER_REVIEW:
        return _("Review closed")
    return _("Draft saved") if review is not None else _("To review")


class ReviewerMixin(ClusterPermissionMixin):
    permission_required = "projects.review"
    kwargs: dict[str, Any]

    @property
    def assignment(self) -> ReviewAssignment:
        if not hasattr(self, "_assignment"):
            user: Any = self.request.user
            mine = ReviewAssignment.objects.filter(
                cluster=self.cluster, expert__user=user
            ).select_related("application__call", "expert")
            assignment: ReviewAssignment = get_object_or_404(mine, pk=self.kwargs["pk"])
            if not self.request.user.has_perm("projects.declare_conflict", assignment.application):
                raise Http404
            self._assignment = assignment
        return self._assignment

    def cleared_application(self) -> Application:
        """The application, for an expert who may read its file."""
        application = self.assignment.application
        if not self.request.user.has_perm("projects.view_application", application):
            raise Http404
        return application

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        context["cluster"] = self.cluster
        return render(self.request, f"projects/reviews/{template}", context, status=status)

    def to_review(self) -> HttpResponse:
        return redirect("reviews:review", cluster_slug=self.cluster.slug, pk=self.assignment.pk)


class AssignmentListView(ReviewerMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        assignments = (
            ReviewAssignment.objects.filter(cluster=self.cluster, expert__user=request.user)
            .select_related("application__call", "review")
            # Current work first: the latest calls' reviews, then the older ones.
            .order_by(
                F("application__call__review_deadline").desc(nulls_first=True),
                "-assigned_at",
                "application__acronym",
            )
        )
        page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [(a, review_status(a)) for a in page]
        return self.page("assignment_list.html", rows=rows, page=page)


class DeclarationView(ReviewerMixin, View):
    """No conflict, or a conflict with its reason (the assignment then goes)."""

    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        if self.assignment.no_conflict_declared_at:
            return self.to_review()
        return self.render_declaration(ConflictForm())

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        assignment = self.assignment
        if assignment.no_conflict_declared_at:
            return self.to_review()
        if request.POST.get("action") == "no_conflict":
            assignment_declare_no_conflict(actor=request.user, assignment=assignment)
            messages.success(request, _("Thank you: the file is open to you."))
            return self.to_review()
        form = ConflictForm(request.POST)
        if form.is_valid() and apply_service(
            form,
            lambda: conflict_record(
                actor=request.user,
                application=assignment.application,
                expert=assignment.expert,
                reason=form.cleaned_data["reason"],
                source=Conflict.Source.DECLARED,
            ),
        ):
            messages.success(
                request,
                _("Your conflict is recorded; %(acronym)s is no longer assigned to you.")
                % {"acronym": assignment.application.acronym},
            )
            return redirect("reviews:assignments", cluster_slug=self.cluster.slug)
        return self.render_declaration(form, status=400)

    def render_declaration(self, form: ConflictForm, status: int = 200) -> HttpResponse:
        application = self.assignment.application
        # Only the names: the expert judges a conflict without reading the file.
        names = application.partners.order_by("organisation__name").values_list(
            "organisation__name", flat=True
        )
        return self.page(
            "declaration.html",
            status=status,
            assignment=self.assignment,
            application=application,
            organisation_names=list(names),
            form=form,
        )


class ReviewView(ReviewerMixin, View):
    """The file, read-only, and the expert's review: saved as a draft, then submitted."""

    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        if self.assignment.no_conflict_declared_at is None:
            return redirect("reviews:declaration", cluster_slug=self.cluster.slug, pk=pk)
        return self.render_review(self.form())

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        application = self.cleared_application()
        form = self.form(request.POST)
        submit = "submit" in request.POST
        if form.is_valid() and apply_service(
            form,
            lambda: review_save(
                actor=request.user,
                assignment=self.assignment,
                scores=form.scores(),
                comments=form.cleaned_data["comments"],
                recommendation=form.cleaned_data["recommendation"],
                submit=submit,
            ),
        ):
            if submit:
                messages.success(
                    request,
                    _("Your review of %(acronym)s is submitted. Thank you.")
                    % {"acronym": application.acronym},
                )
            else:
                messages.success(request, _("Your draft is saved."))
            return self.to_review()
        return self.render_review(form, status=400)

    def form(self, data: Any = None) -> ReviewForm:
        application = self.cleared_application()
        return ReviewForm(
            data,
            criteria=list(application.call.criteria.all()),
            score_max=application.call.score_max,
            review=review_of(self.assignment),
        )

    def render_review(self, form: ReviewForm, status: int = 200) -> HttpResponse:
        application = self.cleared_application()
        review = review_of(self.assignment)
        submitted = review is not None and review.submitted_at is not None
        scores = {s.criterion_id: s.score for s in review.scores.all()} if review else {}
        return self.page(
            "review.html",
            status=status,
            assignment=self.assignment,
            application=application,
            review=review,
            form=form,
            editable=not submitted
            and self.request.user.has_perm("projects.review_application", application),
            criteria=[(criterion_name(c), c.weight, scores.get(c.pk)) for c in form.criteria],
            **application_file(application),
        )


class DocumentDownloadView(ReviewerMixin, View):
    def get(self, request: Any, cluster_slug: str, pk: int, doc_id: int) -> FileResponse:
        application = self.cleared_application()
        document = get_object_or_404(application.documents.all(), pk=doc_id)
        return stored_file_download(document.file, document.name)
