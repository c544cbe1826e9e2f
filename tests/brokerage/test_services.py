"""The brokerage services: profiles and validation, requests and their refusals,
availability, scheduling (draft, publish, re-run keeping published meetings), the day of
the event, feedback and the link to an application; each refusal writes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from clusterdesk.audit.models import AuditEntry
from clusterdesk.brokerage.access import LinkHolder, participant_by_code, participant_code
from clusterdesk.brokerage.models import (
    Meeting,
    MeetingFeedback,
    MeetingRequest,
    Participant,
    ScheduleRun,
    Unavailability,
)
from clusterdesk.brokerage.selectors import (
    agenda_of,
    marketplace,
    meeting_suggestions,
    table_plan,
)
from clusterdesk.brokerage.services.day import (
    brokerage_close,
    feedback_give,
    meeting_cancel,
    meeting_link_application,
    meeting_walk_in,
)
from clusterdesk.brokerage.services.participants import (
    availability_set,
    opportunity_save,
    participant_create,
    participant_link_reset,
    participant_update,
    participant_validate,
)
from clusterdesk.brokerage.services.requests import (
    meeting_request_answer,
    meeting_request_create,
)
from clusterdesk.brokerage.services.scheduling import schedule_publish, schedule_start
from clusterdesk.core.errors import Conflict, NotAllowed, NotVisible
from clusterdesk.core.roles import Role
from tests.brokerage.factories import brokerage, participant, request
from tests.conftest import Tenant
from tests.events.factories import RegistrationFactory
from tests.factories import UserFactory, application, follow

pytestmark = pytest.mark.usefixtures("unscoped")


@pytest.fixture(autouse=True)
def english() -> Any:
    """The refusals are read in English here."""
    with translation.override("en"):
        yield


def _schedule(tenant: Tenant, b: Any, capture: Any, **kw: Any) -> ScheduleRun:
    """Start a run; the job runs when the transaction commits (immediate tasks)."""
    with capture(execute=True):
        run = schedule_start(actor=tenant.director, brokerage=b, time_limit_s=2, **kw)
    run.refresh_from_db()
    return run


# -- participants ---------------------------------------------------------------------------


def test_participant_from_a_confirmed_registration_is_pending_until_validated(
    tenant_a: Tenant,
) -> None:
    b = brokerage(tenant_a.cluster)
    reg = RegistrationFactory(event=b.event)
    p = participant_create(
        actor=tenant_a.director,
        brokerage=b,
        registration=reg,
        headline="Capteurs",
        keywords="a, b, a",
    )
    assert p.status == Participant.Status.PENDING
    assert p.keywords == "a, b"
    assert not marketplace(brokerage=b).filter(pk=p.pk).exists()
    participant_validate(actor=tenant_a.people[Role.EVENT_MANAGER], participant=p)
    assert marketplace(brokerage=b).filter(pk=p.pk).exists()
    with pytest.raises(Conflict):
        participant_create(actor=tenant_a.director, brokerage=b, registration=reg)


def test_only_event_staff_validate_and_a_stranger_cannot_write_a_profile(tenant_a: Tenant) -> None:
    b = brokerage(tenant_a.cluster)
    p = participant(b, status=Participant.Status.PENDING)
    with pytest.raises(NotAllowed):
        participant_validate(actor=tenant_a.people[Role.PROJECT_MANAGER], participant=p)
    with pytest.raises(NotVisible):
        participant_update(actor=tenant_a.people[Role.MEMBER], participant=p, headline="x")


def test_a_portal_member_and_a_link_holder_write_their_own_profile(tenant_a: Tenant) -> None:
    b = brokerage(tenant_a.cluster)
    member = tenant_a.people[Role.MEMBER]
    mine = participant(b, user=member)
    other = participant(b)
    participant_update(actor=member, participant=mine, headline="Mine")
    with pytest.raises(NotVisible):
        participant_update(actor=member, participant=other, headline="Not mine")
    holder = LinkHolder(other)
    participant_update(actor=holder, participant=other, headline="By link")
    with pytest.raises(NotVisible):
        participant_update(actor=holder, participant=mine, headline="x")
    other.refresh_from_db()
    assert other.headline == "By link"


def test_the_personal_link_is_signed_and_revoked_by_a_reset(tenant_a: Tenant) -> None:
    b = brokerage(tenant_a.cluster)
    p = participant(b)
    code = participant_code(p)
    assert participant_by_code(code) == p
    assert participant_by_code(code[:-2] + "xx") is None
    assert participant_by_code(f"{p.pk}.{p.access_key}") is None
    participant_link_reset(actor=LinkHolder(p), participant=p)
    assert participant_by_code(code) is None
    assert participant_by_code(participant_code(p)) == p


def test_availability_outside_the_event_is_refused_and_nothing_changes(tenant_a: Tenant) -> None:
    b = brokerage(tenant_a.cluster)
    p = participant(b)
    slot = b.slots.first()
    with pytest.raises(ValidationError) as err:
        availability_set(
            actor=tenant_a.director,
            participant=p,
            arrival_at=b.event.starts_at - datetime.timedelta(days=1),
            blocked_slots=[slot],
        )
    assert "arrival_at" in err.value.message_dict
    p.refresh_from_db()
    assert p.arrival_at is None and not Unavailability.objects.filter(participant=p).exists()
    with pytest.raises(ValidationError) as err:
        availability_set(
            actor=tenant_a.director,
            participant=p,
            arrival_at=b.event.starts_at + datetime.timedelta(hours=2),
            departure_at=b.event.starts_at + datetime.timedelta(hours=1),
        )
    assert "departure_at" in err.value.message_dict
    availability_set(
        actor=LinkHolder(p),
        participant=p,
        arrival_at=b.event.starts_at + datetime.timedelta(minutes=40),
        blocked_slots=[b.slots.last()],
    )
    assert Unavailability.objects.filter(participant=p).count() == 1


# -- requests -------------------------------------------------------------------------------


def test_requests_to_oneself_or_to_a_colleague_are_refused(tenant_a: Tenant) -> None:
    b = brokerage(tenant_a.cluster)
    org = follow(tenant_a.cluster)
    a = participant(b, organisation=org)
    colleague = participant(b, organisation=org)
    with pytest.raises(ValidationError, match="yourself"):
        meeting_request_create(actor=LinkHolder(a), requester=a, target=a)
    with pytest.raises(ValidationError, match="own organisation"):
        meeting_request_create(actor=LinkHolder(a), requester=a, target=colleague)
    assert not MeetingRequest.objects.exists()
    assert not AuditEntry.objects.filter(action="meeting_request.created").exists()


def test_a_request_is_answered_by_its_target_only_and_a_second_one_conflicts(
    tenant_a: Tenant,
) -> None:
    b = brokerage(tenant_a.cluster)
    a, c = participant(b), participant(b)
    r = meeting_request_create(
        actor=LinkHolder(a), requester=a, target=c, priority=1, message="Bonjour"
    )
    assert r.status == MeetingRequest.Status.PENDING
    with pytest.raises(Conflict):
        meeting_request_create(actor=LinkHolder(a), requester=a, target=c)
    with pytest.raises(NotVisible):
        meeting_request_answer(actor=LinkHolder(a), request=r, accept=True)
    meeting_request_answer(actor=LinkHolder(c), request=r, accept=False)
    assert r.status == MeetingRequest.Status.DECLINED


def test_automatic_acceptance_and_pending_profiles(tenant_a: Tenant) -> None:
    b = brokerage(tenant_a.cluster, auto_accept=True)
    a, c = participant(b), participant(b)
    pending = participant(b, status=Participant.Status.PENDING)
    r = meeting_request_create(actor=LinkHolder(a), requester=a, target=c)
    assert r.status == MeetingRequest.Status.ACCEPTED
    with pytest.raises(NotAllowed):
        meeting_request_create(actor=LinkHolder(pending), requester=pending, target=c)
    with pytest.raises(ValidationError):
        meeting_request_create(actor=LinkHolder(a), requester=a, target=pending)


def test_suggestions_favour_complementary_opportunities_and_skip_colleagues(
    tenant_a: Tenant,
) -> None:
    b = brokerage(tenant_a.cluster)
    pt = b.partnership_types.create(cluster=b.cluster, name="Technologie")
    org = follow(tenant_a.cluster)
    me = participant(b, organisation=org, keywords="capteurs, santé")
    colleague = participant(b, organisation=org, keywords="capteurs, santé")
    offerer = participant(b, keywords="logistique")
    sharer = participant(b, keywords="capteurs")
    participant(b, keywords="tourisme")
    opportunity_save(
        actor=LinkHolder(me), participant=me, kind="request", title="Capteur", partnership_type=pt
    )
    opportunity_save(
        actor=LinkHolder(offerer),
        participant=offerer,
        kind="offer",
        title="Nous fabriquons des capteurs",
        partnership_type=pt,
    )
    found = [s.participant for s in meeting_suggestions(participant=me)]
    assert found[:2] == [offerer, sharer]
    assert colleague not in found


# -- scheduling -----------------------------------------------------------------------------


def _world(tenant: Tenant, n: int = 6) -> tuple[Any, list[Participant]]:
    b = brokerage(tenant.cluster, slots=4, tables=3)
    people = [participant(b) for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, min(n, i + 3)):
            request(people[i], people[j], priority=1 + (i + j) % 3)
    return b, people


def test_a_run_with_no_accepted_request_is_refused_and_writes_nothing(tenant_a: Tenant) -> None:
    b = brokerage(tenant_a.cluster)
    a, c = participant(b), participant(b)
    request(a, c, status="pending")
    with pytest.raises(ValidationError, match="nothing to schedule"):
        schedule_start(actor=tenant_a.director, brokerage=b)
    assert not ScheduleRun.objects.exists()


def test_scheduling_drafts_then_publishes_agendas_with_a_proven_gap(
    tenant_a: Tenant, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    b, people = _world(tenant_a)
    with pytest.raises(NotAllowed):
        schedule_start(actor=tenant_a.people[Role.FINANCE], brokerage=b)
    run = _schedule(tenant_a, b, django_capture_on_commit_callbacks)
    assert run.state == ScheduleRun.State.DRAFT
    assert run.upper_bound is not None and run.objective is not None
    assert run.objective <= run.upper_bound and run.gap == pytest.approx(0.0)
    meetings = list(run.meetings.all())
    assert meetings
    # Nobody is in two meetings in a slot, and tables hold.
    seen = set()
    for m in meetings:
        for p in (m.participant_a_id, m.participant_b_id):
            assert (p, m.slot_id) not in seen
            seen.add((p, m.slot_id))
    assert agenda_of(participant=people[0]) == []  # a draft is nobody's agenda yet
    with django_capture_on_commit_callbacks(execute=True):
        schedule_publish(actor=tenant_a.director, run=run)
    assert agenda_of(participant=people[0])
    assert mailoutbox and "/brokerage/" in mailoutbox[0].body
    plan = table_plan(run=run)
    assert sum(row.count for row in plan) == len(meetings)
    first = table_plan(run=run, slot_id=plan[0].slot.pk)[0]
    assert len(first.meetings) == first.count


def test_a_rerun_keeps_published_meetings_and_lists_those_it_cannot_keep(
    tenant_a: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    b, _people = _world(tenant_a)
    first = _schedule(tenant_a, b, django_capture_on_commit_callbacks)
    schedule_publish(actor=tenant_a.director, run=first, notify_participants=False)
    published = {(m.participant_a_id, m.participant_b_id, m.slot_id) for m in first.meetings.all()}
    # One participant blocks the slot of their first meeting: that meeting cannot be kept.
    victim = first.meetings.order_by("slot__starts_at").first()
    assert victim is not None
    Unavailability.objects.create(
        cluster=b.cluster, participant=victim.participant_a, slot=victim.slot
    )
    second = _schedule(tenant_a, b, django_capture_on_commit_callbacks, keep_published=True)
    assert second.state == ScheduleRun.State.DRAFT
    assert len(second.not_kept) == 1
    assert second.not_kept[0]["a"] == victim.participant_a_id
    again = {(m.participant_a_id, m.participant_b_id, m.slot_id) for m in second.meetings.all()}
    assert published - again == {(victim.participant_a_id, victim.participant_b_id, victim.slot_id)}
    schedule_publish(actor=tenant_a.director, run=second, notify_participants=False)
    first.refresh_from_db()
    assert first.state == ScheduleRun.State.SUPERSEDED


def test_day_changes_cancel_walk_in_and_feedback_then_the_application(
    tenant_a: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    b, people = _world(tenant_a)
    run = _schedule(tenant_a, b, django_capture_on_commit_callbacks)
    schedule_publish(actor=tenant_a.director, run=run, notify_participants=False)
    meeting = run.meetings.first()
    assert meeting is not None
    stranger = participant(b)
    with pytest.raises(NotVisible):
        meeting_cancel(actor=LinkHolder(stranger), meeting=meeting)
    meeting_cancel(actor=LinkHolder(meeting.participant_a), meeting=meeting)
    assert meeting.status == Meeting.Status.CANCELLED
    # A walk-in request goes into a free slot where both are free.
    walk = meeting_walk_in(
        actor=LinkHolder(stranger), requester=stranger, target=people[0], message="Sur place"
    )
    assert walk.walk_in and walk.run == run
    assert walk.slot.pk not in set(
        run.meetings.filter(participant_a=people[0])
        .exclude(pk=walk.pk)
        .exclude(status="cancelled")
        .values_list("slot_id", flat=True)
    )
    # Feedback before the meeting took place is refused.
    other = run.meetings.exclude(pk__in=[meeting.pk, walk.pk]).first()
    assert other is not None
    with pytest.raises(ValidationError):
        feedback_give(
            actor=LinkHolder(other.participant_a),
            meeting=other,
            participant=other.participant_a,
            stage="after_event",
            rating=4,
        )
    with pytest.raises(ValidationError, match="not over"):
        brokerage_close(actor=tenant_a.director, brokerage=b)
    b.event.ends_at = timezone.now() - datetime.timedelta(hours=1)
    b.event.starts_at = b.event.ends_at - datetime.timedelta(hours=8)
    b.event.save()
    assert brokerage_close(actor=tenant_a.director, brokerage=b) >= 1
    other.refresh_from_db()
    assert other.status == Meeting.Status.HELD
    feedback_give(
        actor=LinkHolder(other.participant_a),
        meeting=other,
        participant=other.participant_a,
        stage="six_months",
        outcome="application",
    )
    assert MeetingFeedback.objects.get(meeting=other).outcome == "application"
    app = application(tenant_a.cluster)
    meeting_link_application(actor=tenant_a.director, meeting=other, application=app)
    other.refresh_from_db()
    assert other.application == app


def test_linking_another_clusters_application_is_not_found(
    tenant_a: Tenant, tenant_b: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    b, _people = _world(tenant_a)
    run = _schedule(tenant_a, b, django_capture_on_commit_callbacks)
    meeting = run.meetings.first()
    assert meeting is not None
    with pytest.raises(NotVisible):
        meeting_link_application(
            actor=tenant_a.director,
            meeting=meeting,
            application=application(tenant_b.cluster),
        )


def test_a_user_without_role_is_no_participant(tenant_a: Tenant) -> None:
    b = brokerage(tenant_a.cluster)
    p = participant(b)
    outsider = UserFactory()
    with pytest.raises(NotVisible):
        participant_update(actor=outsider, participant=p, headline="x")


def test_suggestions_read_the_profiles_through_the_matcher_across_languages(
    tenant_a: Tenant,
) -> None:
    """No keyword, no opportunity in common: the matcher finds the profile whose text fits
    (a French request, an English offer) and names what they share."""
    b = brokerage(tenant_a.cluster)
    me = participant(
        b, headline="Capteurs pour la bioproduction", description="Nous cherchons des capteurs"
    )
    fits = participant(
        b, headline="Bioproduction sensors", description="Inline sensors for bioreactors"
    )
    participant(b, headline="Voyages d'affaires", description="Agence de tourisme")
    found = meeting_suggestions(participant=me)
    assert [s.participant for s in found][:1] == [fits]
    assert found[0].reasons
