"""B2B meeting scheduler for brokerage events (pure Python on HiGHS; no Django).

Placeholder docstring, expanded with the method description below.
"""

from .model import Instance, MeetingInputError, Schedule
from .parse import parse_instance
from .solver import schedule_to_json, solve

__all__ = [
    "Instance",
    "MeetingInputError",
    "Schedule",
    "parse_instance",
    "schedule_to_json",
    "solve",
]
