"""Opening hours: is a period inside a resource's open days and hours (local time)?"""

from __future__ import annotations

import datetime

from django.utils import timezone

DAY = datetime.timedelta(days=1)


def within_opening_hours(
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    open_days: list[int],
    opens_at: datetime.time,
    closes_at: datetime.time,
) -> bool:
    """Every local day the period touches is open, and the period stays between the opening
    and the closing time of each (a closing time at or before the opening time means the
    end of the day: 00:00 to 00:00 is open all day, and a period may then run over days)."""
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    day = local_start.date()
    while True:
        if day.weekday() not in open_days:
            return False
        opens = timezone.make_aware(datetime.datetime.combine(day, opens_at))
        if closes_at <= opens_at:
            closes = timezone.make_aware(datetime.datetime.combine(day + DAY, datetime.time.min))
        else:
            closes = timezone.make_aware(datetime.datetime.combine(day, closes_at))
        part_start = max(
            local_start, timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        )
        part_end = min(
            local_end, timezone.make_aware(datetime.datetime.combine(day + DAY, datetime.time.min))
        )
        if part_start < opens or part_end > closes:
            return False
        # The next day is touched only if the period runs past this day's midnight.
        if local_end <= timezone.make_aware(
            datetime.datetime.combine(day + DAY, datetime.time.min)
        ):
            return True
        day += DAY
