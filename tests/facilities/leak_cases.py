"""The innovation centre's object routes for the generic leak test (tests/test_leaks.py)."""

from __future__ import annotations

from typing import Any

from tests.facilities.factories import booking
from tests.leak_cases import LeakCase


def _booking(tenant: Any) -> dict[str, Any]:
    return {"booking_id": booking(tenant.cluster, person=tenant.director).pk}


LEAK_CASES: dict[str, LeakCase] = {
    "api-v1:facilities_booking_detail": LeakCase(_booking),
    "api-v1:facilities_booking_cancel": LeakCase(_booking, method="delete"),
}
