"""The brokerage's object routes (organiser pages and API) for the generic leak test.

The participant's space (``participant_space:*``) is reached with a signed personal code,
not a cluster's login: tests/brokerage/test_space.py checks that a code works only in its
own cluster and for its own participant's objects.
"""

from __future__ import annotations

from typing import Any

from tests.brokerage.factories import brokerage, participant, request, run_with_meeting
from tests.events.factories import EventFactory
from tests.leak_cases import LeakCase


def _brokerage(tenant: Any) -> dict[str, Any]:
    return {"pk": brokerage(tenant.cluster).pk}


def _participant(**extra: Any) -> Any:
    def kwargs(tenant: Any) -> dict[str, Any]:
        b = brokerage(tenant.cluster)
        return {"pk": b.pk, "participant_pk": participant(b).pk, **extra}

    return kwargs


def _run(tenant: Any) -> dict[str, Any]:
    b = brokerage(tenant.cluster)
    run, _meeting = run_with_meeting(b, state="draft")
    return {"pk": b.pk, "run_pk": run.pk}


def _meeting(tenant: Any) -> dict[str, Any]:
    b = brokerage(tenant.cluster)
    meeting = run_with_meeting(b)[1]
    return {"pk": b.pk, "meeting_pk": meeting.pk}


def _event(tenant: Any) -> dict[str, Any]:
    return {"event_id": EventFactory(cluster=tenant.cluster, kind="brokerage").pk}


def _api_event(tenant: Any) -> dict[str, Any]:
    return {"event_id": brokerage(tenant.cluster).event_id}


def _api_participant(tenant: Any) -> dict[str, Any]:
    b = brokerage(tenant.cluster)
    return {"event_id": b.event_id, "participant_id": participant(b).pk}


def _api_request(tenant: Any) -> dict[str, Any]:
    b = brokerage(tenant.cluster)
    item = request(participant(b), participant(b), status="pending")
    return {"event_id": b.event_id, "request_id": item.pk}


def _api_meeting(tenant: Any) -> dict[str, Any]:
    b = brokerage(tenant.cluster)
    meeting = run_with_meeting(b)[1]
    return {"event_id": b.event_id, "meeting_id": meeting.pk}


LEAK_CASES: dict[str, LeakCase] = {
    "brokerage:setup": LeakCase(_event, method="post"),
    "brokerage:brokerage": LeakCase(_brokerage),
    "brokerage:import": LeakCase(_brokerage),
    "brokerage:participants": LeakCase(_brokerage),
    "brokerage:participant": LeakCase(_participant()),
    "brokerage:participant_agenda": LeakCase(_participant(fmt="ics")),
    "brokerage:requests": LeakCase(_brokerage),
    "brokerage:schedule": LeakCase(_brokerage, method="post"),
    "brokerage:run": LeakCase(_run),
    "brokerage:plan": LeakCase(_brokerage),
    "brokerage:meeting": LeakCase(_meeting),
    "api-v1:brokerage_participant_list": LeakCase(_api_event),
    "api-v1:brokerage_participant_detail": LeakCase(_api_participant),
    "api-v1:brokerage_request_list": LeakCase(_api_event),
    "api-v1:brokerage_request_create": LeakCase(_api_event),
    "api-v1:brokerage_request_accept": LeakCase(_api_request, method="post"),
    "api-v1:brokerage_request_decline": LeakCase(_api_request, method="post"),
    "api-v1:brokerage_meeting_list": LeakCase(_api_event),
    "api-v1:brokerage_meeting_detail": LeakCase(_api_meeting),
    "api-v1:brokerage_agenda": LeakCase(_api_participant),
}
