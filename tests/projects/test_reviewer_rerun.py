"""Re-running the reviewer proposal keeps the pairs someone relies on and tells the
experts what changed (issue 15, points 7 and 8)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from clusterdesk.core.roles import Role
from clusterdesk.projects.models import (
    Application,
    Conflict,
    ExpertProfile,
    Review,
    ReviewAssignment,
)
from clusterdesk.projects.services.reviews import assignment_propose
from tests.conftest import Tenant, client_for
from tests.projects.factories_staff import eligible_application, expert, new_call

S = Application.State


@pytest.fixture
def rnd(tenant_a: Tenant) -> SimpleNamespace:
    """Four applications awaiting review, one reviewer each, five experts of load one."""
    cluster = tenant_a.cluster
    with scopes_disabled():
        call = new_call(cluster, reviewers_per_application=1)
        apps = [
            eligible_application(cluster, call, state=S.ELIGIBLE, acronym=f"P{n}") for n in range(4)
        ]
        experts = [
            expert(cluster, competences=c, max_load=1)
            for c in ("diagnostic", "oncologie", "vaccins", "dispositifs", "biologie")
        ]
    return SimpleNamespace(call=call, apps=apps, experts=experts)


def _pairs() -> dict[int, tuple[int, int]]:
    with scopes_disabled():
        return {a.pk: (a.application_id, a.expert_id) for a in ReviewAssignment.objects.all()}


def test_a_new_run_keeps_declared_started_and_submitted_pairs(
    tenant_a: Tenant, rnd: SimpleNamespace, django_capture_on_commit_callbacks: object
) -> None:
    with scope(cluster=tenant_a.cluster):
        assignment_propose(actor=tenant_a.director, call=rnd.call)
    first = _pairs()
    assert len(first) == 4
    declared, started, submitted, free = sorted(first)
    with scopes_disabled():
        now = timezone.now()
        ReviewAssignment.objects.filter(pk=declared).update(no_conflict_declared_at=now)
        ReviewAssignment.objects.filter(pk__in=[started, submitted]).update(
            no_conflict_declared_at=None
        )
        for pk, at in ((started, None), (submitted, now)):
            Review.objects.create(cluster=tenant_a.cluster, assignment_id=pk, submitted_at=at)
        # The free pair's expert is now in conflict: the new run must move that application.
        free_app, free_expert = first[free]
        Conflict.objects.create(
            cluster=tenant_a.cluster,
            application_id=free_app,
            expert_id=free_expert,
            reason="Ancien salarié",
            source="staff",
        )
        # And the kept pairs' experts would prefer other applications: a bigger pool.
        for _n in range(4):
            expert(tenant_a.cluster, competences="diagnostic oncologie vaccins", max_load=1)
    mail.outbox.clear()
    capture = django_capture_on_commit_callbacks(execute=True)  # type: ignore[operator]
    with capture, scope(cluster=tenant_a.cluster):
        summary = assignment_propose(actor=tenant_a.director, call=rnd.call)
    second = _pairs()
    for pk in (declared, started, submitted):
        assert second[pk] == first[pk]  # kept as it was, same row
    assert free not in second
    assert summary["kept"] == 3 and summary["removed"] == 1 and summary["added"] == 1
    # One e-mail to the expert who lost the pair, one to the expert who got the new one.
    with scopes_disabled():
        new_expert = next(e for pk, (a, e) in second.items() if pk not in first)
        lost = ExpertProfile.objects.get(pk=free_expert).user.email
        gained = ExpertProfile.objects.get(pk=new_expert).user.email
    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    assert set(by_recipient) == {lost, gained}
    assert "P" in by_recipient[lost]
    assert "no longer assigned" in by_recipient[lost] or "plus attribués" in by_recipient[lost]


def test_rerunning_from_the_call_page_asks_to_confirm(
    tenant_a: Tenant, rnd: SimpleNamespace
) -> None:
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    client.cookies["django_language"] = "en"
    call_url = reverse("labelling:call", args=[tenant_a.cluster.slug, rnd.call.pk])
    page = client.post(call_url, {"action": "propose"})
    assert page.status_code == 200
    counts = {str(e.label): e.count for e in page.context["confirmation"].effects}
    assert counts["applications awaiting review"] == 4
    assert counts["experts in the pool"] == 5
    assert not _pairs()
    assert client.post(call_url, {"action": "propose", "confirmed": "yes"}).status_code == 302
    assert len(_pairs()) == 4
