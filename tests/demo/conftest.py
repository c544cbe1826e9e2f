"""The demo is built relative to today (calls open and close, projects end, campaigns run):
its tests run on one fixed day so that what they expect holds whatever the date."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine

# A day while the year's call is open and the follow-up campaign runs.
DEMO_DAY = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture(scope="module", autouse=True)
def demo_day() -> Iterator[None]:
    with time_machine.travel(DEMO_DAY, tick=True):
        yield
