"""Keeping, releasing or removing one proposed reviewer pair of a call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View

from clusterdesk.backoffice.labelling.common import CallMixin
from clusterdesk.projects.models import ReviewAssignment
from clusterdesk.projects.selectors.reviews import call_assignments
from clusterdesk.projects.services.reviews import assignment_remove, assignment_set


class AssignmentActionView(CallMixin, View):
    """Keep, release or remove one proposed pair; htmx gets the pairs table back."""

    def post(
        self, request: Any, cluster_slug: str, call_id: int, pk: int, action: str
    ) -> HttpResponse:
        assignment: ReviewAssignment = get_object_or_404(
            ReviewAssignment.objects.filter(
                cluster=self.cluster, application__call=self.call
            ).select_related("application", "expert"),
            pk=pk,
        )
        try:
            if action in ("lock", "unlock"):
                assignment_set(
                    actor=request.user,
                    application=assignment.application,
                    expert=assignment.expert,
                    locked=action == "lock",
                )
            elif action == "remove":
                assignment_remove(actor=request.user, assignment=assignment)
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        if request.htmx:
            return self.page(
                "partials/assignments.html",
                call=self.call,
                assignments=call_assignments(call=self.call),
            )
        return self.to_call("assignment")
