"""What any input from people must be, whichever front end it comes through.

Text holds no control character but tab, line feed and carriage return (PostgreSQL refuses
NUL in text, and the others are never typed on purpose), and no more than
``MAX_TEXT_LENGTH`` characters; a date lies between ``EARLIEST_YEAR`` and ``LATEST_YEAR``
(a call closing in year 1 or a fee dated 9999 is a typing mistake); a whole number fits
a database column. The API's input
schemas (``api.fields.InputSchema``) and every form (``core.forms``) apply these checks.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping

from django.utils.translation import gettext as _

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_TEXT_LENGTH = 20_000
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
# Every integer a database column can hold on both databases (SQLite and PostgreSQL bigint).
LARGEST_INTEGER = 2**63 - 1


def input_problem(value: object) -> str | None:
    """Why ``value`` (text, a date, or a list or mapping of them) is refused, or None."""
    if isinstance(value, str):
        if CONTROL_CHARACTERS.search(value):
            return _("The text contains a control character, which is not allowed.")
        if len(value) > MAX_TEXT_LENGTH:
            return _("The text has %(length)d characters; at most %(max)d are allowed.") % {
                "length": len(value),
                "max": MAX_TEXT_LENGTH,
            }
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) > LARGEST_INTEGER:
            return _("The number is too large.")
        return None
    if isinstance(value, datetime.date):  # and datetime.datetime
        if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            return _("The date must lie between the years %(first)d and %(last)d.") % {
                "first": EARLIEST_YEAR,
                "last": LATEST_YEAR,
            }
        return None
    if isinstance(value, Mapping):
        value = list(value.keys()) + list(value.values())
    if isinstance(value, list | tuple | set | frozenset):
        for item in value:
            problem = input_problem(item)
            if problem:
                return problem
    return None


def search_text(value: str, max_length: int = 100) -> str:
    """A search typed in a box, read without a form: control characters dropped, bounded."""
    return CONTROL_CHARACTERS.sub("", value)[:max_length]
