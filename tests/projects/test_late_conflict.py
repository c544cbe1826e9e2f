"""A conflict of interest declared after the review was submitted keeps the review: it is
recorded on the assignment, audited, and flagged to the project staff."""

from __future__ import annotations

from django.urls import reverse
from django_scopes import scope, scopes_disabled

from clusterdesk.accounts.services import api_token_create
from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.roles import Role
from clusterdesk.projects.models import Conflict, Review, ReviewAssignment
from clusterdesk.projects.services.reviews import conflict_record
from tests.api.projects_factories import assign, eligible_application, expert, review
from tests.conftest import Tenant, client_for


def _reviewed(tenant: Tenant, *, submitted: bool = True) -> ReviewAssignment:
    with scopes_disabled():
        app = eligible_application(tenant.cluster, state="under_review", acronym="LATE")
        assignment = assign(app, expert(tenant.cluster))
        review(assignment, submitted=submitted)
    return assignment


def test_late_conflict_keeps_the_submitted_review_and_flags_the_assignment(
    tenant_a: Tenant,
) -> None:
    assignment = _reviewed(tenant_a)
    with scope(cluster=tenant_a.cluster):
        conflict_record(
            actor=assignment.expert.user,
            application=assignment.application,
            expert=assignment.expert,
            reason="My lab signed with the coordinator last month.",
            source=Conflict.Source.DECLARED,
        )
        kept = ReviewAssignment.objects.get(pk=assignment.pk)
        assert Review.objects.filter(assignment=kept, submitted_at__isnull=False).exists()
        assert kept.late_conflict_at is not None
        assert kept.late_conflict_reason == "My lab signed with the coordinator last month."
        assert Conflict.objects.filter(expert=assignment.expert).exists()
        entry = AuditEntry.objects.get(action="review.conflict_after_review")
    assert entry.after == {
        "expert": assignment.expert_id,
        "source": "declared",
        "review_kept": True,
    }


def test_conflict_before_submitting_still_removes_the_assignment(tenant_a: Tenant) -> None:
    assignment = _reviewed(tenant_a, submitted=False)
    with scope(cluster=tenant_a.cluster):
        conflict_record(
            actor=assignment.expert.user,
            application=assignment.application,
            expert=assignment.expert,
            reason="Former employer.",
            source=Conflict.Source.DECLARED,
        )
        assert not ReviewAssignment.objects.filter(pk=assignment.pk).exists()
        assert AuditEntry.objects.filter(action="review.conflict_recorded").exists()


def test_api_late_declaration_answers_the_kept_assignment_and_staff_see_the_flag(
    tenant_a: Tenant,
) -> None:
    assignment = _reviewed(tenant_a)
    _token, raw = api_token_create(user=assignment.expert.user, name="test")
    response = client_for(assignment.expert.user).post(
        f"/api/v1/clusters/{tenant_a.cluster.slug}/assignments/{assignment.pk}/declaration",
        {"conflict": True, "reason": "Shareholder of a partner."},
        content_type="application/json",
        headers={"authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200
    assert response.json()["late_conflict_at"] is not None
    assert response.json()["review"] == "submitted"
    with scopes_disabled():
        assert Review.objects.filter(assignment_id=assignment.pk).exists()
    page = client_for(tenant_a.people[Role.PROJECT_MANAGER]).get(
        reverse("labelling:application", args=[tenant_a.cluster.slug, assignment.application_id])
    )
    assert "Shareholder of a partner." in page.content.decode()
