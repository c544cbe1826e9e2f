"""Brokerage events, slots, participants and requests for the tests (dates relative to now)."""

from __future__ import annotations

import datetime
from typing import Any

from clusterdesk.brokerage.models import (
    Brokerage,
    Meeting,
    MeetingRequest,
    MeetingSlot,
    Participant,
    ScheduleRun,
)
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Organisation
from clusterdesk.events.models import Event
from tests.events.factories import EventFactory, RegistrationFactory, in_days
from tests.factories import ContactFactory, follow


def brokerage(
    cluster: Cluster, *, days: float = 30, slots: int = 6, tables: int = 5, **settings: Any
) -> Brokerage:
    """A brokerage event starting in ``days`` days with ``slots`` 20-minute slots from 9:00."""
    start = in_days(days)
    event = EventFactory(
        cluster=cluster,
        kind=Event.Kind.BROKERAGE,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=9),
    )
    b = Brokerage.objects.create(cluster=cluster, event=event, tables=tables, **settings)
    for k in range(slots):
        at = start + datetime.timedelta(minutes=20 * k)
        MeetingSlot.objects.create(
            cluster=cluster,
            brokerage=b,
            starts_at=at,
            ends_at=at + datetime.timedelta(minutes=20),
            tables=tables,
        )
    return b


def participant(
    b: Brokerage,
    *,
    organisation: Organisation | None = None,
    status: str = Participant.Status.VALIDATED,
    user: Any = None,
    **profile: Any,
) -> Participant:
    """A validated participant with their own organisation (followed by the cluster); with
    ``user``, the registration's contact has that portal account."""
    org = organisation or follow(b.cluster)
    contact = ContactFactory(cluster=b.cluster, organisation=org, user=user)
    reg = RegistrationFactory(
        event=b.event, organisation=org, organisation_name=org.name, contact=contact
    )
    return Participant.objects.create(
        cluster=b.cluster, brokerage=b, registration=reg, status=status, **profile
    )


def request(
    a: Participant, b: Participant, priority: int = 2, status: str = "accepted"
) -> MeetingRequest:
    return MeetingRequest.objects.create(
        cluster=a.cluster,
        brokerage=a.brokerage,
        requester=a,
        target=b,
        priority=priority,
        status=status,
    )


def run_with_meeting(b: Brokerage, state: str = "published") -> tuple[Any, Any]:
    """A schedule run (published by default) holding one meeting of two new participants."""
    a, c = participant(b), participant(b)
    request(a, c)
    run = ScheduleRun.objects.create(cluster=b.cluster, brokerage=b, state=state)
    meeting = Meeting.objects.create(
        cluster=b.cluster,
        brokerage=b,
        run=run,
        participant_a=a,
        participant_b=c,
        slot=b.slots.first(),
        table=1,
        weight=2,
    )
    return run, meeting
