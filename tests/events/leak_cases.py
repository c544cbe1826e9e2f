"""The events' object routes (back office and API) for the generic leak test.

The DELETE of a registration and the POST that registers share their paths with GET routes
(a registration's detail, the list), which the test reads: the writes across clusters are
checked with real bodies in tests/events/test_api.py.
"""

from __future__ import annotations

from typing import Any

from clusterdesk.core.roles import Role
from tests.events.factories import CategoryFactory, RegistrationFactory, event
from tests.leak_cases import LeakCase


def _event(tenant: Any) -> dict[str, Any]:
    return {"event_id": event(tenant.cluster).pk}


def _category(tenant: Any) -> dict[str, Any]:
    e = event(tenant.cluster)
    return {"event_id": e.pk, "pk": CategoryFactory(event=e).pk}


def _registration(**extra: Any) -> Any:
    def kwargs(tenant: Any) -> dict[str, Any]:
        e = event(tenant.cluster)
        return {"event_id": e.pk, "pk": RegistrationFactory(event=e).pk, **extra}

    return kwargs


def _api_registration(tenant: Any) -> dict[str, Any]:
    e = event(tenant.cluster)
    return {"event_id": e.pk, "registration_id": RegistrationFactory(event=e).pk}


def _to_match(tenant: Any) -> dict[str, Any]:
    e = event(tenant.cluster)
    r = RegistrationFactory(event=e, organisation_name="Inconnue SAS")
    return {"pk": r.pk, "action": "link"}


LEAK_CASES: dict[str, LeakCase] = {
    "events:event": LeakCase(_event),
    "events:event_edit": LeakCase(_event),
    "events:category_create": LeakCase(_event),
    "events:category_edit": LeakCase(_category),
    "events:registrations": LeakCase(_event),
    "events:registrations_export": LeakCase(_event, method="post"),
    "events:registration_action": LeakCase(_registration(action="badge")),
    "events:badges": LeakCase(_event, method="post"),
    "events:check_in": LeakCase(_event, viewer=Role.EVENT_MANAGER),
    "events:check_in_mark": LeakCase(_registration(), viewer=Role.EVENT_MANAGER, method="post"),
    "events:match": LeakCase(_to_match, method="post"),
    "api-v1:events_event_detail": LeakCase(_event),
    "api-v1:events_event_update": LeakCase(_event, method="patch"),
    "api-v1:events_registration_list": LeakCase(_event),
    "api-v1:events_registration_create": LeakCase(_event),
    "api-v1:events_registration_detail": LeakCase(_api_registration),
    "api-v1:events_registration_cancel": LeakCase(_api_registration),
}
