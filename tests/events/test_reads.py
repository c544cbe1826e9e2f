"""Who reads registrations (the rule and the queryset agree for every role), the audit log
of registrations, the organisation's timeline and the events' indicators."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from clusterdesk.audit.selectors import audit_entries_readable
from clusterdesk.core.roles import Role
from clusterdesk.crm.selectors import organisation_timeline
from clusterdesk.events.selectors import registrations_visible_to
from clusterdesk.events.services.registrations import registration_create
from clusterdesk.results.indicators import compute
from clusterdesk.results.selectors import cluster_scope, drill_down_rows
from tests.conftest import Tenant
from tests.events.factories import RegistrationFactory, event, past_event
from tests.factories import follow

pytestmark = pytest.mark.usefixtures("unscoped")


@pytest.mark.parametrize("role", Role.values)
def test_the_rule_and_the_queryset_agree_for_every_role(
    tenant_a: Tenant, tenant_b: Tenant, role: str
) -> None:
    ours = RegistrationFactory(event=event(tenant_a.cluster))
    theirs = RegistrationFactory(event=event(tenant_b.cluster))
    person = tenant_a.people[role]
    listed = set(registrations_visible_to(user=person, cluster=tenant_a.cluster))
    assert (ours in listed) == person.has_perm("events.view_registration", ours)
    assert (ours in listed) == (role in ("director", "event_manager", "finance"))
    assert not person.has_perm("events.view_registration", theirs)
    assert theirs not in set(registrations_visible_to(user=person, cluster=tenant_b.cluster))


@pytest.mark.parametrize("role", Role.values)
def test_registration_entries_of_the_log_follow_the_rule(tenant_a: Tenant, role: str) -> None:
    r = registration_create(
        actor=tenant_a.director,
        event=event(tenant_a.cluster),
        first_name="Secret",
        last_name="Person",
        email="secret@example.org",
    )
    person = tenant_a.people[role]
    entries = audit_entries_readable(cluster=tenant_a.cluster, user=person)
    shown = entries.filter(action="registration.created", object_id=str(r.pk)).exists()
    assert shown == person.has_perm("events.view_registration", r)


def test_the_timeline_shows_the_organisations_events(tenant_a: Tenant) -> None:
    org = follow(tenant_a.cluster, name="Genfit")
    e = past_event(tenant_a.cluster, title="Atelier PI", title_en="IP workshop")
    RegistrationFactory(event=e, organisation=org, attended_at=e.starts_at)
    RegistrationFactory(event=e, organisation=org)
    RegistrationFactory(event=e, organisation=org, status="cancelled")
    RegistrationFactory(event=e, status="cancelled")  # someone else's: hides nothing
    with translation.override("en"):
        items = organisation_timeline(
            cluster=tenant_a.cluster, organisation=org, viewer=tenant_a.director
        )
    (item,) = [i for i in items if i.kind.startswith("event:")]
    assert item.title == "IP workshop"
    assert "2 registered" in item.detail and "1 came" in item.detail
    assert item.url
    expert_items = organisation_timeline(
        cluster=tenant_a.cluster, organisation=org, viewer=tenant_a.people[Role.EXPERT]
    )
    assert not [i for i in expert_items if i.kind.startswith("event:")]


def test_the_events_indicators_count_held_events_registrations_and_attendance(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    held = past_event(tenant_a.cluster)
    for came in (True, True, True, False):
        RegistrationFactory(event=held, attended_at=held.starts_at if came else None)
    RegistrationFactory(event=held, status="cancelled")
    RegistrationFactory(event=held, status="waitlisted", waitlist_position=1)
    coming = event(tenant_a.cluster)
    RegistrationFactory(event=coming)
    RegistrationFactory(event=past_event(tenant_b.cluster))  # another cluster's
    today = timezone.localdate()
    scope = cluster_scope(
        tenant_a.cluster, today - datetime.timedelta(days=60), today + datetime.timedelta(days=60)
    )
    values = compute(scope, ["events_held", "event_registrations", "attendance_rate"])
    assert values == {"events_held": 1, "event_registrations": 6, "attendance_rate": 0.75}
    headers, records, row = drill_down_rows("events_held", scope)
    assert list(records) == [held] and row(held)[0] == held.title
    headers, records, _row = drill_down_rows("event_registrations", scope)
    assert "last_name" in headers
    assert records.count() == 6
