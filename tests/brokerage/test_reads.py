"""Who reads what: the selectors and the predicates agree for every role, a portal
participant and a link holder; the timeline, the indicators and their drill-down."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from clusterdesk.brokerage.access import LinkHolder
from clusterdesk.brokerage.models import Meeting, Participant
from clusterdesk.brokerage.selectors import meetings_visible_to, participants_visible_to
from clusterdesk.core.roles import Role
from clusterdesk.crm.selectors import organisation_timeline
from clusterdesk.results.indicators import compute
from clusterdesk.results.selectors import cluster_scope, drill_down_rows
from tests.brokerage.factories import brokerage, participant, run_with_meeting
from tests.conftest import Tenant
from tests.factories import application

pytestmark = pytest.mark.usefixtures("unscoped")


def _world(tenant: Tenant) -> dict[str, Any]:
    b = brokerage(tenant.cluster)
    member = tenant.people[Role.MEMBER]
    mine = participant(b, user=member)
    pending = participant(b, status=Participant.Status.PENDING)
    meeting = run_with_meeting(b)[1]
    draft = run_with_meeting(b, state="draft")[1]
    return {"b": b, "mine": mine, "pending": pending, "meeting": meeting, "draft": draft}


@pytest.mark.parametrize("who", [*sorted(Role.values), "link_holder", "other_cluster"])
def test_participants_and_meetings_selectors_agree_with_the_rules(
    tenant_a: Tenant, tenant_b: Tenant, who: str
) -> None:
    w = _world(tenant_a)
    if who == "link_holder":
        user: Any = LinkHolder(w["meeting"].participant_a)
    elif who == "other_cluster":
        user = tenant_b.director
    else:
        user = tenant_a.people[who]
    people = Participant.objects.filter(cluster=tenant_a.cluster)
    by_rule = {p.pk for p in people if user.has_perm("brokerage.view_participant", p)}
    by_query = set(
        participants_visible_to(user=user, cluster=tenant_a.cluster).values_list("pk", flat=True)
    )
    assert by_rule == by_query
    meetings = Meeting.objects.filter(cluster=tenant_a.cluster, run__state="published")
    by_rule_m = {m.pk for m in meetings if user.has_perm("brokerage.view_meeting", m)}
    by_query_m = set(
        meetings_visible_to(user=user, cluster=tenant_a.cluster)
        .filter(run__state="published")
        .values_list("pk", flat=True)
    )
    assert by_rule_m == by_query_m
    # Nobody but the staff sees a profile awaiting validation other than their own.
    if who in ("member", "link_holder", "other_cluster", "expert", "committee_member"):
        assert w["pending"].pk not in by_query
    if who == "member":
        assert w["mine"].pk in by_query and not by_query_m
    if who == "link_holder":
        assert by_query_m == {w["meeting"].pk}


def test_the_timeline_shows_an_organisations_meetings_to_the_staff_only(
    tenant_a: Tenant,
) -> None:
    w = _world(tenant_a)
    org = w["meeting"].participant_a.registration.organisation
    staff = organisation_timeline(
        cluster=tenant_a.cluster, organisation=org, viewer=tenant_a.people[Role.FINANCE]
    )
    assert any(item.kind == "meeting" for item in staff)
    member = organisation_timeline(
        cluster=tenant_a.cluster, organisation=org, viewer=tenant_a.people[Role.MEMBER]
    )
    assert not any(item.kind == "meeting" for item in member)


def test_indicators_count_the_meeting_to_funding_chain_with_their_records(
    tenant_a: Tenant,
) -> None:
    w = _world(tenant_a)
    meeting = w["meeting"]
    app = application(tenant_a.cluster, state="labelled")
    Meeting.objects.filter(pk=meeting.pk).update(status="held", application=app)
    today = timezone.localdate()
    scope = cluster_scope(
        tenant_a.cluster, today - datetime.timedelta(days=1), today + datetime.timedelta(days=60)
    )
    figures = compute(
        scope,
        [
            "meetings_requested",
            "meetings_scheduled",
            "meetings_held",
            "meetings_to_application",
            "meetings_to_label",
            "meetings_to_funding",
        ],
    )
    assert figures == {
        "meetings_requested": 2,
        "meetings_scheduled": 1,
        "meetings_held": 1,
        "meetings_to_application": 1,
        "meetings_to_label": 1,
        "meetings_to_funding": 0,
    }
    headers, records, row = drill_down_rows("meetings_to_label", scope)
    assert "application" in headers
    assert [row(r)[-1] for r in records] == [app.acronym]
